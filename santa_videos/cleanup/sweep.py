"""One cleanup pass: stale temp files, then terminal orders past retention, then children's data past retention (of
orders, and of name previews).

Only terminal orders are ever touched (delivered, failed, rejected), never one with a queued or running run, and
dead letters (failed, rejected) are kept for their own, longer retention so an operator sees them first.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import dagster as dg

from santa_videos.cleanup.order_data import OrderBusy, Tally, erase, purge, remove_path
from santa_videos.media.audio_cache import AudioCache
from santa_videos.orders.table import OrderTable
from santa_videos.previews.retention import erase_old_previews
from santa_videos.resources.media_store import MediaStore

# Orders handled per pass and kind; the rest wait for the next pass, so one pass stays short.
BATCH = 2000


@dataclass(frozen=True)
class RetentionPolicy:
    temp_max_age_hours: int
    jobs_max_age_hours: int
    failed_max_age_hours: int
    personal_data_max_age_hours: int


def _older_than(path: Path, cutoff: float) -> bool:
    """True when the path and, for a folder, everything in it was last written before `cutoff`."""
    try:
        newest = path.stat().st_mtime
        if path.is_dir():
            newest = max([newest, *(p.stat().st_mtime for p in path.rglob("*"))])
    except FileNotFoundError:
        return False
    return newest < cutoff


def sweep_temp(media: MediaStore, cache: AudioCache, max_age_hours: int, tally: Tally) -> None:
    """Scratch folders on this machine and half-written files in the store that nobody has touched for
    `max_age_hours` (far longer than a run may last), and what cache writers that died left."""
    cutoff = time.time() - max_age_hours * 3600
    for path in media.scratch_root().glob("*"):
        if _older_than(path, cutoff):
            remove_path(path, tally, "temp_files")
    unfinished = media.sweep_unfinished(cutoff)
    stale = cache.remove_stale_staging(max_age_hours * 3600)
    tally["temp_files"] += unfinished.count + stale.entries
    tally["temp_files_bytes"] += unfinished.bytes + stale.bytes


def run_cleanup(
    instance: dg.DagsterInstance,
    table: OrderTable,
    media: MediaStore,
    cache: AudioCache,
    policy: RetentionPolicy,
    now: datetime | None = None,
    log=None,
) -> Tally:
    now = now or datetime.now(timezone.utc)
    tally, skipped = Tally(), set()
    sweep_temp(media, cache, policy.temp_max_age_hours, tally)

    def hours_ago(hours: int) -> datetime:
        return now - timedelta(hours=hours)

    due = table.past_retention(
        "purged_at", hours_ago(policy.jobs_max_age_hours), hours_ago(policy.failed_max_age_hours), BATCH
    )
    for order_id in due:
        try:
            purge(instance, table, media, order_id, tally)
        except OrderBusy as busy:
            skipped.add(order_id)
            if log:
                log.info(str(busy))
    # A dead letter keeps its data at least as long as the operator may still look at it.
    failed_erasure_hours = max(policy.personal_data_max_age_hours, policy.failed_max_age_hours)
    due = table.past_retention(
        "erased_at", hours_ago(policy.personal_data_max_age_hours), hours_ago(failed_erasure_hours), BATCH
    )
    for order_id in due:
        try:
            erase(instance, table, media, cache, order_id, tally)
        except OrderBusy as busy:
            skipped.add(order_id)
            if log:
                log.info(str(busy))
    erase_old_previews(table.engine, cache, policy.personal_data_max_age_hours, now, tally)
    tally["skipped_live_orders"] = len(skipped)
    return tally
