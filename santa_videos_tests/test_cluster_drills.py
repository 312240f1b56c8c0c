"""Drills on a cluster of two worker hosts: real dagster-daemon on deploy/dagster.cluster.yaml, real Celery workers
(`santa-videos worker`), Redis, the S3 server and PostgreSQL, sharing nothing else. Each drill prints its figures."""

import base64
import json
import time

import dagster as dg
import httpx
import pytest
import redis

from santa_videos_tests.cluster import (  # noqa: F401 (fixtures)
    CENTRAL_USER, HOST_USERS, can_read, cluster, graphql, intake,
)
from santa_videos_tests.reliability import alive, encoding_ffmpeg, kill9, step_events, wait_seconds

pytestmark = pytest.mark.slow
SUCCESS, FAILURE = dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE


def delivered_objects(cluster, order_id: str) -> list:
    """The delivered MP4s of an order, read from the S3 server's own folder (its objects are files there)."""
    return list((cluster.cluster.s3.folder / "data").rglob(f"deliveries/{order_id}.mp4"))


def assert_delivered_once(cluster, records: dict) -> None:
    cluster.wait_for_runs_to_end()  # delivery is recorded by the last step, a moment before its run ends
    for order_id, record in records.items():
        assert record.status == "delivered", (order_id, record.status, record.last_error)
        assert len(delivered_objects(cluster, order_id)) == 1, order_id
        statuses = [run.status for run in cluster.runs(order_id)]
        assert statuses.count(SUCCESS) == 1 and len(statuses) <= 3, (order_id, statuses)


def test_orders_are_rendered_by_both_hosts_and_served_by_the_intake_with_no_path_shared(cluster, intake):
    started = time.monotonic()
    order_ids = cluster.submit(2)  # launched a second apart: each idle worker takes one
    records = cluster.wait_until_terminal(order_ids, 300)
    print(f"2 orders: delivered after {wait_seconds(started)} s by {sorted(r.render_host for r in records.values())}")
    assert_delivered_once(cluster, records)
    assert {record.render_host for record in records.values()} == set(HOST_USERS)
    for order_id in order_ids:
        # The intake has no file of its own: it redirects to the object store, which answers ranges itself
        # (rclone's server with 200 and the range asked for; S3 with 206).
        redirect = httpx.get(f"{intake}/videos/{order_id}.mp4")
        assert redirect.status_code == 307, (order_id, redirect.status_code)
        assert redirect.headers["location"].startswith(cluster.cluster.s3.endpoint_url)
        part = httpx.get(redirect.headers["location"], headers={"Range": "bytes=0-11"})
        assert part.headers["content-range"].startswith("bytes 0-11/") and part.content[4:8] == b"ftyp"
    if not cluster.separate_users:
        pytest.skip("the cluster's system users do not exist (.ci/run makes them): folders were not separated")
    hosts = {host.name: host for host in cluster.hosts}
    for name, host in hosts.items():
        others = [CENTRAL_USER, *(user for other, user in HOST_USERS.items() if other != name)]
        for folder in (host.data, host.temp, host.home):
            assert can_read(HOST_USERS[name], folder)
            assert not any(can_read(user, folder) for user in others), folder


def queued_messages(cluster) -> list[bytes]:
    """The Celery messages waiting in Redis for a worker, their base64 bodies decoded."""
    client = redis.Redis.from_url(cluster.cluster.redis.url(0))
    try:
        raw = client.lrange("dagster", 0, -1)
    finally:
        client.close()
    return [message + base64.b64decode(json.loads(message)["body"]) for message in raw]


def test_a_killed_worker_process_and_a_lost_worker_machine_are_found_and_their_runs_retried(cluster):
    cluster.restore_hosts()
    killed_order, lost_order = order_ids = cluster.submit(2)
    encodes = cluster.wait_for(
        lambda: (lambda both: both if all(both) else None)([encoding_ffmpeg(oid) for oid in order_ids]),
        300, "both final encodes, one on each host",
    )
    (killed_ffmpeg, killed_pool), (lost_ffmpeg, lost_pool) = encodes
    survivor, lost_host = cluster.host_of(killed_pool), cluster.host_of(lost_pool)
    assert survivor is not lost_host
    kill9(killed_pool)  # one worker process dies mid-encode (the OOM killer)
    lost_host.lose()  # the other machine is gone: every process, and its disk
    start = time.monotonic()
    cluster.wait_for(lambda: not alive(killed_ffmpeg) and not alive(lost_ffmpeg), 10, "both FFmpegs to stop")

    def failed_after(order_id):
        run = next((r for r in cluster.runs(order_id) if r.status == FAILURE), None)
        return run and wait_seconds(start)

    killed_found = cluster.wait_for(lambda: failed_after(killed_order), 60, "the killed run marked failed")
    lost_found = cluster.wait_for(lambda: failed_after(lost_order), 180, "the lost machine's run marked failed")
    records = cluster.wait_until_terminal(order_ids, 300)
    print(f"kill -9 of a worker process: run failed after {killed_found} s; machine lost: after {lost_found} s "
          f"(dagster/max_runtime {cluster.runs(lost_order)[0].tags['dagster/max_runtime']} s); both delivered "
          f"{wait_seconds(start)} s after, by {records[killed_order].render_host} and {records[lost_order].render_host}")
    assert_delivered_once(cluster, records)
    assert records[lost_order].render_host == survivor.name
    for order_id in order_ids:
        first, retry = sorted(cluster.runs(order_id), key=lambda run: run.tags.get("dagster/retry_number", "0"))
        assert first.status == FAILURE and first.tags["dagster/will_retry"] == "true"
        assert retry.status == SUCCESS and retry.tags["dagster/retry_number"] == "1"
        # From the failure: script, audio and clip come from the store, not from the dead machine's disk.
        executed = {e.step_key for e in step_events(cluster.instance, retry.run_id, dg.DagsterEventType.STEP_START)}
        assert executed == {"video", "delivery"}, (order_id, executed)


def test_redis_restarted_while_runs_wait_and_run_delivers_every_order_once(cluster):
    cluster.restore_hosts()
    order_ids = cluster.submit(3, name="Quintessa")

    def running_and_waiting():
        statuses = [run.status for run in cluster.runs() if run.tags["dagster/partition"] in order_ids]
        return statuses.count(dg.DagsterRunStatus.STARTED) == 2 and dg.DagsterRunStatus.STARTING in statuses

    cluster.wait_for(running_and_waiting, 300, "two runs rendering and one waiting in Redis")
    # What waits in Redis is a run id to execute: no child's name, no secret.
    waiting = cluster.wait_for(lambda: queued_messages(cluster), 30, "the waiting run's message in Redis")
    assert not any(b"Quintessa" in m or cluster.cluster.s3.secret_key.encode() in m for m in waiting)
    assert any(run.run_id.encode() in m for m in waiting for run in cluster.runs())
    cluster.cluster.redis.kill()
    down = time.monotonic()
    time.sleep(5)
    cluster.cluster.redis.start()
    records = cluster.wait_until_terminal(order_ids, 300)
    runs = {oid: len(cluster.runs(oid)) for oid in order_ids}
    print(f"Redis killed and back after 5 s: 3 orders delivered {wait_seconds(down)} s after the kill, runs {runs}")
    assert_delivered_once(cluster, records)


def test_the_s3_server_down_for_20_s_during_a_publish_delays_the_order_but_delivers_it(cluster):
    cluster.restore_hosts()
    (order_id,) = cluster.submit(1)
    cluster.wait_for(lambda: encoding_ffmpeg(order_id), 300, "the final encode (its video is published next)")
    cluster.cluster.s3.kill()
    down = time.monotonic()
    time.sleep(20)
    cluster.cluster.s3.start()
    records = cluster.wait_until_terminal([order_id], 300)
    (run,) = cluster.runs(order_id)
    retried = step_events(cluster.instance, run.run_id, dg.DagsterEventType.STEP_UP_FOR_RETRY)
    print(f"S3 down 20 s: delivered {wait_seconds(down)} s after it went down, "
          f"step retries {[e.dagster_event.step_key for e in retried]}")
    assert_delivered_once(cluster, records)


def test_a_run_terminated_from_the_ui_stops_its_ffmpeg_on_the_worker_and_is_not_retried(cluster, graphql):
    cluster.restore_hosts()
    (order_id,) = cluster.submit(1)
    ffmpeg_pid, pool_pid = cluster.wait_for(lambda: encoding_ffmpeg(order_id), 300, "the final encode")
    (run,) = cluster.runs(order_id)
    graphql.terminate_run(run.run_id)
    asked = time.monotonic()
    cluster.wait_for(lambda: not alive(ffmpeg_pid), 20, "FFmpeg to stop")
    stopped = wait_seconds(asked)
    cluster.wait_for(lambda: cluster.instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.CANCELED,
                     60, "the run CANCELED")
    print(f"terminate: FFmpeg on the worker stopped {stopped} s after the request, run CANCELED after "
          f"{wait_seconds(asked)} s")
    records = cluster.wait_until_terminal([order_id], 60)
    assert records[order_id].status == "failed" and records[order_id].last_error.startswith("canceled")
    assert alive(pool_pid), "the worker process itself lives on for the next run"
    time.sleep(8)  # long enough for run retries and the reconciler to act, were they going to
    assert [r.run_id for r in cluster.runs(order_id)] == [run.run_id]
    assert not delivered_objects(cluster, order_id)
    assert not list((cluster.cluster.s3.folder / "data").rglob(f"*{order_id}*/video.mp4"))
