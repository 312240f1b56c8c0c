"""What an order's texts must be for the video to show them: a mention that looks like a catalog key is one, and
every character of the name and of the parent's own words is one some installed font can draw (never a box)."""

from santa_videos.script.catalog import entry, looks_like_key


def drawable(text: str) -> str:
    if text.isascii():
        return text  # every installed Latin font has ASCII: no need to open one
    from santa_videos.media.fonts import undrawable  # Pillow and fontTools, only for texts that need them

    missing = undrawable(text)
    if missing:
        shown = ", ".join(f"{c} (U+{ord(c[0]):04X})" for c in missing)
        raise ValueError(f"has characters the video cannot draw: {shown}; please write them another way")
    return text


def catalog_key_or_drawable(text: str) -> str:
    if looks_like_key(text):
        if entry(text) is None:
            raise ValueError(f"{text!r} is not a catalog key (the catalog: GET /catalog or `santa-videos catalog`)")
        return text
    return drawable(text)
