"""Everything an order leaves behind, found and removed: its Dagster runs with their event and compute logs, its
partition, its working files and scratch, its published video, its cache entries, and its row's personal data."""

import shutil
from collections import Counter
from pathlib import Path

import dagster as dg
from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager

from santa_videos.media.audio_cache import AudioCache
from santa_videos.order_runs import live_runs, order_runs
from santa_videos.orders.lipsync_ledger import LipsyncLedger
from santa_videos.orders.table import OrderTable
from santa_videos.partitions import video_partitions
from santa_videos.resources.media_store import MediaStore


class OrderBusy(RuntimeError):
    """A run of the order is queued or running, so its data cannot be removed now."""


class Tally(Counter):
    """What was removed: counts and bytes by kind (e.g. `runs`, `working_bytes`)."""


def tree_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else 0


def remove_path(path: Path, tally: Tally, kind: str) -> None:
    if not path.exists():
        return
    size = tree_bytes(path)
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    tally[kind] += 1
    tally[f"{kind}_bytes"] += size


def live_run_ids(instance: dg.DagsterInstance, order_id: str) -> list[str]:
    # A queued or running run may still write the order's files or need its partition: deleting the partition
    # under it makes it fail when it stores its output.
    return [run.run_id for run in live_runs(instance, order_id)]


def require_idle(instance: dg.DagsterInstance, order_id: str) -> None:
    live = live_run_ids(instance, order_id)
    if live:
        raise OrderBusy(f"order {order_id} has a queued or running run ({', '.join(live)}); try again when it ends")


def remove_dagster_records(instance: dg.DagsterInstance, order_id: str, tally: Tally) -> None:
    """The order's runs (with their event logs), their compute logs, and its `videos` partition."""
    manager = instance.compute_log_manager
    for run in order_runs(instance, order_id):
        if isinstance(manager, LocalComputeLogManager):
            tally["compute_log_bytes"] += tree_bytes(Path(manager._base_dir) / run.run_id)
        manager.delete_logs(prefix=[run.run_id])
        instance.delete_run(run.run_id)
        tally["runs"] += 1
    if instance.has_dynamic_partition(video_partitions.name, order_id):
        instance.delete_dynamic_partition(video_partitions.name, order_id)
        tally["partitions"] += 1


def remove_working_files(media: MediaStore, order_id: str, tally: Tally) -> None:
    """The order's working files in the media store (photo, script, audio, clip, unpublished video) and its
    scratch folder on this machine."""
    removed = media.remove_order_files(order_id)
    if removed.count:
        tally["working_folders"] += 1
        tally["working_folders_bytes"] += removed.bytes
    remove_path(media.scratch_root() / order_id, tally, "temp_files")


def purge(instance: dg.DagsterInstance, table: OrderTable, media: MediaStore, order_id: str, tally: Tally) -> None:
    """Retention of a terminal order: the Dagster records and the working files go; the delivery stays."""
    require_idle(instance, order_id)
    remove_dagster_records(instance, order_id, tally)
    remove_working_files(media, order_id, tally)
    table.mark_purged(order_id)
    tally["orders_purged"] += 1


def erase(
    instance: dg.DagsterInstance, table: OrderTable, media: MediaStore, cache: AudioCache, order_id: str, tally: Tally,
    note: str | None = None,
) -> None:
    """Erase the child's data everywhere it can be: every file of the order (published video included), the
    cached speech it used, its Dagster records, and the name and mentions in its row."""
    require_idle(instance, order_id)
    remove_dagster_records(instance, order_id, tally)
    remove_working_files(media, order_id, tally)
    published = media.remove_deliveries(order_id)
    tally["published_files"] += published.count
    tally["published_files_bytes"] += published.bytes
    removed = cache.forget_order(order_id)
    tally["cache_entries"] += removed.entries
    tally["cache_bytes"] += removed.bytes
    # Its own lip-sync segments' request ids; shared segments belong to no order.
    LipsyncLedger(table.engine, "erasure").forget_order(order_id)
    table.erase_personal_data(order_id, note)
    table.mark_purged(order_id)
    tally["orders_erased"] += 1
