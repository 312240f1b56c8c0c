"""Right-to-left text in a left-to-right sentence: the Unicode bidirectional algorithm's embedding levels from
GNU FriBidi (the library Pillow's text layout and FFmpeg already load), and the visual order of a line's runs.

Pillow shapes each run of one font and one direction; this module says which way each run goes and in what order
the runs stand on the line, which Pillow cannot know once a line mixes fonts.
"""

import ctypes
import ctypes.util
import unicodedata
from functools import cache

PARAGRAPH_AUTO = 0x40  # FRIBIDI_PAR_ON: the direction of the first strong character
RIGHT_TO_LEFT_CLASSES = {"R", "AL", "AN"}


class BidiUnavailable(RuntimeError):
    pass


@cache
def _fribidi() -> ctypes.CDLL:
    name = ctypes.util.find_library("fribidi") or "libfribidi.so.0"
    try:
        library = ctypes.CDLL(name)
    except OSError as exc:
        raise BidiUnavailable(f"GNU FriBidi is not installed ({exc}): install Debian's libfribidi0") from None
    library.fribidi_get_bidi_types.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
    library.fribidi_get_bracket_types.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
    library.fribidi_get_par_embedding_levels_ex.argtypes = [
        ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
    ]
    library.fribidi_get_par_embedding_levels_ex.restype = ctypes.c_int
    return library


def has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in RIGHT_TO_LEFT_CLASSES for char in text)


def embedding_levels(text: str) -> list[int]:
    """One level per character: even runs left to right, odd right to left (UAX #9, paragraph direction from the
    first strong character)."""
    if not has_right_to_left(text):
        return [0] * len(text)  # nothing can run right to left: no need to ask FriBidi
    library, length = _fribidi(), len(text)
    characters = (ctypes.c_uint32 * length)(*map(ord, text))
    types = (ctypes.c_uint32 * length)()
    brackets = (ctypes.c_uint32 * length)()
    levels = (ctypes.c_int8 * length)()
    direction = ctypes.c_uint32(PARAGRAPH_AUTO)
    library.fribidi_get_bidi_types(characters, length, types)
    library.fribidi_get_bracket_types(characters, length, types, brackets)
    if not library.fribidi_get_par_embedding_levels_ex(types, brackets, length, ctypes.byref(direction), levels):
        raise BidiUnavailable("FriBidi could not order the text")
    return list(levels)


def visual_order(levels: list[int]) -> list[int]:
    """Indices of the runs (each with one level) in the order they stand on the line, left to right (rule L2:
    reverse every stretch at or above each odd level, from the highest level down)."""
    order = list(range(len(levels)))
    odd_levels = [level for level in levels if level % 2]
    if not odd_levels:
        return order
    for level in range(max(levels), min(odd_levels) - 1, -1):
        start = 0
        while start < len(order):
            if levels[order[start]] < level:
                start += 1
                continue
            end = start
            while end < len(order) and levels[order[end]] >= level:
                end += 1
            order[start:end] = reversed(order[start:end])
            start = end
    return order
