"""The speech chain: the voice providers in the order settings give, each tried until one serves.

A provider that is not configured is skipped without a request; one that fails (permanently, or transiently
after its retries) hands over to the next. The result says which served and why the earlier ones did not.
"""

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from santa_videos.media.ffmpeg_run import MediaError
from santa_videos.media.speech import Speech
from santa_videos.media.timings import Word
from santa_videos.providers.errors import ProviderError
from santa_videos.providers.retry import Attempts
from santa_videos.resources.elevenlabs import ElevenLabsVoice
from santa_videos.resources.voice import EspeakVoice

SPEECH_PROVIDERS = ("elevenlabs", "espeak")


@dataclass
class SpokenScript:
    speech: Speech
    provider: str
    voice: str
    words: list[Word] = field(default_factory=list)
    characters_billed: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    fallback_seconds: float = 0.0


class SpeechChain(dg.ConfigurableResource):
    """Santa's voice: ElevenLabs first when configured, espeak-ng (offline, free) as the last resort."""

    providers: list[str] = ["espeak"]
    elevenlabs: ElevenLabsVoice
    espeak: EspeakVoice

    def speak(
        self, lines: list[tuple[str, str]], language: str, out: Path, workdir: Path, log: Callable[[str], None]
    ) -> SpokenScript:
        """Fails with dg.Failure (no step retry) when every provider failed; the reasons are in the message."""
        skipped, requests, started = [], {}, time.monotonic()
        for name in self.providers:
            failed_at = time.monotonic()
            try:
                result = self._speak_with(name, lines, language, out, workdir, requests, log)
            except ProviderError as exc:
                skipped.append(f"{name}: {exc.reason}")
                log(f"speech provider {name} skipped: {exc.reason}")
                continue
            except MediaError as exc:
                skipped.append(f"{name}: {exc}")
                log(f"speech provider {name} skipped: {exc}")
                continue
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
            result.skipped, result.requests = skipped, requests
            result.fallback_seconds = round(failed_at - started, 3) if skipped else 0.0
            return result
        raise dg.Failure(
            "no speech provider could voice the script: " + "; ".join(skipped or ["none is configured"]),
            allow_retries=False,
        )

    def _speak_with(self, name, lines, language, out, workdir, requests, log) -> SpokenScript:
        if name == "elevenlabs":
            missing = self.elevenlabs.missing_configuration()
            if missing:
                raise ProviderError("ElevenLabs", missing)
            attempts = Attempts()
            try:
                voiced = self.elevenlabs.synthesize(lines, language, out, workdir, attempts, log)
            finally:
                requests["elevenlabs"] = attempts.count
            return SpokenScript(
                speech=voiced.speech, provider="elevenlabs", voice=self.elevenlabs.voice_id, words=voiced.words,
                characters_billed=voiced.characters_billed,
            )
        if name == "espeak":
            speech = self.espeak.speak(lines, language, out, workdir)
            return SpokenScript(speech=speech, provider=self.espeak.provider, voice=self.espeak.voice_for(language))
        raise ProviderError(name, f"unknown speech provider (known: {', '.join(SPEECH_PROVIDERS)})")
