"""Previews past retention: the sentences a day's previews made or used (they speak children's names) leave the audio
cache once the whole day is older than PERSONAL_DATA_MAX_AGE_HOURS."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from santa_videos.cleanup.order_data import Tally
from santa_videos.media.audio_cache import AudioCache
from santa_videos.media.store_audio_cache import StoreAudioCache
from santa_videos.previews.ledger import PreviewLedger, preview_owner


def erase_old_previews(engine: sa.Engine, cache: AudioCache | StoreAudioCache, max_age_hours: int, now: datetime,
                       tally: Tally) -> None:
    ledger = PreviewLedger(engine)
    # A day is past retention when its last moment is: every day before the cutoff's.
    for day in ledger.days_to_erase((now - timedelta(hours=max_age_hours)).date()):
        removed = cache.forget_order(preview_owner(day))
        tally["preview_days_erased"] += 1
        tally["preview_cache_entries"] += removed.entries
        tally["preview_cache_bytes"] += removed.bytes
        ledger.mark_erased(day)
