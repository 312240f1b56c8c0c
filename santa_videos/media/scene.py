"""The North Pole scene the local clip renderer animates, drawn here with Pillow (no downloaded art).

Three layers: the night background, Santa (transparent around him, his mouth closed) and a tileable snowfall layer
twice the frame height, which FFmpeg scrolls down to make snow fall. And Santa's face sprites: his eyes and mouth
in each state, laid over his face while he talks.
"""

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from santa_videos.media.files import atomic_path

WIDTH, HEIGHT = 1280, 720
SCENE_VERSION = 3
SANTA_SIZE = (420, 560)
SANTA_ORIGIN = ((WIDTH - SANTA_SIZE[0]) // 2, HEIGHT - SANTA_SIZE[1] + 90)  # his picture's top left, at rest
FACE_BOX = (150, 160, 270, 280)  # the part of his picture a face sprite covers: both eyes and the mouth
EYES, MOUTHS = ("open", "closed"), ("closed", "half", "open")
RED, WHITE, SKIN = (200, 30, 40, 255), (250, 250, 250, 255), (245, 200, 170, 255)
LIPS, INSIDE, TONGUE, PUPIL = (150, 40, 50, 255), (95, 20, 30, 255), (225, 105, 115, 255), (30, 30, 40, 255)
EYE_CENTERS = ((175, 180), (245, 180))


@dataclass(frozen=True)
class SceneLayers:
    background: Path
    santa: Path
    snow: Path


def _save(image: Image.Image, path: Path) -> None:
    with atomic_path(path) as temp:
        image.save(temp, format="PNG")


def _background() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        shade = y / HEIGHT
        draw.line([(0, y), (WIDTH, y)], fill=(int(10 + 30 * shade), int(20 + 40 * shade), int(60 + 70 * shade)))
    stars = random.Random(7)
    for _ in range(140):
        x, y, r = stars.randrange(WIDTH), stars.randrange(int(HEIGHT * 0.55)), stars.choice((1, 1, 2))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 250, 220))
    draw.ellipse([1040, 60, 1140, 160], fill=(250, 245, 215))
    draw.ellipse([1065, 55, 1165, 155], fill=(18, 30, 72))
    draw.polygon([(0, 520), (300, 450), (640, 500), (980, 440), (1280, 490), (1280, 720), (0, 720)], fill=(225, 235, 250))
    for x, size in ((120, 150), (230, 110), (1040, 170), (1170, 120)):
        base = 560 - size // 10
        for tier in range(3):
            top = base - size + tier * size // 4
            half = size // 3 - tier * 8
            draw.polygon([(x, top), (x - half, top + size // 2), (x + half, top + size // 2)], fill=(20, 90, 50))
        draw.rectangle([x - 8, base - size // 2 + size // 2, x + 8, base + 20], fill=(90, 55, 30))
    draw.rectangle([300, 360, 520, 520], fill=(120, 60, 40))
    draw.polygon([(280, 370), (410, 280), (540, 370)], fill=(240, 245, 255))
    draw.rectangle([330, 400, 390, 450], fill=(255, 210, 110))
    draw.rectangle([430, 420, 490, 520], fill=(70, 35, 20))
    return image


def _santa() -> Image.Image:
    image = Image.new("RGBA", SANTA_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red, white, skin = RED, WHITE, SKIN
    draw.ellipse([40, 250, 380, 600], fill=red)
    draw.rectangle([40, 400, 380, 440], fill=(30, 20, 20, 255))
    draw.rectangle([180, 395, 240, 445], outline=(230, 190, 60, 255), width=8)
    draw.ellipse([110, 90, 310, 290], fill=skin)
    draw.polygon([(100, 200), (320, 200), (290, 360), (210, 400), (130, 360)], fill=white)
    draw.ellipse([95, 160, 325, 250], fill=white)
    draw.ellipse([140, 150, 280, 230], fill=skin)
    for x, y in EYE_CENTERS:
        draw.ellipse([x - 10, y - 10, x + 10, y + 10], fill=PUPIL)
        draw.ellipse([x - 17, y - 24, x + 17, y - 13], fill=white)  # eyebrow
    draw.ellipse([195, 190, 225, 220], fill=(230, 120, 110, 255))
    draw.ellipse([140, 200, 175, 225], fill=(240, 150, 150, 180))
    draw.ellipse([245, 200, 280, 225], fill=(240, 150, 150, 180))
    draw.arc([190, 226, 230, 250], 20, 160, fill=LIPS, width=5)  # the mouth, closed: sprites open it
    draw.polygon([(105, 120), (210, 10), (330, 70), (315, 120)], fill=red)
    draw.rounded_rectangle([95, 105, 325, 145], radius=20, fill=white)
    draw.ellipse([310, 45, 360, 95], fill=white)
    return image


def _snow() -> Image.Image:
    half = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(half)
    flakes = random.Random(11)
    for _ in range(260):
        x, y = flakes.randrange(WIDTH), flakes.randrange(HEIGHT)
        r = flakes.choice((2, 2, 3, 4))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255, flakes.randrange(150, 240)))
    half = half.filter(ImageFilter.GaussianBlur(0.8))
    tile = Image.new("RGBA", (WIDTH, HEIGHT * 2))
    tile.paste(half, (0, 0))
    tile.paste(half, (0, HEIGHT))
    return tile


def face_sprite(eyes: str, mouth: str) -> Image.Image:
    """What covers FACE_BOX of Santa's picture for these eyes and this mouth; transparent where nothing changes
    (so open eyes and a closed mouth are an empty sprite). Patches are the colour under them, so a sprite a pixel
    off does not show."""
    image = Image.new("RGBA", SANTA_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if eyes == "closed":
        for x, y in EYE_CENTERS:
            draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=SKIN)
            draw.arc([x - 10, y - 8, x + 10, y + 8], 20, 160, fill=PUPIL, width=3)
    if mouth != "closed":
        draw.ellipse([176, 231, 244, 275], fill=WHITE)
        box = [193, 238, 227, 254] if mouth == "half" else [191, 236, 229, 268]
        draw.ellipse(box, fill=INSIDE, outline=LIPS, width=3)
        if mouth == "open":
            draw.chord([199, 254, 221, 272], 180, 360, fill=TONGUE)
            draw.ellipse(box, outline=LIPS, width=3)
    sprite = image.crop(FACE_BOX)
    # Transparent pixels keep the colours of Santa's face under them: FFmpeg turns the sprite with bilinear
    # interpolation, and transparent black there would draw a grey ring around each patch.
    under = _santa().crop(FACE_BOX)
    under.putalpha(0)
    return Image.composite(sprite, under, sprite.getchannel("A"))


def ensure_face_sprites(directory: Path) -> dict[tuple[str, str], Path]:
    """The face sprites as PNGs in `directory`, drawn once (atomically), by (eyes, mouth)."""
    sprites = {}
    for eyes in EYES:
        for mouth in MOUTHS:
            path = directory / f"face-{eyes}-{mouth}-v{SCENE_VERSION}.png"
            if not path.exists():
                _save(face_sprite(eyes, mouth), path)
            sprites[eyes, mouth] = path
    return sprites


def ensure_scene(directory: Path) -> SceneLayers:
    """Draw the layers once into `directory` (atomically, so concurrent runs never read half a PNG)."""
    layers = SceneLayers(
        background=directory / f"background-v{SCENE_VERSION}.png",
        santa=directory / f"santa-v{SCENE_VERSION}.png",
        snow=directory / f"snow-v{SCENE_VERSION}.png",
    )
    for path, draw in ((layers.background, _background), (layers.santa, _santa), (layers.snow, _snow)):
        if not path.exists():
            _save(draw(), path)
    return layers
