"""Dagster's own run: K no-op runs (bench/noop_location.py) through the same instance setup as the full path (its
dagster.yaml, storage, run queue and launcher), with the CPU of the same process roles sampled the same way: run
workers whole, the daemon and its code server from the first key handed over to the last run finished, after the
sensor's first tick. The full path's orchestration CPU per video over this CPU per run is what we add to the engine.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from bench.instance import bench_instance
from bench.procs import TreeSampler, daemon_side_cpu
from bench.stats import Row, fmt, fmt_spread, spread
from bench.storage import BenchStorage
from santa_videos.daemon_harness import DaemonHarness

SENSOR = "noop_sensor"
JOB = "noop_job"


@dataclass
class EngineFloorResult:
    runs: int
    failed: int
    wall_seconds: float
    worker_cpu_seconds: float
    daemon_cpu_seconds: float


def engine_floor(runs: int, root: Path, storage: BenchStorage, parallelism: int, timeout: float) -> EngineFloorResult:
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    bench = bench_instance(root / "instance", parallelism, storage)
    bench.env["BENCH_NOOP_INBOX"] = str(inbox)  # read by the sensor, in the code server
    try:
        code_server = bench.serve_code_location("bench.noop_location", "noop")
        with TreeSampler(bench.start(), more_roots=(code_server,)) as sampler:
            bench.wait_for(lambda: [t for t in bench.sensor_ticks(SENSOR) if t.end_timestamp], 180,
                           f"the first {SENSOR} tick")
            sampler.sample()
            baseline = {pid: r.cpu_seconds for pid, r in sampler.readings.items()}
            submitted = time.time()
            for number in range(runs):
                (inbox / f"key-{number:06d}").touch()
            with bench.instance() as instance:
                finished = bench.wait_for(lambda: _all_finished(instance, runs), timeout, f"{runs} no-op runs")
            sampler.sample()
            at_end = {pid: r.cpu_seconds for pid, r in sampler.readings.items()}
        return EngineFloorResult(
            runs=runs,
            failed=sum(run.status != dg.DagsterRunStatus.SUCCESS for run in finished),
            wall_seconds=max(end for end in _end_times(bench, finished)) - submitted,
            worker_cpu_seconds=sum(w.cpu_seconds for w in sampler.by_role("run_worker")),
            daemon_cpu_seconds=daemon_side_cpu(sampler, baseline, at_end),
        )
    finally:
        bench.stop()


def _all_finished(instance: dg.DagsterInstance, expected: int) -> list[dg.DagsterRun] | None:
    runs = list(instance.get_runs(dg.RunsFilter(job_name=JOB)))
    return runs if len(runs) >= expected and all(run.is_finished for run in runs) else None


def _end_times(bench: DaemonHarness, runs: list[dg.DagsterRun]) -> list[float]:
    with bench.instance() as instance:
        return [instance.get_run_stats(run.run_id).end_time or time.time() for run in runs]


CPU_PER_RUN_ROW = "Dagster's own run: CPU per run"
RATIO_ROW = "orchestration CPU per video / Dagster's own run"
RATIO_GOAL = "<= 1.1"


def engine_floor_rows(repeats: list[dict], videos: int) -> list[Row]:
    """Each repeat's full path over the no-op runs measured beside it, as a spread of the pairs' ratios."""
    engines = [repeat.get("engine") for repeat in repeats]
    if not engines or not all(engines):
        return [Row(CPU_PER_RUN_ROW, "n/a", "default launcher; not measured"),
                Row(RATIO_ROW, "n/a", f"{RATIO_GOAL}; default launcher; not measured")]
    per_run = [(e["worker_cpu_seconds"] + e["daemon_cpu_seconds"]) / e["runs"] for e in engines]
    ours = [(r["full"]["worker_cpu_seconds"] + r["full"]["daemon_cpu_seconds"]) / videos for r in repeats]
    worker = spread([e["worker_cpu_seconds"] / e["runs"] for e in engines]).median
    daemon = spread([e["daemon_cpu_seconds"] / e["runs"] for e in engines]).median
    failed = sum(e["failed"] for e in engines)
    void = f"; {failed} no-op runs failed: void" if failed else ""
    return [
        Row(CPU_PER_RUN_ROW, fmt_spread(spread(per_run), "s"),
            f"default launcher; {engines[0]['runs']} no-op runs per repeat (bench/noop_location.py), run worker "
            f"{fmt(worker, 's')} / daemon + code server {fmt(daemon, 's')}{void}"),
        Row(RATIO_ROW, fmt_spread(spread([o / f for o, f in zip(ours, per_run)])),
            f"{RATIO_GOAL}; default launcher; each repeat's full path over the no-op runs beside it"),
    ]
