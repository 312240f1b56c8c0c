"""The daemon killed (kill -9) with a backlog of 50 queued orders, then restarted: every order is delivered once and
the run queue's limits hold throughout (at most SANTA_MAX_CONCURRENT_RUNS videos at once, one live run per order).
Real daemon, PostgreSQL. The orders are the shortest a customer can send (age 0, no mentions: greeting, intro and
goodbye) with the `template` strategy, whose clip is a stream copy: the drill is about the queue, not the encode."""

import os
import time

import dagster as dg
import pytest

from santa_videos.order_runs import describe_failure, failed_step_and_reason
from santa_videos_tests.reliability import drill, kill9, most_at_once, wait_seconds  # noqa: F401 (fixture)

# CI runs 50; SANTA_TEST_BACKLOG_ORDERS shrinks the backlog for a quick local check of the same path.
ORDERS = int(os.environ.get("SANTA_TEST_BACKLOG_ORDERS", "50"))
# Three runs at once keep both cores busy while a finished run's slot waits for the next launch.
MAX_CONCURRENT = 3
MAX_JOB_ATTEMPTS = 3


@pytest.mark.slow
def test_the_daemon_killed_with_a_backlog_restarts_and_delivers_every_order_once(drill, tmp_path):
    csv = tmp_path / "orders.csv"
    rows = "".join(f"Kid {chr(65 + n % 26)},0,en,template\n" for n in range(ORDERS))
    csv.write_text("child_name,age,language,strategy\n" + rows)
    imported = drill.harness.cli("import", str(csv))
    assert imported.returncode == 0, imported.stderr
    order_ids = imported.stdout.split()
    assert len(order_ids) == ORDERS

    started = time.monotonic()
    drill.harness.start(SANTA_MAX_CONCURRENT_RUNS=str(MAX_CONCURRENT))
    # Dagster holds a few runs per slot (SANTA_INTAKE_QUEUED_RUNS_PER_SLOT, 2); the rest of the backlog waits in the
    # orders table. The daemon dies once its queue is full and the first videos render.
    def queue_full_and_rendering():
        runs = drill.runs()
        queued = sum(r.status == dg.DagsterRunStatus.QUEUED for r in runs)
        return queued >= 2 * MAX_CONCURRENT and any(r.status == dg.DagsterRunStatus.STARTED for r in runs)

    drill.harness.wait_for(queue_full_and_rendering, 180, "Dagster's queue full and the first videos rendering")
    assert len(drill.runs()) < ORDERS, "the backlog beyond Dagster's short queue waits in the orders table"
    kill9(drill.harness.process.pid)
    drill.harness.process.wait()
    time.sleep(5)
    drill.harness.start()

    records = drill.assert_invariants(order_ids, timeout=1200)
    print(f"backlog of {ORDERS}: all delivered {wait_seconds(started)} s after the daemon first started")
    assert {record.status for record in records.values()} == {"delivered"}
    runs = drill.instance.get_run_records(dg.RunsFilter(job_name="video_job"))
    by_order = {order_id: [r.dagster_run for r in runs if r.dagster_run.tags["dagster/partition"] == order_id]
                for order_id in order_ids}
    assert sum(len(order_runs) for order_runs in by_order.values()) == len(runs), "a run for an unknown order"
    # A run in flight when the daemon died may fail and be run again (by run retries or the reconciler, within
    # MAX_JOB_ATTEMPTS); every order still has exactly one successful run.
    again = {oid: order_runs for oid, order_runs in by_order.items() if len(order_runs) > 1}
    for order_id, order_runs in by_order.items():
        statuses = sorted(run.status.value for run in order_runs)
        assert statuses.count("SUCCESS") == 1 and len(order_runs) <= MAX_JOB_ATTEMPTS, (order_id, statuses)
        assert set(statuses) <= {"SUCCESS", "FAILURE"}, (order_id, statuses)
    print(f"orders that needed another run: {len(again)}", [
        describe_failure(*failed_step_and_reason(drill.instance, run))
        for order_runs in again.values() for run in order_runs if run.status != dg.DagsterRunStatus.SUCCESS
    ])
    assert len(again) <= MAX_CONCURRENT, "more orders were run again than the kill could have interrupted"
    assert most_at_once(runs) <= MAX_CONCURRENT
