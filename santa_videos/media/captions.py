"""The child's name as the title and the captions under Santa, set as pictures (typeset.py), each as small as its
text: FFmpeg blends every pixel of an overlay, transparent or not, so a picture the width of the frame would cost
the final encode a fifth more than the text itself does."""

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from santa_videos.media.speech import Cue
from santa_videos.media.typeset import Style, block_size, draw_block, fit, layout

TITLE_STYLE = Style(58, stroke_width=3)
TITLE_MAX_WIDTH, TITLE_MIN_SIZE = 1200, 30
TITLE_TOP = 22  # the title picture's top edge; its capitals start about where drawtext put them (y=36)
CAPTION_STYLE = Style(38, stroke_width=3, line_spacing=1.3)
CAPTION_MAX_WIDTH = 1100
CAPTION_BOX_BORDER, CAPTION_BOX_FILL, CAPTION_BOTTOM = 14, (0, 0, 0, 115), 34  # the box stays 34 px above the bottom
PNG_OPTIONS = {"format": "PNG", "compress_level": 1}  # read back once by FFmpeg: speed over size


@dataclass(frozen=True)
class Caption:
    picture: Path  # the caption's box with its text; centred, its bottom CAPTION_BOTTOM above the frame's
    start: float
    end: float


@dataclass(frozen=True)
class TextLayers:
    title: Path  # a picture, its top at TITLE_TOP, centred
    captions: list[Caption]


def render_title(text: str, out: Path) -> Path:
    style, lines = fit(text, TITLE_STYLE, TITLE_MAX_WIDTH, TITLE_MIN_SIZE)
    width, height = block_size(lines, style)
    image = Image.new("RGBA", (max(width, 2), max(height, 2)), (0, 0, 0, 0))
    draw_block(image, lines, style, image.width / 2, 0)
    image.save(out, **PNG_OPTIONS)
    return out


def _caption_picture(text: str) -> Image.Image:
    lines = layout(text, CAPTION_STYLE, CAPTION_MAX_WIDTH)
    width, height = block_size(lines, CAPTION_STYLE)
    image = Image.new("RGBA", (width + 2 * CAPTION_BOX_BORDER, height + 2 * CAPTION_BOX_BORDER), CAPTION_BOX_FILL)
    draw_block(image, lines, CAPTION_STYLE, image.width / 2, CAPTION_BOX_BORDER)
    return image


def render_captions(cues: list[Cue], directory: Path) -> list[Caption]:
    captions = []
    for number, cue in enumerate(cues):
        picture = directory / f"caption-{number:03d}.png"
        _caption_picture(cue.text).save(picture, **PNG_OPTIONS)
        captions.append(Caption(picture, cue.start, cue.end))
    return captions


def render_text_layers(title: str, cues: list[Cue], directory: Path) -> TextLayers:
    directory.mkdir(parents=True, exist_ok=True)
    return TextLayers(render_title(title, directory / "title.png"), render_captions(cues, directory))
