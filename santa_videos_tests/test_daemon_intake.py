"""The real path: CLI -> orders table -> intake sensor in dagster-daemon -> run queue -> run worker -> delivery.

Orders are seen again (the daemon restarts and the sensor's cursor is deleted while their runs wait in the queue)
and still get one run each: the sensor hands over only orders without a run, and run_key = order id.
"""

import time

import pytest

from santa_videos.daemon_harness import DaemonHarness, video_runs
from santa_videos_tests.media_checks import ffprobe


@pytest.fixture
def harness(tmp_path, monkeypatch):
    # Nothing is launched at first, so the runs stay queued while the sensor sees their orders again.
    harness = DaemonHarness(tmp_path, SANTA_MAX_CONCURRENT_RUNS="0", MAX_JOB_ATTEMPTS="2")
    monkeypatch.setenv("SANTA_MAX_CONCURRENT_RUNS", "0")
    monkeypatch.setenv("DAGSTER_HOME", str(harness.home))
    yield harness
    harness.stop()


def intake_ticks_since(instance, moment: float):
    (state,) = [s for s in instance.all_instigator_state() if s.name == "intake_sensor"]
    ticks = instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=50)
    return [tick for tick in ticks if tick.timestamp > moment]


@pytest.mark.slow
@pytest.mark.smoke  # the end-to-end render of make test-fast
def test_orders_seen_twice_get_one_run_each_and_are_delivered(harness):
    # Short orders (age 0, no mentions): what is checked is the path, not the film.
    submitted = [harness.cli("submit", "--name", name, "--age", "0", "--language", lang)
                 for name, lang in (("Emma", "en"), ("Mateo", "es"))]
    assert all(r.returncode == 0 for r in submitted), [r.stderr for r in submitted]
    order_ids = [r.stdout.strip() for r in submitted]

    harness.start()
    instance = harness.instance()
    harness.wait_for(lambda: len(video_runs(instance)) == 2, 120, "two queued runs")
    assert sorted(instance.get_dynamic_partitions("videos")) == sorted(order_ids)

    harness.wait_for(
        lambda: any(tick.status.value == "SUCCESS" and set(order_ids) <= set(tick.run_keys)
                    for tick in intake_ticks_since(instance, 0)),
        120, "the tick that requested both runs to end",
    )
    harness.stop()
    reset_at = time.time()
    reset = harness.dagster("sensor", "cursor", "intake_sensor", "--delete", "-w", "workspace.yaml")
    assert reset.returncode == 0, reset.stderr
    harness.start()
    # The restarted daemon's intake ticks see both orders waiting again and request nothing.
    harness.wait_for(
        lambda: len([t for t in intake_ticks_since(instance, reset_at) if t.status.value == "SKIPPED"]) >= 2,
        120, "two intake ticks after the restart",
    )
    runs = video_runs(instance)
    assert sorted(run.tags["dagster/partition"] for run in runs) == sorted(order_ids)
    assert all(run.status.value == "QUEUED" for run in runs)
    assert {run.tags["dagster/max_retries"] for run in runs} == {"1"}

    harness.stop()
    harness.start(SANTA_MAX_CONCURRENT_RUNS="2")

    def both_ended():
        statuses = harness.statuses(order_ids)
        return statuses if set(statuses) <= {"delivered", "failed"} else None

    statuses = harness.wait_for(both_ended, 400, "both orders delivered")
    assert statuses == ["delivered", "delivered"]
    harness.wait_for_runs_to_end()
    runs = video_runs(instance)
    assert len(runs) == 2 and all(run.status.value == "SUCCESS" for run in runs)
    for order_id in order_ids:
        video = harness.home.parent / "data" / "deliveries" / f"{order_id}.mp4"
        assert ffprobe(video)["format"]["format_name"].startswith("mov,mp4")
