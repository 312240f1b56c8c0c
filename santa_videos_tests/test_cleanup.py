"""The cleanup schedule's pass on a prepared instance: what is past retention goes, everything else stays.

Orders of every status and age get real Dagster runs (with event logs, compute logs and a `videos` partition),
working files, published files and cached speech; then the real `cleanup_job` runs against them.
"""

import os
import time
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest
from dagster._core.utils import make_new_run_id

from santa_videos.definitions import build_definitions
from santa_videos.media.audio_cache import AudioCache, cache_key
from santa_videos.orders.table import orders as orders_table
from santa_videos.partitions import video_partitions
from santa_videos.resources.audio_cache import open_audio_cache
from santa_videos.resources.media_store import MediaStore, media_store
from santa_videos.schedules.cleanup import cleanup_schedule
from santa_videos.settings import load_operations_settings
from santa_videos_tests.conftest import make_order
from santa_videos_tests.s3 import store_env  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

DAY = timedelta(days=1)


@dg.asset(partitions_def=video_partitions)
def stand_in_step(context: dg.AssetExecutionContext) -> None:
    """Gives an order a real run, event log and compute log without rendering a video."""
    print(f"working on {context.partition_key}")


def age_order(table, order_id: str, status: str, age: timedelta) -> None:
    when = datetime.now(timezone.utc) - age
    delivered_at = when if status == "delivered" else None
    with table.engine.begin() as conn:
        conn.execute(
            orders_table.update().where(orders_table.c.order_id == order_id)
            .values(status=status, updated_at=when, created_at=when - timedelta(minutes=5), delivered_at=delivered_at)
        )


def prepare_order(instance, table, media: MediaStore, cache: AudioCache, status: str, age: timedelta, tmp_path):
    order = make_order(child_name="Emma")
    table.add([order])
    oid = order.order_id
    instance.add_dynamic_partitions("videos", [oid])
    result = dg.materialize([stand_in_step], partition_key=oid, instance=instance)
    assert result.success
    media.publish_bytes(oid, "script.json", b'["Ho ho ho, Emma"]')
    media.publish_bytes(oid, "photo.jpg", b"\xff\xd8" + b"p" * 1000)
    media.publish_bytes(oid, "video.mp4", b"v" * 5000)
    media.publish_bytes(oid, "thumbnail.jpg", b"t" * 500)
    media.deliver(oid)
    speech = tmp_path / "speech.wav"
    speech.write_bytes(b"s" * 3000)
    cache.put(cache_key("espeak-ng", "en-us+m3", "", {}, "wav", f"Hello Emma {oid}"), speech, {"cues": []}, order_id=oid)
    age_order(table, oid, status, age)
    return oid


def compute_log_dir(instance, run_id):
    return os.path.join(instance.compute_log_manager._base_dir, run_id)


def test_cleanup_removes_what_is_past_retention_and_keeps_the_rest(instance, settings, table, tmp_path, store_env):
    definitions = build_definitions(settings)
    media = media_store()
    operations = load_operations_settings()
    cache = open_audio_cache(media, operations.audio_cache_dir, operations.audio_cache_max_bytes, settings.orders_db_url)
    policy = definitions.resources["retention"].policy()
    assert (policy.jobs_max_age_hours, policy.failed_max_age_hours, policy.personal_data_max_age_hours) == (
        168, 720, 720)

    def make(status, age):
        return prepare_order(instance, table, media, cache, status, age, tmp_path)

    purged = make("delivered", 10 * DAY)          # past JOBS_MAX_AGE_HOURS: Dagster records and working files go
    fresh = make("delivered", 2 * DAY)            # inside every retention
    dead_letter = make("failed", 10 * DAY)        # failed orders keep everything longer
    old_dead_letter = make("failed", 40 * DAY)    # past the failed and the personal-data retention
    erased = make("delivered", 40 * DAY)          # past the personal-data retention
    rendering = make("rendering", 40 * DAY)       # not terminal: never touched, however old
    queued = make("queued", 40 * DAY)
    rerun = make("delivered", 40 * DAY)           # terminal, but a new run of it is running
    live_run = dg.DagsterRun(job_name="video_job", run_id=make_new_run_id(), status=dg.DagsterRunStatus.STARTED,
                             tags={"dagster/partition": rerun})
    instance.add_run(live_run)

    stale_scratch = media.scratch_dir(fresh, "audio")
    stale_scratch.mkdir(parents=True)
    (stale_scratch / "line-00.wav").write_bytes(b"x" * 100)
    # A writer killed mid-write leaves a temp file beside the order's files on a local store; a bucket never
    # shows half an object (the store audio cache's own test covers what its dead writers leave).
    stale_partial = media.backend().local_path(media.order_key(fresh, ".partial-0123456789ab-video.mp4"))
    if stale_partial:
        stale_partial.write_bytes(b"y" * 200)
    two_days_ago = time.time() - 2 * 86400
    for path in (stale_scratch / "line-00.wav", stale_scratch, stale_scratch.parent, stale_partial):
        if path:
            os.utime(path, (two_days_ago, two_days_ago))
    live_scratch = media.scratch_dir(dead_letter, "video")
    live_scratch.mkdir(parents=True)

    runs_before = {oid: [r.run_id for r in instance.get_runs(dg.RunsFilter(tags={"dagster/partition": oid}))]
                   for oid in (purged, fresh, dead_letter, old_dead_letter, erased, rendering, queued, rerun)}
    result = definitions.resolve_job_def("cleanup_job").execute_in_process(instance=instance)
    assert result.success

    gone_from_dagster = (purged, old_dead_letter, erased)
    for oid, run_ids in runs_before.items():
        runs_now = [r.run_id for r in instance.get_runs(dg.RunsFilter(tags={"dagster/partition": oid}))]
        if oid in gone_from_dagster:
            assert runs_now == [], oid
            assert not instance.has_dynamic_partition("videos", oid)
            assert not os.path.exists(compute_log_dir(instance, run_ids[-1]))
            assert instance.get_records_for_run(run_ids[-1]).records == []
            assert media.backend().list_prefix(f"media/orders/{oid}/") == []
        else:
            assert set(run_ids) <= set(runs_now), oid
            assert instance.has_dynamic_partition("videos", oid)
            assert os.path.exists(compute_log_dir(instance, run_ids[-1]))
            assert media.stat(oid, "photo.jpg") and media.delivered(oid, "video")
            assert table.get(oid).child_name == "Emma" and table.get(oid).erased_at is None
    assert instance.get_run_by_id(live_run.run_id).status == dg.DagsterRunStatus.STARTED

    # Past the personal-data retention: the name and every file with it are gone; the row stays as a record.
    for oid in (erased, old_dead_letter):
        record = table.get(oid)
        assert (record.child_name, record.phonetic_name, record.mentions) == (None, None, [])
        assert record.erased_at is not None and record.status in ("delivered", "failed")
        assert not media.delivered(oid, "video") and not media.delivered(oid, "thumbnail")
    # Purged but not erased: the delivery and the name stay until the personal-data retention.
    assert media.delivered(purged, "video") and table.get(purged).child_name == "Emma"
    assert table.get(purged).purged_at is not None and table.get(purged).erased_at is None
    assert len(cache.entries()) == 8 - 2

    assert not stale_scratch.parent.exists() and not (stale_partial and stale_partial.exists())
    assert live_scratch.exists()

    event = instance.get_latest_materialization_event(dg.AssetKey("retention_cleanup"))
    metadata = {k: v.value for k, v in event.asset_materialization.metadata.items()}
    assert metadata["orders_purged"] == 3 and metadata["orders_erased"] == 2
    assert metadata["runs"] == 3 and metadata["partitions"] == 3
    assert metadata["working_folders"] == 3 and metadata["published_files"] == 4
    assert metadata["published_files_bytes"] == 2 * (5000 + 500)
    assert metadata["cache_entries"] == 2 and metadata["cache_bytes"] > 2 * 3000
    assert (metadata["temp_files"], metadata["temp_files_bytes"]) == ((2, 300) if stale_partial else (1, 100))
    assert metadata["compute_log_bytes"] > 0
    assert metadata["skipped_live_orders"] == 1
    assert metadata["live_partitions"] == 5
    assert "| orders whose child's data was erased | 2 |" in metadata["summary"]

    # A second pass finds nothing more to do.
    definitions.resolve_job_def("cleanup_job").execute_in_process(instance=instance)
    event = instance.get_latest_materialization_event(dg.AssetKey("retention_cleanup"))
    metadata = {k: v.value for k, v in event.asset_materialization.metadata.items()}
    assert metadata["bytes_removed"] == 0 and metadata["runs"] == 0 and metadata["skipped_live_orders"] == 1


def test_the_schedule_follows_cleanup_interval_hours(monkeypatch):
    assert cleanup_schedule.cron_schedule == f"0 */{load_operations_settings().cleanup_interval_hours} * * *"
    assert cleanup_schedule.job_name == "cleanup_job"
    assert cleanup_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
