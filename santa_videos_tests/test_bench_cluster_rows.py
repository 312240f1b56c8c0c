"""The cluster rows of the bench: the central services' CPU per video, the videos one central core feeds, a worker's
own CPU per video against Dagster's own run, and one worker host against the media floor."""

import pytest

from bench.cluster import central_cpu_per_video, cluster_rows

pytestmark = pytest.mark.unit


def cluster_run(wall: float, postgres: float, hosts_used: int = 2) -> dict:
    return {"wall_seconds": wall, "failed": 0, "hosts_used": hosts_used, "daemon_cpu_seconds": 3.0,
            "code_server_cpu_seconds": 1.0, "postgres_cpu_seconds": postgres, "postgres_statement_seconds": 2.0,
            "postgres_sessions": 120, "redis_cpu_seconds": 0.6, "s3_cpu_seconds": 1.4, "worker_cpu_seconds": 9.0}


def figures() -> dict:
    return {
        "videos": 12, "parallelism": 2,
        "repeats": [{"floor": {"wall_seconds": 90.0}}, {"floor": {"wall_seconds": 100.0}}],
        "cluster": [cluster_run(100.0, 6.0), cluster_run(120.0, 12.0)],
        "cluster_one_host": [cluster_run(100.0, 6.0, hosts_used=1), cluster_run(125.0, 6.0, hosts_used=1)],
        "cluster_noop": {"runs": 12, "failed": 0, "worker_cpu_seconds": 3.0, "central_cpu_seconds": 9.0},
    }


def test_central_cpu_counts_daemon_code_server_postgres_redis_and_s3():
    # (3 + 1 + 6 + 0.6 + 1.4) / 12
    assert central_cpu_per_video(cluster_run(100.0, 6.0), 12) == pytest.approx(1.0)


def test_cluster_rows_give_central_cpu_videos_per_core_worker_cpu_and_the_one_host_ratio():
    rows = {row.figure: row for row in cluster_rows(figures(), full_walls=[80.0, 96.0])}
    # Central CPU per video: 12/12 = 1.0 s and 18/12 = 1.5 s; one core feeds 3600 and 2400 videos an hour.
    assert rows["central CPU per video"].value == "1.25 s (min 1.00, max 1.50, n=2)"
    assert rows["central CPU per video"].goal.startswith(
        "<= 0.8 s; daemon 0.25 s, code server 0.08 s, PostgreSQL 0.75 s")
    assert "(10.0 connections a video, statements 0.17 s)" in rows["central CPU per video"].goal
    assert rows["videos per hour per central core"].value == "3000 (min 2400, max 3600, n=2)"
    assert rows["cluster worker CPU per video outside media"].value == "0.75 s (min 0.75, max 0.75, n=2)"
    # One host: floor 90 s / 100 s and 100 s / 125 s.
    assert rows["throughput ratio (cluster, one host/floor)"].value == "0.850 (min 0.800, max 0.900, n=2)"
    assert rows["cluster: 2 workers / default path throughput"].value == "0.800 (min 0.800, max 0.800, n=2)"
    assert "VOID" not in rows["throughput ratio (cluster, one host/floor)"].goal
    # Dagster's own run: 3 CPU-s over 12 no-op runs; a video's worker CPU is three of them.
    assert rows["Dagster's own run on a Celery worker: CPU per run"].value == "0.25 s"
    assert rows["cluster worker CPU per video / Dagster's own run"].value == "3.00"


def test_cluster_rows_are_void_when_an_order_was_not_delivered():
    broken = figures()
    broken["cluster_one_host"][0]["failed"] = 1
    rows = {row.figure: row for row in cluster_rows(broken, full_walls=[80.0, 96.0])}
    assert "VOID: 1 not delivered" in rows["throughput ratio (cluster, one host/floor)"].goal
