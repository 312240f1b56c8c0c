"""A run worker killed outright in the middle of the final encode (kill -9, as the OOM killer would): the run is
detected failed, retried from the failed step, and the order gets exactly one MP4. Real daemon, PostgreSQL."""

import time

import dagster as dg
import pytest

from santa_videos_tests.reliability import (  # noqa: F401 (fixture)
    alive, drill, encoding_ffmpeg, kill9, step_events, wait_seconds,
)


@pytest.mark.slow
def test_a_run_worker_killed_during_the_encode_is_retried_and_delivers_one_mp4(drill):
    drill.harness.start()
    (order_id,) = drill.submit()
    ffmpeg_pid, worker_pid = drill.harness.wait_for(lambda: encoding_ffmpeg(order_id), 300, "the final encode")
    kill9(worker_pid)
    killed = time.monotonic()
    # FFmpeg dies with its worker rather than encoding on for nobody.
    drill.harness.wait_for(lambda: not alive(ffmpeg_pid), 10, "FFmpeg to stop with its run worker")

    first = drill.harness.wait_for(
        lambda: next((r for r in drill.runs(order_id) if r.status == dg.DagsterRunStatus.FAILURE), None),
        120, "the killed run to be marked failed",
    )
    print(f"worker kill detected after {wait_seconds(killed)} s")
    records = drill.assert_invariants([order_id], timeout=300)
    print(f"worker kill: delivered {wait_seconds(killed)} s after the kill")

    assert records[order_id].status == "delivered" and records[order_id].attempts == 2
    runs = drill.runs(order_id)
    assert len(runs) == 2
    first = drill.instance.get_run_by_id(first.run_id)
    retry = next(r for r in runs if r.run_id != first.run_id)
    assert first.tags["dagster/will_retry"] == "true" and first.tags["dagster/auto_retry_run_id"] == retry.run_id
    assert retry.status == dg.DagsterRunStatus.SUCCESS and retry.tags["dagster/retry_number"] == "1"
    # From failure: the steps that had succeeded before the kill are not run again.
    executed = {e.step_key for e in step_events(drill.instance, retry.run_id, dg.DagsterEventType.STEP_START)}
    assert executed == {"video", "delivery"}
