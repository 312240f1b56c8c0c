"""The child's photo in the story: Santa's Nice List book, open at the child's page (the photo on the left, the
name on the right), rising into view beside Santa while he greets the child, floating gently, then going.

The photo comes from the order's media folder, already re-encoded by the intake; it is drawn into the book here
with Pillow, in the video step's scratch folder, and never leaves the media store otherwise.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from santa_videos.media.slideshow import overlay_picture
from santa_videos.media.speech import Cue
from santa_videos.media.typeset import Style, block_size, draw_block, fit

PHOTO_FILE = "photo.jpg"  # where the intake keeps an order's photo, re-encoded, in its media folder
BOOK_SIZE = (480, 340)
SHADOW = 14
POSITION = (36, 150)  # the book's top left at rest
HEADINGS = {"en": "Nice List", "es": "Lista de niños buenos"}
COVER, GOLD, PAGE, INK, RED_INK = (118, 18, 30, 255), (214, 170, 60, 255), (252, 246, 230, 255), (45, 35, 35, 255), (170, 25, 35, 255)
PHOTO_SIZE = (176, 204)
RISE_SECONDS, BEFORE_NAME, AFTER_NAME, AT_LEAST = 0.8, 0.3, 3.5, 6.0


def _framed_photo(photo: Path) -> Image.Image:
    with Image.open(photo) as source:
        picture = ImageOps.fit(source.convert("RGB"), PHOTO_SIZE, Image.LANCZOS)
    framed = ImageOps.expand(picture, border=8, fill="white").convert("RGBA")
    return framed.rotate(3, resample=Image.BICUBIC, expand=True)


def _star(draw: ImageDraw.ImageDraw, center: tuple[float, float], radius: float) -> None:
    points = []
    for corner in range(10):
        reach = radius if corner % 2 == 0 else radius * 0.45
        angle = math.pi / 2 + corner * math.pi / 5
        points.append((center[0] + reach * math.cos(angle), center[1] - reach * math.sin(angle)))
    draw.polygon(points, fill=GOLD)


def _right_page(book: Image.Image, name: str, language: str) -> None:
    left, right = 254, 466
    middle, width = (left + right) / 2, right - left - 24
    heading_style, heading = fit(HEADINGS.get(language, HEADINGS["en"]), Style(30, fill=RED_INK, line_spacing=1.2),
                                 width, 24)
    draw_block(book, heading, heading_style, middle, 30)
    line_y = 34 + block_size(heading, heading_style)[1]
    draw = ImageDraw.Draw(book)
    draw.line([(left + 30, line_y), (right - 30, line_y)], fill=GOLD, width=3)
    name_style, name_lines = fit(name, Style(36, fill=INK, line_spacing=1.3), width, 18)
    name_height = block_size(name_lines, name_style)[1]
    draw_block(book, name_lines[:2], name_style, middle, max(line_y + 16, 170 - name_height // 2))
    check = [(middle - 26, 252), (middle - 8, 270), (middle + 28, 230)]
    draw.line(check, fill=(30, 130, 60, 255), width=8, joint="curve")
    for offset in (-60, 0, 60):
        _star(draw, (middle + offset, 306), 11)


def render_photo_card(photo: Path, name: str, language: str, out: Path) -> Path:
    """The open book with the photo and the name, with a soft shadow, as a PNG."""
    width, height = BOOK_SIZE
    book = Image.new("RGBA", BOOK_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(book)
    draw.rounded_rectangle([0, 0, width - 1, height - 1], radius=16, fill=COVER, outline=GOLD, width=4)
    for page in ([14, 12, width // 2 - 2, height - 14], [width // 2 + 2, 12, width - 15, height - 14]):
        draw.rounded_rectangle(page, radius=8, fill=PAGE)
    for step in range(8):  # the fold between the pages
        shade = 200 + step * 6
        draw.line([(width // 2 - 8 + step, 14), (width // 2 - 8 + step, height - 16)], fill=(shade, shade - 8, shade - 25, 255))
    framed = _framed_photo(photo)
    book.alpha_composite(framed, ((width // 2 - framed.width) // 2 + 6, (height - framed.height) // 2))
    _right_page(book, name, language)
    canvas = Image.new("RGBA", (width + 2 * SHADOW, height + 2 * SHADOW), (0, 0, 0, 0))
    shadow = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    ImageDraw.Draw(shadow).rounded_rectangle([SHADOW + 4, SHADOW + 8, SHADOW + width, SHADOW + height + 4],
                                             radius=16, fill=(0, 0, 0, 110))
    canvas.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(6)))
    canvas.alpha_composite(book, (SHADOW, SHADOW))
    canvas.save(out, format="PNG", compress_level=1)
    return out


def card_window(cues: list[Cue], name: str, duration: float) -> tuple[float, float]:
    """From just before Santa first says the name to a few seconds after (at least AT_LEAST seconds in all)."""
    first_word = name.split()[0] if name.split() else name
    said = next((cue for cue in cues if first_word in cue.text), cues[0] if cues else None)
    start = max(0.0, (said.start if said else 0.0) - BEFORE_NAME)
    end = max((said.end if said else 0.0) + AFTER_NAME, start + AT_LEAST)
    return round(start, 3), round(min(end, duration), 3)


def lay_card(video, card: Path, window: tuple[float, float], frame_height: int = 720):
    """Overlay the book on `video` during `window`: it rises from below the frame, floats, and sinks away."""
    start, end = window
    rest_x, rest_y = POSITION[0] - SHADOW, POSITION[1] - SHADOW
    travel = frame_height - rest_y
    rising = f"pow(max(0,1-(t-{start})/{RISE_SECONDS}),3)"
    sinking = f"pow(max(0,(t-{end - RISE_SECONDS})/{RISE_SECONDS}),3)"
    x = f"{rest_x}+6*sin(2*PI*(t-{start})/5)"
    y = f"{rest_y}+{travel}*({rising}+{sinking})+5*sin(2*PI*(t-{start})/3)"
    return overlay_picture(video, card, x=x, y=y, enable=f"between(t,{start},{end})")
