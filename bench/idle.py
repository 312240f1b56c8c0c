"""What a daemon with nothing to do costs, and how fast it notices an order.

Idle: the daemon and code server of the project's code location with no orders, against the same instance setup
loading an empty code location (bench/empty_location.py): Dagster's own baseline. Both run their code location as a
server of its own, as docs/production.md and `dagster dev` do (a daemon that starts its own replaces it every 60 s,
loading the code again). Each is measured after its warm-up, as the share of one core used over the window.

Probes, on the project's daemon after its idle window: single orders submitted one at a time at irregular
moments, each timed from its submission to its run's creation, each rendered before the next is sent.
"""

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from bench.instance import bench_instance
from bench.procs import TreeSampler
from bench.storage import BenchStorage
from bench.workload import cheap_orders, prepare_scene
from santa_videos.daemon_harness import DaemonHarness
from santa_videos.order_runs import PARTITION_TAG
from santa_videos.orders.table import OrderTable
from santa_videos.settings import load_settings

SETTLE_SECONDS = 5
QUIET_SHARE = 0.3  # of one core: the code server has loaded and the first passes are over
PROBE_GAPS = (0.3, 4.0)  # seconds between one probe's delivery and the next submission, drawn at random


@dataclass
class IdleResult:
    window_seconds: float
    project_core_share: float = 0.0
    empty_core_share: float = 0.0
    # Per probe: submission -> run created, and what "created" was read from (see _created_at).
    probe_seconds: list[float] = field(default_factory=list)
    probe_clock: list[str] = field(default_factory=list)


def idle_and_probes(root: Path, storage: BenchStorage, slots: int, window_seconds: float, probes: int) -> IdleResult:
    result = IdleResult(window_seconds=window_seconds)
    empty = bench_instance(root / "empty", slots, storage)
    try:
        code_server = empty.serve_code_location("bench.empty_location", "empty")
        with TreeSampler(empty.start(), more_roots=(code_server,)) as sampler:
            _warm_up(empty, sampler, first_sensor=None)
            result.empty_core_share = _core_share(sampler, window_seconds)
    finally:
        empty.stop()
    project = bench_instance(root / "project", slots, storage)
    table = OrderTable(project.orders_db_url)
    try:
        prepare_scene(project.data_dir / "media" / "scene", load_settings())  # the probes' renders find it ready
        table.engine  # creates the table before the daemon reads it
        code_server = project.serve_code_location()
        with TreeSampler(project.start(), more_roots=(code_server,)) as sampler:
            _warm_up(project, sampler, first_sensor="intake_sensor")
            result.project_core_share = _core_share(sampler, window_seconds)
        _probe(project, table, probes, result)
        return result
    finally:
        project.stop()
        table.dispose()


def _tree_cpu(sampler: TreeSampler) -> float:
    return sum(reading.cpu_seconds for reading in sampler.readings.values())


def _core_share(sampler: TreeSampler, seconds: float) -> float:
    sampler.sample()
    cpu, started = _tree_cpu(sampler), time.monotonic()
    time.sleep(seconds)
    sampler.sample()
    return (_tree_cpu(sampler) - cpu) / (time.monotonic() - started)


def _warm_up(harness: DaemonHarness, sampler: TreeSampler, first_sensor: str | None) -> None:
    """Until the code server is up (and `first_sensor` has ticked), the tree has gone quiet, and a moment more."""
    harness.wait_for(lambda: sampler.by_role("code_server"), 180, "the code server")
    if first_sensor:
        harness.wait_for(lambda: [t for t in harness.sensor_ticks(first_sensor) if t.end_timestamp], 180,
                         f"the first {first_sensor} tick")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        sampler.sample()
        before = _tree_cpu(sampler)
        time.sleep(2)
        sampler.sample()
        if (_tree_cpu(sampler) - before) / 2 < QUIET_SHARE:
            break
    time.sleep(SETTLE_SECONDS)


def _probe(harness: DaemonHarness, table: OrderTable, count: int, result: IdleResult) -> None:
    gaps = random.Random(14)  # irregular, but the same moments from one bench run to the next
    with harness.instance() as instance:
        for order in cheap_orders(count):
            time.sleep(gaps.uniform(*PROBE_GAPS))
            submitted = time.time()
            table.add([order])
            record = harness.wait_for(lambda: _run_record(instance, order.order_id), 60, f"the run of {order.order_id}")
            created, clock = _created_at(instance, record)
            result.probe_seconds.append(created - submitted)
            result.probe_clock.append(clock)
            harness.wait_for(lambda: _run_record(instance, order.order_id).dagster_run.is_finished, 300,
                             f"the probe {order.order_id} rendered")


def _run_record(instance: dg.DagsterInstance, order_id: str):
    records = instance.get_run_records(dg.RunsFilter(job_name="video_job", tags={PARTITION_TAG: order_id}), limit=1)
    return records[0] if records else None


def _created_at(instance: dg.DagsterInstance, record) -> tuple[float, str]:
    """The run record's create_timestamp; SQLite stores it to the whole second (CURRENT_TIMESTAMP), which would
    shave up to a second off the figure, so there the run's enqueue event stands in: written right after the
    run is created, to the microsecond, so it can only make the figure larger."""
    created = record.create_timestamp
    if created.microsecond:
        return created.timestamp(), "create_timestamp"
    enqueued = instance.get_run_stats(record.dagster_run.run_id).enqueued_time
    if enqueued:
        return enqueued, "enqueued (create_timestamp in whole seconds)"
    return created.timestamp(), "create_timestamp (whole seconds)"
