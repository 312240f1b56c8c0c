"""Santa's own voice from ElevenLabs, through the official SDK, with character timings for the captions."""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import httpx
from pydantic import Field

from santa_videos.media.audio_convert import to_speech_wav
from santa_videos.media.ffmpeg_run import MediaError
from santa_videos.media.speech import Speech
from santa_videos.media.timings import Word, join_spoken, line_cues, words_from_characters
from santa_videos.providers.errors import (
    PermanentProviderError, ProviderError, QuotaExceeded, TransientProviderError, detail_status, detail_text,
    retry_after_seconds,
)
from santa_videos.providers.retry import Attempts, RetryBudget, call_with_retries

if TYPE_CHECKING:
    from elevenlabs.client import ElevenLabs

PROVIDER = "ElevenLabs"
TRANSIENT_STATUSES = {408, 409, 429}


def _api_error() -> type[Exception]:
    # The SDK takes most of a second to import: every run worker loads this module, few call ElevenLabs.
    from elevenlabs.core import ApiError

    return ApiError


@dataclass(frozen=True)
class VoicedSpeech:
    speech: Speech
    words: list[Word]
    characters_billed: int
    request_id: str


def classify(exc: Exception) -> ProviderError:
    """The SDK's exceptions as our taxonomy, in words that never include the key."""
    if isinstance(exc, httpx.TimeoutException):
        return TransientProviderError(PROVIDER, f"no answer in time ({type(exc).__name__})")
    if isinstance(exc, httpx.TransportError):
        return TransientProviderError(PROVIDER, f"connection failed ({type(exc).__name__})")
    if not isinstance(exc, _api_error()):
        return PermanentProviderError(PROVIDER, f"unreadable answer ({type(exc).__name__})")
    status, code, text = exc.status_code or 0, detail_status(exc.body), detail_text(exc.body)
    if status == 401 and code == "quota_exceeded":
        return QuotaExceeded(PROVIDER, f"quota exceeded: the account has no credits left for this order ({text})")
    if status == 401:
        return PermanentProviderError(PROVIDER, f"the API key was refused ({code or 'HTTP 401'})")
    if code == "voice_not_found":
        return PermanentProviderError(PROVIDER, "unknown voice id: check SANTA_VOICE_ID")
    if status in TRANSIENT_STATUSES or status >= 500:
        return TransientProviderError(PROVIDER, f"HTTP {status} {code or text}".strip(), retry_after_seconds(exc.headers))
    if 200 <= status < 300:
        return PermanentProviderError(PROVIDER, "answered with something other than its JSON (e.g. a web page) instead of audio")
    return PermanentProviderError(PROVIDER, f"HTTP {status} {code}: {text}".strip())


class ElevenLabsVoice(dg.ConfigurableResource):
    """Santa's voice from ElevenLabs (with-timestamps endpoint). The key comes from EnvVar("ELEVENLABS_API_KEY")."""

    api_key: str = Field(default="", description="ElevenLabs API key; set it with EnvVar, never as a literal")
    voice_id: str = ""
    model_id: str = "eleven_multilingual_v2"
    output_format: str = "mp3_44100_128"
    stability: float = 0.5
    similarity_boost: float = 0.75
    style: float = 0.0
    use_speaker_boost: bool = True
    speed: float = 1.0
    base_url: str = "https://api.elevenlabs.io"
    timeout_seconds: float = 60
    max_attempts: int = 4
    retry_base_seconds: float = 1.0
    retry_budget_seconds: float = 90
    ffmpeg_timeout_seconds: float = 120

    def missing_configuration(self) -> str:
        """Why this voice cannot be used at all ('' when it can): checked before any request is paid for."""
        if not self.api_key:
            return "no API key (set ELEVENLABS_API_KEY)"
        if not self.voice_id:
            return "no voice id (set SANTA_VOICE_ID)"
        return ""

    def _client(self) -> "ElevenLabs":
        from elevenlabs.client import ElevenLabs

        return ElevenLabs(api_key=self.api_key, base_url=self.base_url, timeout=self.timeout_seconds)

    def _budget(self) -> RetryBudget:
        return RetryBudget(self.max_attempts, self.retry_base_seconds, 30.0, self.retry_budget_seconds)

    def _request(self, client: "ElevenLabs", text: str, language: str):
        from elevenlabs import VoiceSettings

        # multilingual_v2 refuses language_code; other models are told the language. None would be sent as null.
        language_option = {} if "multilingual_v2" in self.model_id else {"language_code": language}
        try:
            return client.text_to_speech.with_raw_response.convert_with_timestamps(
                voice_id=self.voice_id, text=text, model_id=self.model_id, output_format=self.output_format,
                **language_option,
                voice_settings=VoiceSettings(
                    stability=self.stability, similarity_boost=self.similarity_boost, style=self.style,
                    use_speaker_boost=self.use_speaker_boost, speed=self.speed,
                ),
                # Our own policy retries (and counts); the SDK's hidden retries would multiply it.
                request_options={"max_retries": 0},
            )
        except (_api_error(), httpx.HTTPError, ValueError) as exc:
            raise classify(exc) from None

    def synthesize(
        self, lines: list[tuple[str, str]], language: str, out: Path, workdir: Path,
        attempts: Attempts, log: Callable[[str], None],
    ) -> VoicedSpeech:
        """One request for the whole script; `lines` are (spoken, caption) pairs. Writes the 48 kHz WAV to `out`."""
        text, _spans = join_spoken(lines)
        client = self._client()
        response = call_with_retries(lambda: self._request(client, text, language), self._budget(), attempts, log, "speech")
        data = response.data
        alignment = data.alignment or data.normalized_alignment
        if alignment is None or not alignment.characters:
            raise PermanentProviderError(PROVIDER, "the answer has no character timings")
        workdir.mkdir(parents=True, exist_ok=True)
        encoded = workdir / f"elevenlabs.{self.output_format.split('_')[0]}"
        try:
            encoded.write_bytes(base64.b64decode(data.audio_base_64, validate=True))
            duration = to_speech_wav(encoded, self.output_format, out, self.ffmpeg_timeout_seconds)
        except (binascii.Error, MediaError):
            raise PermanentProviderError(PROVIDER, "returned audio that cannot be decoded") from None
        finally:
            encoded.unlink(missing_ok=True)
        chars = alignment.characters
        starts, ends = alignment.character_start_times_seconds, alignment.character_end_times_seconds
        headers = {k.lower(): v for k, v in response.headers.items()}
        return VoicedSpeech(
            speech=Speech(path=out, duration=duration, cues=line_cues(lines, text, chars, starts, ends)),
            words=words_from_characters(chars, starts, ends),
            characters_billed=int(headers.get("character-cost") or len(text)),
            request_id=headers.get("request-id", ""),
        )

    def quota_status(self) -> tuple[bool, str]:
        """(usable, plain words) from the account's subscription: for health checks."""
        problem = self.missing_configuration()
        if problem:
            return False, f"{PROVIDER}: {problem}"
        try:
            subscription = self._client().user.subscription.get(request_options={"max_retries": 0})
        except (_api_error(), httpx.HTTPError, ValueError) as exc:
            return False, str(classify(exc))
        left = subscription.character_limit - subscription.character_count
        if left <= 0:
            return False, f"{PROVIDER}: quota exceeded: {subscription.character_count} of {subscription.character_limit} characters used"
        return True, f"{PROVIDER}: {left} of {subscription.character_limit} characters left"
