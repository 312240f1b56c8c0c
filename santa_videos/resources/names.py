import dagster as dg
from pydantic import PrivateAttr

from santa_videos.names.lexicon import Lexicon, LexiconError
from santa_videos.names.location import LexiconLocation
from santa_videos.names.speech_rules import dictionary_rules, espeak_text
from santa_videos.resources.media_store import MediaStore


class NameLexicon(dg.ConfigurableResource):
    """The shop's name lexicon, the same for every order: SANTA_NAME_LEXICON (a CSV file, or media:KEY in the media
    store), else the starter lexicon shipped with santa-videos. Read once per run."""

    location: str = ""
    media: MediaStore
    _loaded: dict = PrivateAttr(default_factory=dict)

    def lexicon(self) -> Lexicon:
        """The lexicon; dg.Failure (no retry: the file must be fixed first) when it cannot be read."""
        if "lexicon" not in self._loaded:
            where = LexiconLocation(self.location)
            try:
                self._loaded["lexicon"] = where.load(self.media.backend)
            except (LexiconError, FileNotFoundError, UnicodeDecodeError) as exc:
                raise dg.Failure(f"the name lexicon cannot be used: {exc}", allow_retries=False) from None
        return self._loaded["lexicon"]

    def dictionary_rules(self, language: str, phonemes: bool) -> list[dict]:
        """The ElevenLabs pronunciation rules of `language` (speech_rules.py)."""
        key = ("rules", language, phonemes)
        if key not in self._loaded:
            self._loaded[key] = dictionary_rules(self.lexicon(), language, phonemes)
        return self._loaded[key]

    def espeak_text(self, text: str, language: str) -> str:
        return espeak_text(text, self.lexicon(), language)
