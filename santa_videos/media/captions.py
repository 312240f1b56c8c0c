"""The child's name as the title and the captions under Santa, set as pictures (typeset.py): the title one picture,
the captions one picture track (slideshow.py) that shows each caption while it is spoken."""

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from santa_videos.media.slideshow import write_slideshow
from santa_videos.media.speech import Cue
from santa_videos.media.typeset import Style, block_size, draw_block, fit, layout

WIDTH = 1280
TITLE_STYLE = Style(58, stroke_width=3)
TITLE_MAX_WIDTH, TITLE_MIN_SIZE = 1200, 30
TITLE_TOP = 22  # the title picture's top edge; its capitals start about where drawtext put them (y=36)
CAPTION_STYLE = Style(38, stroke_width=3, line_spacing=1.3)
CAPTION_MAX_WIDTH = 1100
CAPTION_BOX_BORDER, CAPTION_BOX_FILL, CAPTION_BOTTOM = 14, (0, 0, 0, 115), 48
PNG_OPTIONS = {"format": "PNG", "compress_level": 1}  # read back once by FFmpeg: speed over size


@dataclass(frozen=True)
class TextLayers:
    title: Path  # a picture, its top at TITLE_TOP, centred
    captions: Path  # a picture track as wide as the frame, at its bottom


def render_title(text: str, out: Path) -> Path:
    style, lines = fit(text, TITLE_STYLE, TITLE_MAX_WIDTH, TITLE_MIN_SIZE)
    width, height = block_size(lines, style)
    image = Image.new("RGBA", (max(width, 2), max(height, 2)), (0, 0, 0, 0))
    draw_block(image, lines, style, image.width / 2, 0)
    image.save(out, **PNG_OPTIONS)
    return out


def _caption_picture(lines, band_height: int) -> Image.Image:
    image = Image.new("RGBA", (WIDTH, band_height), (0, 0, 0, 0))
    width, height = block_size(lines, CAPTION_STYLE)
    bottom = band_height - CAPTION_BOTTOM
    top = bottom - height
    box = [(WIDTH - width) / 2 - CAPTION_BOX_BORDER, top - CAPTION_BOX_BORDER,
           (WIDTH + width) / 2 + CAPTION_BOX_BORDER, bottom + CAPTION_BOX_BORDER]
    ImageDraw.Draw(image).rectangle(box, fill=CAPTION_BOX_FILL)
    draw_block(image, lines, CAPTION_STYLE, WIDTH / 2, top)
    return image


def render_captions(cues: list[Cue], duration: float, directory: Path) -> Path:
    """One picture per cue, all as high as the tallest caption needs, shown from its start to its end."""
    laid_out = [layout(cue.text, CAPTION_STYLE, CAPTION_MAX_WIDTH) for cue in cues]
    tallest = max((block_size(lines, CAPTION_STYLE)[1] for lines in laid_out), default=0)
    band_height = tallest + 2 * CAPTION_BOX_BORDER + CAPTION_BOTTOM + 2
    blank = directory / "caption-none.png"
    Image.new("RGBA", (WIDTH, band_height), (0, 0, 0, 0)).save(blank, **PNG_OPTIONS)
    changes: list[tuple[float, Path]] = [(0.0, blank)]
    for number, (cue, lines) in enumerate(zip(cues, laid_out)):
        picture = directory / f"caption-{number:03d}.png"
        _caption_picture(lines, band_height).save(picture, **PNG_OPTIONS)
        changes += [(cue.start, picture), (cue.end, blank)]
    return write_slideshow(directory / "captions.ffconcat", changes, duration)


def render_text_layers(title: str, cues: list[Cue], duration: float, directory: Path) -> TextLayers:
    directory.mkdir(parents=True, exist_ok=True)
    return TextLayers(render_title(title, directory / "title.png"), render_captions(cues, duration, directory))
