"""Santa's own voice from ElevenLabs, through the official SDK, with character timings for the captions."""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import httpx
from pydantic import Field, PrivateAttr

from santa_videos.media.audio_convert import input_args
from santa_videos.media.ffmpeg_run import MediaError
from santa_videos.media.loudness import level_sentence
from santa_videos.media.sentence_cuts import SentenceCut, VoicedSentence, join_sentences, sentence_cuts
from santa_videos.media.timings import Word, words_from_characters
from santa_videos.names.dictionaries import DictionaryLocator, DictionaryRecords, rules_hash
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
class VoicedRequest:
    sentences: list[VoicedSentence]
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
    # Where the pronunciation dictionaries made from the name lexicon are recorded (the orders database); empty:
    # no dictionary is sent.
    dictionaries_db_url: str = ""
    _locators: dict = PrivateAttr(default_factory=dict)

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

    def pronunciation_locators(self, rules: list[dict], attempts: Attempts, log: Callable[[str], None]) -> list[dict]:
        """The locator of the pronunciation dictionary holding `rules`, created the first time these rules are
        used (on this API) and recorded; none without rules or a place to record them."""
        if not rules or not self.dictionaries_db_url:
            return []
        key = rules_hash(rules, self.base_url)
        if key not in self._locators:
            from santa_videos.resources.orders import table_at

            records = DictionaryRecords(table_at(self.dictionaries_db_url).engine)
            locator = records.find(key)
            if locator is None:
                client = self._client()
                created = call_with_retries(lambda: self._create_dictionary(client, rules, key), self._budget(),
                                            attempts, log, "pronunciation dictionary")
                locator = records.keep(key, DictionaryLocator(created.id, created.version_id), len(rules))
                log(f"pronunciation dictionary {locator.dictionary_id} created with {len(rules)} rules")
            self._locators[key] = locator
        return [self._locators[key].as_request()]

    def _create_dictionary(self, client: "ElevenLabs", rules: list[dict], key: str):
        try:
            return client.pronunciation_dictionaries.create_from_rules(
                rules=rules, name=f"santa-videos names {key[:12]}",
                description="How Santa says names, made from the shop's name lexicon", request_options={"max_retries": 0},
            )
        except (_api_error(), httpx.HTTPError, ValueError) as exc:
            raise classify(exc) from None

    def _request(self, client: "ElevenLabs", text: str, language: str, previous_text: str, next_text: str,
                 locators: list[dict]):
        from elevenlabs import VoiceSettings

        # multilingual_v2 refuses language_code; other models are told the language. None would be sent as null.
        language_option = {} if "multilingual_v2" in self.model_id else {"language_code": language}
        context = {name: value for name, value in (("previous_text", previous_text), ("next_text", next_text)) if value}
        dictionaries = {"pronunciation_dictionary_locators": locators} if locators else {}
        try:
            return client.text_to_speech.with_raw_response.convert_with_timestamps(
                voice_id=self.voice_id, text=text, model_id=self.model_id, output_format=self.output_format,
                **language_option, **context, **dictionaries,
                voice_settings=VoiceSettings(
                    stability=self.stability, similarity_boost=self.similarity_boost, style=self.style,
                    use_speaker_boost=self.use_speaker_boost, speed=self.speed,
                ),
                # Our own policy retries (and counts); the SDK's hidden retries would multiply it.
                request_options={"max_retries": 0},
            )
        except (_api_error(), httpx.HTTPError, ValueError) as exc:
            raise classify(exc) from None

    def voice_sentences(
        self, sentences: list[str], language: str, outs: list[Path], workdir: Path, attempts: Attempts,
        log: Callable[[str], None], previous_text: str = "", next_text: str = "", locators: list[dict] | None = None,
    ) -> VoicedRequest:
        """One request speaking `sentences` in a row (with the text around them as context, so the voice keeps
        its tone across the seams), cut back into one levelled WAV per sentence at `outs`."""
        text, spans = join_sentences(sentences)
        client = self._client()
        response = call_with_retries(
            lambda: self._request(client, text, language, previous_text, next_text, locators or []), self._budget(),
            attempts, log,
            "speech",
        )
        data = response.data
        alignment = data.alignment or data.normalized_alignment
        if alignment is None or not alignment.characters:
            raise PermanentProviderError(PROVIDER, "the answer has no character timings")
        workdir.mkdir(parents=True, exist_ok=True)
        encoded = workdir / f"elevenlabs.{self.output_format.split('_')[0]}"
        chars = alignment.characters
        starts, ends = alignment.character_start_times_seconds, alignment.character_end_times_seconds
        try:
            encoded.write_bytes(base64.b64decode(data.audio_base_64, validate=True))
            voiced = [
                self._cut(encoded, out, cut, chars, starts, ends)
                for out, cut in zip(outs, sentence_cuts(spans, len(text), chars, starts, ends))
            ]
        except (binascii.Error, MediaError):
            raise PermanentProviderError(PROVIDER, "returned audio that cannot be decoded") from None
        finally:
            encoded.unlink(missing_ok=True)
        headers = {k.lower(): v for k, v in response.headers.items()}
        return VoicedRequest(
            sentences=voiced, characters_billed=int(headers.get("character-cost") or len(text)),
            request_id=headers.get("request-id", ""),
        )

    def _cut(self, encoded: Path, out: Path, cut: "SentenceCut", chars, starts, ends) -> VoicedSentence:
        duration = level_sentence(input_args(encoded, self.output_format), out, self.ffmpeg_timeout_seconds,
                                  start=cut.start, end=cut.end)
        words = [
            Word(start=round(max(0.0, w.start - cut.start), 3), end=round(min(duration, w.end - cut.start), 3), text=w.text)
            for w in words_from_characters(chars[cut.first:cut.last], starts[cut.first:cut.last], ends[cut.first:cut.last])
        ]
        return VoicedSentence(path=out, duration=duration, words=words)

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
