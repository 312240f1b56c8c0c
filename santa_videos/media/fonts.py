"""Which installed font draws each character of a text: the first font, in a fixed order of preference, whose
character map has it. The order puts Noto Sans Bold first, then Noto's bold fonts for other scripts, CJK, serif
and regular weights, DejaVu, and the colour emoji font last (Debian's fonts-noto-core, fonts-noto-cjk,
fonts-noto-color-emoji and fonts-dejavu-core, as the Makefile installs them).

Text is split into clusters (a character and the marks, variation selectors and modifiers that belong to it), and a
cluster is drawn with one font: never half in one font and half in another.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
EMOJI_BITMAP_SIZE = 109  # the only size Noto Color Emoji's bitmaps are drawn at; scaled afterwards
CJK_FACES = {"ja": 0, "ko": 1, "zh": 2}  # faces of NotoSansCJK-Bold.ttc: JP, KR, SC (then TC, HK, mono)
_NOT_OWN_FONT = ("Display", "Mono", "Unjoined", "UI-", "UI.")
VARIATION_SELECTORS = {0xFE0E, 0xFE0F}
ZWJ = 0x200D


class Undrawable(ValueError):
    """Characters no installed font has; `characters` lists them in order of appearance."""

    def __init__(self, characters: list[str]):
        shown = " ".join(f"{c} (U+{ord(c[0]):04X})" for c in characters)
        super().__init__(f"no installed font can draw {shown}")
        self.characters = characters


@dataclass(frozen=True)
class Face:
    path: Path
    index: int = 0

    @property
    def color(self) -> bool:
        return "Emoji" in self.path.name


def _own_script_fonts(folder: Path, pattern: str, taken: set[Path]) -> list[Path]:
    found = sorted(p for p in folder.glob(pattern) if not any(word in p.name for word in _NOT_OWN_FONT))
    return [p for p in found if p not in taken]


@cache
def candidate_faces() -> tuple[Face, ...]:
    """Installed faces in order of preference."""
    paths: list[Path] = []

    def add(*found: Path) -> None:
        paths.extend(p for p in found if p.is_file() and p not in paths)

    add(NOTO / "NotoSans-Bold.ttf")
    add(*_own_script_fonts(NOTO, "NotoSans*-Bold.ttf", set(paths)))
    add(NOTO_CJK / "NotoSansCJK-Bold.ttc")
    add(*_own_script_fonts(NOTO, "Noto*-Bold.ttf", set(paths)))
    add(DEJAVU / "DejaVuSans-Bold.ttf", DEJAVU / "DejaVuSans.ttf")
    add(*_own_script_fonts(NOTO, "NotoSans*-Regular.ttf", set(paths)))
    add(*_own_script_fonts(NOTO, "Noto*-Regular.ttf", set(paths)))
    add(NOTO / "NotoColorEmoji.ttf")
    return tuple(Face(path, CJK_FACES["zh"] if path.suffix == ".ttc" else 0) for path in paths)


@cache
def coverage(face: Face) -> frozenset[int]:
    """The code points the face's character map has (fontTools reads only the cmap table)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def pil_font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    drawn_size = EMOJI_BITMAP_SIZE if face.color else size
    return ImageFont.truetype(str(face.path), drawn_size, index=face.index, layout_engine=ImageFont.Layout.RAQM)


def _joins_previous(char: str, previous: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char).startswith("M")
        or code in VARIATION_SELECTORS
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or ord(previous) == ZWJ
        or code == ZWJ
        or (0x1F1E6 <= code <= 0x1F1FF and 0x1F1E6 <= ord(previous) <= 0x1F1FF)  # a flag's second letter
    )


def clusters(text: str) -> list[str]:
    """The text cut where a font may change: a base character with what modifies it (marks, selectors, skin
    tones, joined emoji, a flag's two letters)."""
    result: list[str] = []
    for char in text:
        if result and _joins_previous(char, result[-1][-1]) and not _is_flag_pair(result[-1]):
            result[-1] += char
        else:
            result.append(char)
    return result


def _is_flag_pair(cluster: str) -> bool:
    return len(cluster) == 2 and all(0x1F1E6 <= ord(c) <= 0x1F1FF for c in cluster)


def is_emoji(cluster: str) -> bool:
    """Drawn as a colour emoji: asked for with U+FE0F, or a pictograph beyond the text symbol blocks."""
    return 0xFE0F in map(ord, cluster) or ord(cluster[0]) >= 0x1F000


def _needed(cluster: str) -> set[int]:
    # Fonts rarely map the selectors and joiners; shaping handles them.
    return {ord(c) for c in cluster} - VARIATION_SELECTORS - {ZWJ}


def _is_neutral(cluster: str) -> bool:
    return unicodedata.category(cluster[0])[0] in "ZP"


def _is_cjk(cluster: str) -> bool:
    code = ord(cluster[0])
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def cjk_face_for(text: str) -> int:
    """Han characters look as the text's language writes them: Japanese with kana, Korean with Hangul."""
    if any(0x3040 <= ord(c) <= 0x30FF for c in text):
        return CJK_FACES["ja"]
    if any(0xAC00 <= ord(c) <= 0xD7AF or 0x1100 <= ord(c) <= 0x11FF for c in text):
        return CJK_FACES["ko"]
    return CJK_FACES["zh"]


def face_for(cluster: str, previous: Face | None = None) -> Face | None:
    """The face that draws the cluster: the previous cluster's for spaces and punctuation it has (so a line does
    not change font at every comma; never the emoji font's, whose space is an emoji wide), otherwise the first
    candidate that has every character of it (the colour emoji font first for emoji)."""
    needed = _needed(cluster)
    if not needed:
        return previous or (candidate_faces() or (None,))[0]
    if previous is not None and not previous.color and _is_neutral(cluster) and needed <= coverage(previous):
        return previous
    faces = candidate_faces()
    if is_emoji(cluster):
        faces = tuple(sorted(faces, key=lambda face: not face.color))
    elif _is_cjk(cluster):  # straight to the CJK font, without opening sixty others on the way
        faces = tuple(sorted(faces, key=lambda face: face.path.suffix != ".ttc"))
    for face in faces:
        if needed <= coverage(face):
            return face
    return None


def faces_for(text: str) -> list[tuple[str, Face]]:
    """Each cluster of the text with its face; Undrawable names the clusters no installed font has."""
    cjk_index = cjk_face_for(text)
    result, missing, previous = [], [], None
    for cluster in clusters(text):
        face = face_for(cluster, previous)
        if face is None:
            if not cluster.isspace():
                missing.append(cluster)
            continue
        if face.path.suffix == ".ttc":
            face = Face(face.path, cjk_index)
        result.append((cluster, face))
        previous = face
    if missing:
        raise Undrawable(missing)
    return result


def undrawable(text: str) -> list[str]:
    """The clusters of `text` that no installed font can draw (empty when every one can)."""
    if text.isascii() and text.isprintable() and candidate_faces():
        return []  # every Latin face here has ASCII: no font needs to be opened
    try:
        faces_for(text)
    except Undrawable as exc:
        return exc.characters
    return []
