"""Where the shop's lexicon lives: SANTA_NAME_LEXICON, a file path or `media:KEY` (an object in the media store,
which every machine of a cluster reaches); unset, the starter lexicon shipped with the package."""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from santa_videos.names.lexicon import Lexicon, parse_lexicon
from santa_videos.storage import ObjectBackend

STARTER_LEXICON = Path(__file__).with_name("starter_lexicon.csv")
MEDIA_PREFIX = "media:"


class LexiconUnwritable(ValueError):
    """The lexicon named cannot be changed where it is (the packaged starter lexicon)."""


def configured_location() -> str:
    return os.environ.get("SANTA_NAME_LEXICON", "").strip()


@dataclass(frozen=True)
class LexiconLocation:
    """A lexicon's place: `value` as SANTA_NAME_LEXICON gives it ('' for the starter lexicon)."""

    value: str = ""

    @property
    def is_starter(self) -> bool:
        return not self.value

    @property
    def media_key(self) -> str | None:
        return self.value[len(MEDIA_PREFIX):].lstrip("/") if self.value.startswith(MEDIA_PREFIX) else None

    def describe(self) -> str:
        return "the starter lexicon shipped with santa-videos" if self.is_starter else self.value

    def read_text(self, media: Callable[[], ObjectBackend] | None = None) -> str:
        if self.is_starter:
            return STARTER_LEXICON.read_text(encoding="utf-8")
        key = self.media_key
        if key is None:
            try:
                return Path(self.value).expanduser().read_text(encoding="utf-8")
            except FileNotFoundError:
                raise FileNotFoundError(f"SANTA_NAME_LEXICON names {self.value}, which does not exist") from None
        data = _backend(media).get_bytes(key)
        if data is None:
            raise FileNotFoundError(f"SANTA_NAME_LEXICON names {key} in the media store, which holds no such object")
        return data.decode("utf-8")

    def load(self, media: Callable[[], ObjectBackend] | None = None) -> Lexicon:
        return parse_lexicon(self.read_text(media), self.describe())

    def write(self, lexicon: Lexicon, media: Callable[[], ObjectBackend] | None = None) -> None:
        """Replace the lexicon, whole or not at all."""
        if self.is_starter:
            raise LexiconUnwritable(
                "the starter lexicon shipped with santa-videos is not changed in place: copy it "
                "(santa-videos names list --csv > names.csv), set SANTA_NAME_LEXICON to the copy and try again"
            )
        data = lexicon.to_csv().encode("utf-8")
        key = self.media_key
        if key is not None:
            _backend(media).put_bytes(key, data, "text/csv")
            return
        path = Path(self.value).expanduser()
        temp = path.with_name(f".{path.name}.writing")
        temp.write_bytes(data)
        temp.replace(path)


def _backend(media) -> ObjectBackend:
    if media is None:
        from santa_videos.resources.media_store import media_store

        return media_store().backend()
    return media()

