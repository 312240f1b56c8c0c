"""Dagster's own run beside ours: the rows the bench prints from the no-op runs, and the no-op code location really
running its runs through a daemon on the bench's instance setup."""

import pytest

from bench.engine_floor import CPU_PER_RUN_ROW, RATIO_ROW, engine_floor
from bench.run import table_rows
from bench.storage import BenchStorage
from santa_videos_tests.test_bench_stats import synthetic_figures


def with_engine_runs(figures: dict, *engines: dict) -> dict:
    figures["repeats"] = [{**repeat, "engine": engine} for repeat, engine in zip(figures["repeats"], engines)]
    return figures


def engine(worker: float, daemon: float, failed: int = 0) -> dict:
    return {"runs": 12, "failed": failed, "wall_seconds": 30.0, "worker_cpu_seconds": worker,
            "daemon_cpu_seconds": daemon}


@pytest.mark.unit
def test_each_repeat_is_divided_by_the_no_op_runs_measured_beside_it():
    # Ours is (24 + 6) / 12 = 2.5 CPU-s per video in both repeats; the engine 2.0 and 2.5 per run.
    figures = with_engine_runs(synthetic_figures(), engine(18.0, 6.0), engine(24.0, 6.0))
    rows = {row.figure: row for row in table_rows(figures)}
    assert rows[CPU_PER_RUN_ROW].value == "2.25 s (min 2.00, max 2.50, n=2)"
    assert rows[CPU_PER_RUN_ROW].goal.startswith("default launcher")
    assert "run worker 1.75 s / daemon + code server 0.50 s" in rows[CPU_PER_RUN_ROW].goal
    assert rows[RATIO_ROW].value == "1.12 (min 1.00, max 1.25, n=2)"
    assert rows[RATIO_ROW].goal.startswith("<= 1.1; default launcher")


@pytest.mark.unit
def test_failed_no_op_runs_void_the_floor_and_figures_without_it_read_not_measured():
    rows = {row.figure: row for row in table_rows(with_engine_runs(synthetic_figures(), engine(18.0, 6.0, failed=1),
                                                                   engine(18.0, 6.0)))}
    assert rows[CPU_PER_RUN_ROW].goal.endswith("1 no-op runs failed: void")
    rows = {row.figure: row for row in table_rows(synthetic_figures())}
    assert rows[CPU_PER_RUN_ROW].value == rows[RATIO_ROW].value == "n/a"
    assert rows[RATIO_ROW].goal.startswith("<= 1.1")


@pytest.mark.slow
def test_the_no_op_location_runs_its_runs_through_a_daemon(tmp_path):
    with BenchStorage("sqlite") as storage:
        result = engine_floor(2, tmp_path, storage, parallelism=2, timeout=240)
    assert (result.runs, result.failed) == (2, 0)
    # Each run had a worker process of its own; the daemon and its code server handed the keys over.
    assert result.worker_cpu_seconds > 0.5 and result.daemon_cpu_seconds > 0
