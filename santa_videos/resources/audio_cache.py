from pathlib import Path

import dagster as dg

from santa_videos.media.audio_cache import AudioCache


class AudioCacheResource(dg.ConfigurableResource):
    """The speech cache every run shares (AUDIO_CACHE_DIR), capped at AUDIO_CACHE_MAX_SIZE_MB."""

    root: str
    max_size_mb: int = 1024

    def cache(self) -> AudioCache:
        return AudioCache(Path(self.root), max_bytes=self.max_size_mb * 1024 * 1024)
