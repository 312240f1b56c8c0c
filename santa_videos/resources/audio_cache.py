import functools
from pathlib import Path

import dagster as dg
import sqlalchemy as sa

from santa_videos.media.audio_cache import AudioCache, cache_key
from santa_videos.media.loudness import TARGET_LUFS
from santa_videos.media.speech import SAMPLE_RATE
from santa_videos.media.store_audio_cache import StoreAudioCache
from santa_videos.names.speech_rules import rules_applying
from santa_videos.orders.table import OrderTable
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.speech_chain import SpeechChain


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


def sentence_audio_key(voice: SpeechChain, provider: str, language: str, text: str) -> str:
    """The cache key of one sentence spoken by `provider` (a chain name) as the chain is configured now, and as the
    name lexicon says the names in it (only the lexicon's rules that apply to `text` count)."""
    if provider == "elevenlabs":
        eleven = voice.elevenlabs
        settings = {
            "stability": eleven.stability, "similarity_boost": eleven.similarity_boost, "style": eleven.style,
            "use_speaker_boost": eleven.use_speaker_boost, "speed": eleven.speed, "language": language,
            "loudness": TARGET_LUFS,
        }
        pronunciation = rules_applying(voice.pronunciation_rules(language), text)
        if pronunciation:
            settings["pronunciation"] = pronunciation
        return cache_key("elevenlabs", eleven.voice_id, eleven.model_id, settings, eleven.output_format, text)
    espeak = voice.espeak
    settings = {"speed_wpm": espeak.speed_wpm, "pitch": espeak.pitch, "language": language, "loudness": TARGET_LUFS}
    return cache_key("espeak-ng", espeak.voice_for(language), "espeak-ng", settings, f"wav_{SAMPLE_RATE}",
                     voice.names.espeak_text(text, language))
