"""The full path: orders submitted to the orders table of a fresh instance, a real dagster-daemon running the
intake sensor, the run queue and the run workers, until the last video is delivered."""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from bench.instance import bench_instance
from bench.procs import TreeSampler, daemon_side_cpu
from bench.storage import BenchStorage
from bench.workload import prepare_scene
from santa_videos.orders.model import Order, Status
from santa_videos.orders.table import OrderTable
from santa_videos.settings import load_settings

FINISHED = (Status.DELIVERED, Status.FAILED)


@dataclass
class FullResult:
    wall_seconds: float
    failed: int
    # Per run, in seconds: the first submission -> run created with all N orders sent at once (most of them wait
    # for a slot in the orders table: the backlog, not the intake's own latency, which bench/idle.py probes),
    # waiting for a slot, launch -> worker started (process spawn and code load), run time outside its steps, and
    # the steps themselves.
    intake_with_backlog: list[float] = field(default_factory=list)
    queued: list[float] = field(default_factory=list)
    launch: list[float] = field(default_factory=list)
    outside_steps: list[float] = field(default_factory=list)
    steps: list[float] = field(default_factory=list)
    worker_cpu_seconds: float = 0.0
    tools_cpu_seconds: float = 0.0
    daemon_cpu_seconds: float = 0.0
    worker_peak_rss_mb: float = 0.0
    daemon_peak_rss_mb: float = 0.0
    code_server_peak_rss_mb: float = 0.0


def full_path(orders: list[Order], root: Path, storage: BenchStorage, parallelism: int, timeout: float) -> FullResult:
    bench = bench_instance(root, parallelism, storage)
    table = OrderTable(bench.orders_db_url)
    try:
        prepare_scene(bench.data_dir / "media" / "scene", load_settings())  # a warm instance, like the floor
        table.engine  # creates the table before the daemon reads it
        code_server = bench.serve_code_location()
        with TreeSampler(bench.start(), more_roots=(code_server,)) as sampler:
            bench.wait_for(lambda: bench.sensor_ticks("intake_sensor"), 180, "the first intake tick")
            sampler.sample()
            baseline = {pid: r.cpu_seconds for pid, r in sampler.readings.items()}
            submitted = datetime.now(timezone.utc)
            table.add(orders)
            records = bench.wait_for(lambda: _all_finished(table, orders), timeout, "every order delivered")
            sampler.sample()
            at_delivery = {pid: r.cpu_seconds for pid, r in sampler.readings.items()}
            # The last delivery comes just before its run ends: let the runs finish before the daemon stops.
            bench.wait_for_runs_to_end(120)
        result = FullResult(
            wall_seconds=(max(r.delivered_at or r.updated_at for r in records) - submitted).total_seconds(),
            failed=sum(r.status != Status.DELIVERED for r in records),
        )
        with bench.instance() as instance:
            _add_run_timings(result, instance, submitted.timestamp())
        _add_process_figures(result, sampler, baseline, at_delivery)
        return result
    finally:
        bench.stop()
        table.dispose()


def _all_finished(table: OrderTable, orders: list[Order]):
    records = [table.get(order.order_id) for order in orders]
    return records if all(r.status in FINISHED for r in records) else None


def _add_run_timings(result: FullResult, instance: dg.DagsterInstance, submitted: float) -> None:
    for record in instance.get_run_records():
        stats = instance.get_run_stats(record.dagster_run.run_id)
        steps = instance.get_run_step_stats(record.dagster_run.run_id)
        step_seconds = sum((s.end_time or 0) - (s.start_time or 0) for s in steps if s.start_time)
        result.intake_with_backlog.append(record.create_timestamp.timestamp() - submitted)
        if stats.enqueued_time and stats.launch_time:
            result.queued.append(stats.launch_time - stats.enqueued_time)
        if stats.launch_time and stats.start_time:
            result.launch.append(stats.start_time - stats.launch_time)
        if stats.start_time and stats.end_time:
            result.outside_steps.append(stats.end_time - stats.start_time - step_seconds)
        result.steps.append(step_seconds)


def _add_process_figures(
    result: FullResult, sampler: TreeSampler, baseline: dict[int, float], at_delivery: dict[int, float]
) -> None:
    """Run workers count whole (their last reading); the daemon's processes from submission to last delivery."""
    workers = sampler.by_role("run_worker")
    result.worker_cpu_seconds = sum(w.cpu_seconds for w in workers)
    result.tools_cpu_seconds = sum(w.reaped_children_cpu_seconds for w in workers)
    result.daemon_cpu_seconds = daemon_side_cpu(sampler, baseline, at_delivery)
    result.worker_peak_rss_mb = max((w.peak_rss_mb for w in workers), default=0.0)
    result.daemon_peak_rss_mb = max((r.peak_rss_mb for r in sampler.by_role("daemon")), default=0.0)
    result.code_server_peak_rss_mb = max((r.peak_rss_mb for r in sampler.by_role("code_server")), default=0.0)
