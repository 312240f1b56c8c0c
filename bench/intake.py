"""Intake at scale: a backlog of waiting orders, the intake sensor evaluated over it, a real daemon's queue over
it, and the asset partitions page with a partition for every one of them."""

import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from bench.environment import environment
from bench.instance import bench_instance, stop_with_runs
from bench.storage import BenchStorage
from bench.webui import partitions_page_seconds
from bench.workload import cheap_orders
from santa_videos.orders.table import OrderTable
from santa_videos.partitions import video_partitions
from santa_videos.sensors.intake import intake_sensor

SUBMIT_CHUNK = 1000
EVALUATIONS = 3
WAITING = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED]


@dataclass
class IntakeResult:
    backlog: int
    slots: int
    submit_seconds: float = 0.0
    # The sensor function over the backlog, as the code server runs it, on an instance with no runs yet.
    evaluation_seconds: list[float] = field(default_factory=list)
    runs_requested: list[int] = field(default_factory=list)
    partition_add_seconds: float = 0.0  # a partition for every waiting order, in one call
    partitions: int = 0
    page_query_seconds: list[float] = field(default_factory=list)
    # A real daemon over the backlog: Dagster's QUEUED + NOT_STARTED runs (of any job, as the sensor counts them),
    # once a second.
    queued_samples: list[int] = field(default_factory=list)
    watch_seconds: float = 0.0
    runs_created: int = 0  # video runs from the daemon's start to the end of the watch


def intake_at_scale(root: Path, storage: BenchStorage, backlog: int, slots: int, watch_seconds: float,
                    page_queries: int) -> IntakeResult:
    result = IntakeResult(backlog=backlog, slots=slots)
    evaluated = bench_instance(root / "evaluated", parallelism=0, storage=storage)
    instance = evaluated.instance()
    table = OrderTable(evaluated.orders_db_url)
    try:
        started = time.monotonic()
        orders = cheap_orders(backlog)
        for first in range(0, backlog, SUBMIT_CHUNK):
            table.add(orders[first : first + SUBMIT_CHUNK])
        result.submit_seconds = time.monotonic() - started
        _evaluate(instance, evaluated.orders_db_url, result)
        started = time.perf_counter()
        instance.add_dynamic_partitions(video_partitions.name, [order.order_id for order in orders])
        result.partition_add_seconds = time.perf_counter() - started
        result.partitions = len(instance.get_dynamic_partitions(video_partitions.name))
        result.page_query_seconds = partitions_page_seconds(evaluated, page_queries)
        if watch_seconds > 0:
            _watch_queue(root / "daemon", storage, evaluated.orders_db_url, watch_seconds, result)
        return result
    finally:
        instance.dispose()
        evaluated.stop()
        table.dispose()


def _evaluate(instance: dg.DagsterInstance, orders_db_url: str, result: IntakeResult) -> None:
    """One evaluation of the sensor function over the backlog, a few times; nothing creates the runs it requests,
    so each sees the same empty Dagster queue and the same waiting orders. The sensor reads its settings (the
    orders table, the slots) from the environment, as in the code server."""
    with environment({"SANTA_ORDERS_DB_URL": orders_db_url, "SANTA_MAX_CONCURRENT_RUNS": str(result.slots)}):
        for _ in range(EVALUATIONS):
            context = dg.build_sensor_context(instance=instance)
            started = time.perf_counter()
            requests = run_requests_of(intake_sensor(context))
            result.evaluation_seconds.append(time.perf_counter() - started)
            result.runs_requested.append(len(requests))


def run_requests_of(outcome) -> list[dg.RunRequest]:
    """The run requests a sensor evaluation returned, whichever of Dagster's forms it took."""
    if isinstance(outcome, dg.SensorResult):
        return list(outcome.run_requests or [])
    if isinstance(outcome, dg.RunRequest):
        return [outcome]
    if outcome is None or isinstance(outcome, dg.SkipReason):
        return []
    return [item for item in outcome if isinstance(item, dg.RunRequest)]


def _watch_queue(root: Path, storage: BenchStorage, orders_db_url: str, watch_seconds: float,
                 result: IntakeResult) -> None:
    """The project's dagster.yaml and `slots` runs at once over the same orders table. The runs really render
    (the backlog is cheap template orders): the sensor sizes Dagster's queue from SANTA_MAX_CONCURRENT_RUNS, which
    is also what the run queue launches by, so holding runs back would change what is measured."""
    daemon = bench_instance(root, result.slots, storage, orders_db_url=orders_db_url)
    try:
        daemon.start()
        with daemon.instance() as instance:
            started = time.monotonic()
            first_tick_at = None
            while first_tick_at is None or time.monotonic() < first_tick_at + watch_seconds:
                result.queued_samples.append(
                    instance.get_runs_count(dg.RunsFilter(statuses=WAITING))
                )
                if first_tick_at is None and daemon.sensor_ticks("intake_sensor"):
                    first_tick_at = time.monotonic()
                if first_tick_at is None and time.monotonic() - started > 180:
                    raise RuntimeError(f"no intake tick within 180 s (see {daemon.log})")
                time.sleep(1)
            result.watch_seconds = time.monotonic() - first_tick_at
            result.runs_created = instance.get_runs_count(dg.RunsFilter(job_name="video_job"))
    finally:
        stop_with_runs(daemon)
