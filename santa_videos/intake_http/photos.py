"""A customer's photo, made safe: only JPEG or PNG, within size and pixel caps, decoded and re-encoded by Pillow
so no metadata (EXIF location, camera, ICC, comments) and nothing but pixels leaves this module."""

import io

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG")
MAX_SIDE = 2048
JPEG_QUALITY = 90


class PhotoInvalid(ValueError):
    pass


def reencode_photo(data: bytes, max_bytes: int, max_pixels: int) -> bytes:
    """The photo as a fresh JPEG (at most MAX_SIDE pixels a side, upright, RGB), or PhotoInvalid saying why not."""
    if len(data) > max_bytes:
        raise PhotoInvalid(f"photo: must be at most {max_bytes // (1024 * 1024)} MB (got {len(data) / 1024 / 1024:.1f} MB)")
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            width, height = image.size
            # Checked before decoding: the header alone says how much memory the pixels would take.
            if width * height > max_pixels:
                raise PhotoInvalid(
                    f"photo: must have at most {max_pixels // 1_000_000} megapixels (got {width}x{height})"
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            pixels = _flatten(upright)
    except PhotoInvalid:
        raise
    except UnidentifiedImageError:
        raise PhotoInvalid("photo: must be a JPEG or PNG image") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoInvalid("photo: could not be read; the file looks damaged") from None
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency is laid on white, as a printed photo would be."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
