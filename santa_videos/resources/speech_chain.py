"""The speech chain: the voice providers in the order settings give, each tried until one serves.

A provider that is not configured is skipped without a request; one that fails (permanently, or transiently
after its retries) hands over to the next, which then speaks the whole script: one speech is one voice.
"""

from collections.abc import Callable
from pathlib import Path

import dagster as dg

from santa_videos.media.sentence_cuts import VoicedSentence
from santa_videos.names.speech_rules import reads_phonemes
from santa_videos.providers.errors import ProviderError
from santa_videos.providers.retry import Attempts
from santa_videos.resources.elevenlabs import ElevenLabsVoice
from santa_videos.resources.names import NameLexicon
from santa_videos.resources.voice import EspeakVoice

SPEECH_PROVIDERS = ("elevenlabs", "espeak")
# Characters in one ElevenLabs request: under every model's limit (eleven_v3 takes the fewest).
MAX_REQUEST_CHARACTERS = 3000


class SpeechChain(dg.ConfigurableResource):
    """Santa's voice: ElevenLabs first when configured, espeak-ng (offline, free) as the last resort."""

    providers: list[str] = ["espeak"]
    names: NameLexicon
    elevenlabs: ElevenLabsVoice
    espeak: EspeakVoice

    def unusable(self, name: str) -> str:
        """Why provider `name` cannot serve at all ('' when it can): known before any request is paid for."""
        if name == "elevenlabs":
            return self.elevenlabs.missing_configuration()
        if name == "espeak":
            return ""
        return f"unknown speech provider (known: {', '.join(SPEECH_PROVIDERS)})"

    def provider_name(self, name: str) -> str:
        return self.espeak.provider if name == "espeak" else name

    def voice(self, name: str, language: str) -> str:
        return self.elevenlabs.voice_id if name == "elevenlabs" else self.espeak.voice_for(language)

    def pronunciation_rules(self, language: str) -> list[dict]:
        """The name lexicon's rules ElevenLabs gets for `language` with the configured model."""
        return self.names.dictionary_rules(language, reads_phonemes(self.elevenlabs.model_id, language))

    def voice_sentences(
        self, name: str, sentences: list[str], language: str, outs: list[Path], workdir: Path,
        context: tuple[str, str], requests: dict[str, int], log: Callable[[str], None],
    ) -> tuple[list[VoicedSentence], int]:
        """`sentences` spoken by provider `name` into `outs`; returns them and the characters billed. ElevenLabs
        gets them in as few requests as its limit allows, with the text around each request as `context`
        (previous, next) so the seams keep one tone, and the name lexicon as a pronunciation dictionary."""
        if name == "espeak":
            return [self.espeak.voice_sentence(self.names.espeak_text(text, language), language, out, workdir)
                    for text, out in zip(sentences, outs)], 0
        if name != "elevenlabs":
            raise ProviderError(name, self.unusable(name))
        attempts = Attempts()
        try:
            locators = self.elevenlabs.pronunciation_locators(self.pronunciation_rules(language), attempts, log)
        finally:
            if attempts.count:
                requests["elevenlabs_dictionary"] = requests.get("elevenlabs_dictionary", 0) + attempts.count
        voiced, billed = [], 0
        for first, last in _requests(sentences):
            previous = sentences[first - 1] if first > 0 else context[0]
            following = sentences[last] if last < len(sentences) else context[1]
            attempts = Attempts()
            try:
                request = self.elevenlabs.voice_sentences(
                    sentences[first:last], language, outs[first:last], workdir, attempts, log, previous, following,
                    locators,
                )
            finally:
                requests["elevenlabs"] = requests.get("elevenlabs", 0) + attempts.count
            voiced += request.sentences
            billed += request.characters_billed
        return voiced, billed


def _requests(sentences: list[str]) -> list[tuple[int, int]]:
    """[first, last) ranges of `sentences` that fit one request each."""
    ranges, first, size = [], 0, 0
    for index, sentence in enumerate(sentences):
        if index > first and size + 1 + len(sentence) > MAX_REQUEST_CHARACTERS:
            ranges.append((first, index))
            first, size = index, 0
        size += len(sentence) + (1 if index > first else 0)
    if sentences:
        ranges.append((first, len(sentences)))
    return ranges
