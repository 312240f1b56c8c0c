"""Deadline first: urgent orders sent into a saturated queue should start before the waiting non-urgent ones.

A real daemon with `slots` runs at once; non-urgent orders (no deadline) first, and once the first runs have
started, urgent ones (due in an hour). An urgent order counts when its run started before the run of every
non-urgent order that had not started when the urgent orders were sent (one not started at all counts as later).
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import dagster as dg

from bench.instance import bench_instance, stop_with_runs
from bench.storage import BenchStorage
from bench.workload import cheap_orders, prepare_scene
from santa_videos.order_runs import PARTITION_TAG
from santa_videos.orders.table import OrderTable
from santa_videos.settings import load_settings

NON_URGENT, URGENT = 8, 3
# Run statuses of a run that has left Dagster's queue: the queue can no longer put another run before it.
LAUNCHED = {dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.SUCCESS,
            dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELING, dg.DagsterRunStatus.CANCELED}


@dataclass
class DeadlineFirstResult:
    non_urgent: int = NON_URGENT
    urgent: int = URGENT
    # Non-urgent orders whose run had not left the queue when the urgent ones were sent.
    waiting_at_urgent: int = 0
    urgent_first: int = 0  # urgent orders started before every one of those
    urgent_start_order: list[int] = field(default_factory=list)  # each urgent run's place among the runs started after


def deadline_first(root: Path, storage: BenchStorage, slots: int, timeout: float = 600) -> DeadlineFirstResult:
    result = DeadlineFirstResult()
    harness = bench_instance(root, slots, storage)
    table = OrderTable(harness.orders_db_url)
    try:
        prepare_scene(harness.data_dir / "media" / "scene", load_settings())
        table.engine  # creates the table before the daemon reads it
        harness.start()
        harness.wait_for(lambda: harness.sensor_ticks("intake_sensor"), 180, "the first intake tick")
        relaxed = cheap_orders(NON_URGENT)
        table.add(relaxed)
        with harness.instance() as instance:
            harness.wait_for(lambda: len(_launched(instance, relaxed)) >= slots, timeout, "the first runs started")
            already = _launched(instance, relaxed)
            urgent = cheap_orders(URGENT, deadline=datetime.now(timezone.utc) + timedelta(hours=1))
            table.add(urgent)
            harness.wait_for(lambda: len(_started(instance, urgent)) == URGENT, timeout, "every urgent run started")
            urgent_starts = _started(instance, urgent)
            waiting_starts = {order.order_id: _started(instance, [order]).get(order.order_id, float("inf"))
                              for order in relaxed if order.order_id not in already}
        result.waiting_at_urgent = len(waiting_starts)
        latest_allowed = min(waiting_starts.values(), default=float("inf"))
        result.urgent_first = sum(start < latest_allowed for start in urgent_starts.values())
        starts_after = sorted([*urgent_starts.values(), *waiting_starts.values()])
        result.urgent_start_order = sorted(starts_after.index(start) + 1 for start in urgent_starts.values())
        return result
    finally:
        stop_with_runs(harness)
        table.dispose()


def _records(instance: dg.DagsterInstance, orders) -> dict:
    wanted = {order.order_id for order in orders}
    records = instance.get_run_records(dg.RunsFilter(job_name="video_job"))
    return {r.dagster_run.tags.get(PARTITION_TAG): r for r in records if r.dagster_run.tags.get(PARTITION_TAG) in wanted}


def _launched(instance: dg.DagsterInstance, orders) -> set[str]:
    return {order_id for order_id, r in _records(instance, orders).items() if r.dagster_run.status in LAUNCHED}


def _started(instance: dg.DagsterInstance, orders) -> dict[str, float]:
    """Order id -> its run's start time, for the orders whose run has started."""
    return {order_id: r.start_time for order_id, r in _records(instance, orders).items() if r.start_time}
