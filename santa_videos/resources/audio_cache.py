import functools
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import sqlalchemy as sa

from santa_videos.media.audio_cache import AudioCache, cache_key
from santa_videos.media.speech import SAMPLE_RATE, Cue, Speech
from santa_videos.media.store_audio_cache import StoreAudioCache
from santa_videos.media.timings import Word, words_json
from santa_videos.orders.table import OrderTable
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.speech_chain import SpeechChain, SpokenScript


@functools.lru_cache(maxsize=4)
def _index_engine(orders_db_url: str) -> sa.Engine:
    return OrderTable(orders_db_url).engine


def open_audio_cache(
    media: MediaStore, root: Path, max_bytes: int, orders_db_url: str
) -> AudioCache | StoreAudioCache:
    """The cache in AUDIO_CACHE_DIR when the media store is this machine's disk; in the bucket, indexed in the
    orders database, when it is shared by several machines."""
    if media.is_s3:
        return StoreAudioCache(media.backend(), max_bytes, _index_engine(orders_db_url))
    return AudioCache(root, max_bytes=max_bytes)


class AudioCacheResource(dg.ConfigurableResource):
    """The speech cache every run shares (AUDIO_CACHE_DIR, or the media store's bucket), capped at
    AUDIO_CACHE_MAX_SIZE_MB."""

    root: str
    max_size_mb: int = 1024
    media: MediaStore
    orders_db_url: str

    def cache(self) -> AudioCache | StoreAudioCache:
        return open_audio_cache(self.media, Path(self.root), self.max_size_mb * 1024 * 1024, self.orders_db_url)


# The names the speech chain lists providers by, for the names they report when they serve.
CHAIN_NAMES = {"elevenlabs": "elevenlabs", "espeak-ng": "espeak"}


def speech_key(voice: SpeechChain, provider: str, language: str, text: str) -> str:
    """The cache key of `text` spoken by `provider` (a chain name) as the chain is configured now."""
    if provider == "elevenlabs":
        eleven = voice.elevenlabs
        settings = {
            "stability": eleven.stability, "similarity_boost": eleven.similarity_boost, "style": eleven.style,
            "use_speaker_boost": eleven.use_speaker_boost, "speed": eleven.speed, "language": language,
        }
        return cache_key("elevenlabs", eleven.voice_id, eleven.model_id, settings, eleven.output_format, text)
    espeak = voice.espeak
    settings = {"speed_wpm": espeak.speed_wpm, "pitch": espeak.pitch, "language": language}
    return cache_key("espeak-ng", espeak.voice_for(language), "espeak-ng", settings, f"wav_{SAMPLE_RATE}", text)


def first_usable(voice: SpeechChain) -> str | None:
    """The provider the chain would try first: one that is configured (a missing key costs no request)."""
    for name in voice.providers:
        if name == "espeak" or (name == "elevenlabs" and not voice.elevenlabs.missing_configuration()):
            return name
    return None


def speak_with_cache(
    voice: SpeechChain, cache: AudioCache | StoreAudioCache, lines: list[tuple[str, str]], language: str, out: Path, workdir: Path,
    order_id: str, log: Callable[[str], None],
) -> tuple[SpokenScript, bool]:
    """The script spoken by the chain's first usable provider from the cache (no provider call), or by the chain,
    whose result is then cached under the provider that served. Returns (spoken, was a cache hit)."""
    # The captions are part of the key because the cached cues carry them (spoken and written forms may differ).
    text = "\n".join([*(spoken for spoken, _caption in lines), *(caption for _spoken, caption in lines)])
    preferred = first_usable(voice)
    timings = cache.get(speech_key(voice, preferred, language, text), out, order_id) if preferred else None
    if timings is not None:
        cues = [Cue(**cue) for cue in timings["cues"]]
        log(f"speech served from the audio cache ({timings['provider']})")
        return SpokenScript(
            speech=Speech(path=out, duration=timings["duration"], cues=cues), provider=timings["provider"],
            voice=timings["voice"], words=[Word(**word) for word in timings["words"]],
        ), True
    spoken = voice.speak(lines, language, out, workdir, log)
    served = CHAIN_NAMES.get(spoken.provider)
    if served:
        cached = {
            "provider": spoken.provider, "voice": spoken.voice, "duration": spoken.speech.duration,
            "cues": spoken.speech.cues_json(),
            "words": words_json(spoken.words),
        }
        cache.put(speech_key(voice, served, language, text), out, cached, order_id)
    return spoken, False
