"""Text set into pictures with Pillow: each character in a font that has it (fonts.py), each run shaped by
HarfBuzz through Pillow's raqm layout (Arabic joins, Devanagari conjuncts and vowel signs, CJK), right-to-left runs
put in their place (bidi.py), lines wrapped by measured width, colour emoji drawn in colour.

FFmpeg's drawtext in Debian's FFmpeg 5.1 has FriBidi but no HarfBuzz, and one font per filter: Devanagari comes out
unshaped and a sentence with a name in another script cannot be drawn at all. So every text of the video is set
here and overlaid as a picture; user text never reaches an FFmpeg filter.
"""

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from santa_videos.media.bidi import embedding_levels, visual_order
from santa_videos.media.fonts import EMOJI_BITMAP_SIZE, Face, faces_for, pil_font

Color = tuple[int, int, int, int]


@dataclass(frozen=True)
class Style:
    size: int
    fill: Color = (255, 255, 255, 255)
    stroke_width: int = 0
    stroke_fill: Color = (0, 0, 0, 204)
    line_spacing: float = 1.4  # line height in font sizes: room for marks above and below (Devanagari, Arabic)

    @property
    def line_height(self) -> int:
        return round(self.size * self.line_spacing)

    @property
    def ascent(self) -> int:
        return round(self.size * 1.08)

    def resized(self, size: int) -> "Style":
        return Style(size, self.fill, self.stroke_width, self.stroke_fill, self.line_spacing)


@dataclass(frozen=True)
class Run:
    """Clusters of one face and one direction, as they are drawn: one shaping call."""

    text: str
    face: Face
    rtl: bool
    width: float


@dataclass(frozen=True)
class Item:
    cluster: str
    face: Face
    level: int


@lru_cache(maxsize=4096)
def _advance(text: str, face: Face, rtl: bool, size: int) -> float:
    font = pil_font(face, size)
    width = font.getlength(text, direction="rtl" if rtl else "ltr")
    return width * size / EMOJI_BITMAP_SIZE if face.color else width


def _items(text: str) -> list[Item]:
    pairs = faces_for(text)
    levels = embedding_levels(text)
    items, position = [], 0
    for cluster, face in pairs:
        items.append(Item(cluster, face, levels[text.index(cluster, position)]))
        position = text.index(cluster, position) + len(cluster)
    return items


def line_runs(items: list[Item], size: int) -> list[Run]:
    """The line's runs in visual order, left to right."""
    groups: list[list[Item]] = []
    for item in items:
        if groups and (groups[-1][0].face, groups[-1][0].level) == (item.face, item.level):
            groups[-1].append(item)
        else:
            groups.append([item])
    runs = []
    for group in groups:
        text, face, rtl = "".join(i.cluster for i in group), group[0].face, group[0].level % 2 == 1
        runs.append(Run(text, face, rtl, _advance(text, face, rtl, size)))
    return [runs[index] for index in visual_order([group[0].level for group in groups])]


def _breaks_after(item: Item, following: Item | None) -> bool:
    if item.cluster.isspace():
        return True
    wide = {"W", "F"}
    return following is not None and (
        unicodedata.east_asian_width(item.cluster[0]) in wide or unicodedata.east_asian_width(following.cluster[0]) in wide
    ) and unicodedata.category(following.cluster[0])[0] != "P"


def _tokens(items: list[Item]) -> list[list[Item]]:
    tokens: list[list[Item]] = [[]]
    for index, item in enumerate(items):
        tokens[-1].append(item)
        if _breaks_after(item, items[index + 1] if index + 1 < len(items) else None):
            tokens.append([])
    return [token for token in tokens if token]


def _strip(items: list[Item]) -> list[Item]:
    start, end = 0, len(items)
    while start < end and items[start].cluster.isspace():
        start += 1
    while end > start and items[end - 1].cluster.isspace():
        end -= 1
    return items[start:end]


def _strip_leading(items: list[Item]) -> list[Item]:
    start = 0
    while start < len(items) and items[start].cluster.isspace():
        start += 1
    return items[start:]


def _width(items: list[Item], size: int) -> float:
    return sum(run.width for run in line_runs(_strip(items), size))


def layout(text: str, style: Style, max_width: float) -> list[list[Run]]:
    """The text's lines (each its runs in visual order), wrapped at spaces or between CJK characters to fit
    `max_width`; a word longer than a line is cut between clusters."""
    lines: list[list[Item]] = []
    current: list[Item] = []
    for token in _tokens(_items(text)):
        if current and _width(current + token, style.size) > max_width:
            lines.append(current)
            current = _strip_leading(token)
        else:
            current += token
        while len(current) > 1 and _width(current, style.size) > max_width:
            cut = len(current) - 1
            while cut > 1 and _width(current[:cut], style.size) > max_width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return [line_runs(_strip(line), style.size) for line in lines if _strip(line)]


def line_width(runs: list[Run]) -> float:
    return sum(run.width for run in runs)


def fit(text: str, style: Style, max_width: float, min_size: int) -> tuple[Style, list[list[Run]]]:
    """The largest style (down to `min_size`) that sets the text on one line within `max_width`, else wrapped."""
    size = style.size
    while True:
        fitted = style.resized(size)
        lines = layout(text, fitted, math.inf)
        if not lines:
            return fitted, lines
        if line_width(lines[0]) <= max_width or size <= min_size:
            return fitted, lines if line_width(lines[0]) <= max_width else layout(text, fitted, max_width)
        size = max(min_size, int(size * max_width / line_width(lines[0])))


def _draw_emoji(image: Image.Image, run: Run, x: float, baseline: int, size: int) -> None:
    font = pil_font(run.face, size)
    left, top, right, bottom = font.getbbox(run.text, anchor="ls")
    bitmap = Image.new("RGBA", (right - left + 2, bottom - top + 2), (0, 0, 0, 0))
    ImageDraw.Draw(bitmap).text((1 - left, 1 - top), run.text, font=font, anchor="ls", embedded_color=True)
    scale = size / EMOJI_BITMAP_SIZE
    bitmap = bitmap.resize((max(1, round(bitmap.width * scale)), max(1, round(bitmap.height * scale))), Image.LANCZOS)
    image.alpha_composite(bitmap, (round(x + left * scale), round(baseline + top * scale)))


def draw_line(image: Image.Image, runs: list[Run], x: float, baseline: int, style: Style) -> None:
    """Draw the runs left to right from `x` on `baseline`."""
    draw = ImageDraw.Draw(image)
    for run in runs:
        if run.face.color:
            _draw_emoji(image, run, x, baseline, style.size)
        else:
            draw.text(
                (x, baseline), run.text, font=pil_font(run.face, style.size), fill=style.fill, anchor="ls",
                direction="rtl" if run.rtl else "ltr", stroke_width=style.stroke_width, stroke_fill=style.stroke_fill,
            )
        x += run.width


def block_size(lines: list[list[Run]], style: Style) -> tuple[int, int]:
    """Width and height the lines take, strokes included."""
    width = max((line_width(runs) for runs in lines), default=0)
    return math.ceil(width) + 2 * style.stroke_width, len(lines) * style.line_height + 2 * style.stroke_width


def draw_block(image: Image.Image, lines: list[list[Run]], style: Style, center_x: float, top: int) -> None:
    """Draw the lines centred on `center_x`, the first line's box starting at `top`."""
    for number, runs in enumerate(lines):
        baseline = top + style.stroke_width + number * style.line_height + style.ascent
        draw_line(image, runs, center_x - line_width(runs) / 2, baseline, style)
