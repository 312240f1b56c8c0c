"""Intake at scale: a backlog of waiting orders, the intake sensor's ticks over it, their partitions, and the
asset partitions page with every one of them."""

import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from bench.instance import bench_instance
from bench.webui import partitions_page_seconds
from bench.workload import bench_orders
from santa_videos.daemon_harness import DaemonHarness
from santa_videos.orders.table import OrderTable
from santa_videos.partitions import video_partitions
from santa_videos.resources.orders import OrdersResource
from santa_videos.sensors.intake import intake_sensor

SUBMIT_CHUNK = 1000


@dataclass
class IntakeResult:
    backlog: int
    submit_seconds: float = 0.0
    evaluation_seconds: list[float] = field(default_factory=list)
    partition_add_seconds: list[float] = field(default_factory=list)
    daemon_tick_seconds: list[float] = field(default_factory=list)
    runs_per_daemon_tick: list[int] = field(default_factory=list)
    page_query_seconds: list[float] = field(default_factory=list)
    partitions: int = 0
    # When no daemon tick finished within the budget: runs its first tick had created, and in how long.
    unfinished_tick_runs: int = 0
    unfinished_tick_seconds: float = 0.0


def intake_at_scale(root: Path, backlog: int, tick_budget_seconds: float, page_queries: int) -> IntakeResult:
    result = IntakeResult(backlog=backlog)
    evaluated = bench_instance(root / "evaluated", parallelism=0)
    instance = evaluated.instance()
    table = OrderTable(evaluated.orders_db_url)
    try:
        started = time.monotonic()
        orders = bench_orders(backlog)
        for first in range(0, backlog, SUBMIT_CHUNK):
            table.add(orders[first : first + SUBMIT_CHUNK])
        result.submit_seconds = time.monotonic() - started
        _evaluate_every_batch(instance, evaluated.orders_db_url, result)
        result.partitions = len(instance.get_dynamic_partitions(video_partitions.name))
        result.page_query_seconds = partitions_page_seconds(evaluated, page_queries)
        if tick_budget_seconds > 0:
            _daemon_ticks(root / "daemon", evaluated.data_dir, tick_budget_seconds, result)
        return result
    finally:
        instance.dispose()
        evaluated.stop()
        table.dispose()


def _evaluate_every_batch(instance: dg.DagsterInstance, orders_db_url: str, result: IntakeResult) -> None:
    """The sensor function as the code server runs it, tick after tick, then the partitions the daemon adds."""
    resources = {"orders": OrdersResource(db_url=orders_db_url)}
    cursor = None
    while True:
        context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
        started = time.perf_counter()
        outcome = intake_sensor(context)
        result.evaluation_seconds.append(time.perf_counter() - started)
        if not isinstance(outcome, dg.SensorResult):
            result.evaluation_seconds.pop()  # the empty tick after the backlog: not a batch
            return
        for request in outcome.dynamic_partitions_requests:
            started = time.perf_counter()
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
            result.partition_add_seconds.append(time.perf_counter() - started)
        cursor = outcome.cursor


def _daemon_ticks(root: Path, data_dir: Path, budget_seconds: float, result: IntakeResult) -> None:
    """Real daemon ticks over the same backlog (nothing launches): evaluation over gRPC, partitions, 200 runs.

    A tick that creates its runs slowly may outlast the budget; then its pace so far is what we report.
    """
    bench = bench_instance(root, parallelism=0, data_dir=data_dir)
    try:
        bench.start()
        bench.wait_for(lambda: bench.sensor_ticks("intake_sensor"), 180, "the first intake tick")
        deadline = time.monotonic() + budget_seconds
        while time.monotonic() < deadline and not _finished_ticks(bench):
            time.sleep(1)
        finished = _finished_ticks(bench)
        for tick in finished:
            result.daemon_tick_seconds.append(tick.end_timestamp - tick.timestamp)
            result.runs_per_daemon_tick.append(len(tick.run_ids))
        if not finished:
            first = min(bench.sensor_ticks("intake_sensor"), key=lambda t: t.timestamp)
            with bench.instance() as instance:
                result.unfinished_tick_runs = instance.get_runs_count()
            result.unfinished_tick_seconds = time.time() - first.timestamp
    finally:
        bench.stop()


def _finished_ticks(bench: DaemonHarness) -> list:
    return sorted((t for t in bench.sensor_ticks("intake_sensor") if t.end_timestamp and t.run_ids),
                  key=lambda t: t.timestamp)
