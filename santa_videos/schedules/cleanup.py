import dagster as dg

from santa_videos.cleanup import run_cleanup
from santa_videos.logs import CONSOLE_LOGGER_RUN_CONFIG
from santa_videos.resources.audio_cache import AudioCacheResource
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.resources.retention import RetentionResource
from santa_videos.settings import load_operations_settings

REPORTED = [
    ("orders_purged", "terminal orders whose runs, partition and working files were removed"),
    ("orders_erased", "orders whose child's data was erased"),
    ("runs", "Dagster runs deleted with their event logs"),
    ("compute_log_bytes", "bytes of compute logs deleted"),
    ("partitions", "`videos` partitions deleted"),
    ("working_folders", "order working folders deleted"),
    ("working_folders_bytes", "bytes of those folders"),
    ("published_files", "published videos and thumbnails deleted"),
    ("published_files_bytes", "bytes of those files"),
    ("cache_entries", "cached speech entries of erased orders deleted"),
    ("cache_bytes", "bytes of those entries"),
    ("preview_days_erased", "days of name previews erased from the audio cache"),
    ("preview_cache_entries", "cached speech entries of those previews deleted"),
    ("preview_cache_bytes", "bytes of those entries"),
    ("temp_files", "stale temp files and folders deleted"),
    ("temp_files_bytes", "bytes of those"),
    ("skipped_live_orders", "orders due but skipped because a run of theirs is queued or running"),
]


@dg.asset(group_name="operations", kinds={"python"})
def retention_cleanup(
    context: dg.AssetExecutionContext,
    orders: OrdersResource,
    media: MediaStore,
    audio_cache: AudioCacheResource,
    retention: RetentionResource,
) -> dg.MaterializeResult:
    """What the last cleanup pass removed: stale temp files; the runs, event logs, compute logs, partitions and
    working files of terminal orders past retention; the children's data of orders and of name previews past its
    retention. Orders
    that are not terminal, or have a queued or running run, are never touched."""
    tally = run_cleanup(
        context.instance, orders.table(), media, audio_cache.cache(), retention.policy(), log=context.log
    )
    metadata = {name: dg.MetadataValue.int(tally[name]) for name, _ in REPORTED}
    metadata["bytes_removed"] = dg.MetadataValue.int(sum(v for k, v in tally.items() if k.endswith("_bytes")))
    metadata["live_partitions"] = dg.MetadataValue.int(len(context.instance.get_dynamic_partitions("videos")))
    metadata["summary"] = dg.MetadataValue.md(
        "| what | count |\n|---|---:|\n" + "\n".join(f"| {text} | {tally[name]} |" for name, text in REPORTED)
    )
    return dg.MaterializeResult(metadata=metadata)


cleanup_job = dg.define_asset_job(
    "cleanup_job",
    selection=dg.AssetSelection.assets(retention_cleanup),
    config=CONSOLE_LOGGER_RUN_CONFIG,
    description="One retention pass over temp files, old orders' Dagster records and files, and children's data.",
)

cleanup_schedule = dg.ScheduleDefinition(
    name="cleanup_schedule",
    job=cleanup_job,
    # Every CLEANUP_INTERVAL_HOURS hours counted from midnight UTC.
    cron_schedule=f"0 */{load_operations_settings().cleanup_interval_hours} * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Runs the retention cleanup every CLEANUP_INTERVAL_HOURS hours.",
)
