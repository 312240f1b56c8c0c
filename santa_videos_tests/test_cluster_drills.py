"""Drills on a cluster of two worker hosts (real daemon, Celery workers, Redis, S3 server, PostgreSQL)."""

import time

import dagster as dg
import pytest

from santa_videos_tests.cluster import cluster, graphql  # noqa: F401 (fixtures)
from santa_videos_tests.reliability import alive, encoding_ffmpeg, kill9, wait_seconds


@pytest.mark.slow
def test_kill9(cluster):
    (order_id,) = cluster.submit(1)
    ffmpeg_pid, pool_pid = cluster.wait_for(lambda: encoding_ffmpeg(order_id), 300, "the final encode")
    host = next(h for h in cluster.hosts if pool_pid in h.processes())
    kill9(pool_pid)
    killed = time.monotonic()
    cluster.wait_for(lambda: not alive(ffmpeg_pid), 10, "FFmpeg to stop with its run worker")
    first = cluster.wait_for(
        lambda: next((r for r in cluster.runs(order_id) if r.status == dg.DagsterRunStatus.FAILURE), None),
        120, "the killed run to be marked failed",
    )
    print(f"kill -9 on {host.name}: run failed after {wait_seconds(killed)} s")
    records = cluster.wait_until_terminal([order_id], 300)
    print(f"kill -9: {records[order_id].status} {wait_seconds(killed)} s after the kill, on {records[order_id].render_host}, {records[order_id].last_error}")
    for run in cluster.runs(order_id):
        print(run.run_id, run.status, run.tags.get("dagster/retry_number"))


@pytest.mark.slow
def test_lost(cluster):
    cluster.restore_hosts()
    (order_id,) = cluster.submit(1)
    ffmpeg_pid, pool_pid = cluster.wait_for(lambda: encoding_ffmpeg(order_id), 300, "the final encode")
    host = next(h for h in cluster.hosts if pool_pid in h.processes())
    host.lose()
    lost = time.monotonic()
    cluster.wait_for(lambda: not alive(ffmpeg_pid), 10, "FFmpeg to stop with its machine")
    first = cluster.wait_for(
        lambda: next((r for r in cluster.runs(order_id) if r.status == dg.DagsterRunStatus.FAILURE), None),
        300, "the lost run to be marked failed",
    )
    print(f"lost {host.name}: run failed after {wait_seconds(lost)} s")
    records = cluster.wait_until_terminal([order_id], 300)
    print(f"lost: {records[order_id].status} {wait_seconds(lost)} s after, on {records[order_id].render_host}, {records[order_id].last_error}")
    for run in cluster.runs(order_id):
        print(run.run_id, run.status, run.tags.get("dagster/retry_number"))


@pytest.mark.slow
def test_redis_restart(cluster):
    cluster.restore_hosts()
    order_ids = cluster.submit(5)
    cluster.wait_for(lambda: sum(r.status == dg.DagsterRunStatus.STARTED for r in cluster.runs()) >= 2
                     and any(r.status == dg.DagsterRunStatus.STARTING for r in cluster.runs()), 300, "runs running and waiting")
    print({r.run_id[:8]: r.status.value for r in cluster.runs()})
    cluster.cluster.redis.kill()
    down = time.monotonic()
    time.sleep(5)
    cluster.cluster.redis.start()
    print(f"redis back after {wait_seconds(down)} s")
    records = cluster.wait_until_terminal(order_ids, 600)
    print(f"redis: {wait_seconds(down)} s", {oid: (r.status, r.render_host, r.last_error, r.attempts) for oid, r in records.items()})
    for run in cluster.runs():
        print(run.run_id[:8], run.tags["dagster/partition"][-6:], run.status, run.tags.get("dagster/retry_number"))


@pytest.mark.slow
def test_terminate(cluster, graphql):
    cluster.restore_hosts()
    (order_id,) = cluster.submit(1)
    ffmpeg_pid, pool_pid = cluster.wait_for(lambda: encoding_ffmpeg(order_id), 300, "the final encode")
    (run,) = cluster.runs(order_id)
    graphql.terminate_run(run.run_id)
    asked = time.monotonic()
    cluster.wait_for(lambda: not alive(ffmpeg_pid), 20, "FFmpeg to stop")
    print(f"terminate: FFmpeg stopped {wait_seconds(asked)} s after the request; pool alive {alive(pool_pid)}")
    cluster.wait_for(lambda: cluster.instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.CANCELED, 240, "CANCELED")
    print(f"terminate: CANCELED {wait_seconds(asked)} s after the request")
    records = cluster.wait_until_terminal([order_id], 60)
    print(records[order_id].status, records[order_id].last_error)
    time.sleep(8)
    print([ (r.run_id[:8], r.status) for r in cluster.runs(order_id)])
