"""An operator terminates a rendering run through the GraphQL API the Dagster UI uses: FFmpeg stops within seconds,
the run ends CANCELED and is not retried, nothing is published or left behind, and the order is failed (canceled)."""

import socket
import subprocess
import time

import dagster as dg
import httpx
import pytest
from dagster_graphql import DagsterGraphQLClient

from santa_videos_tests.daemon import BIN
from santa_videos_tests.conftest import PROJECT_ROOT
from santa_videos_tests.reliability import alive, drill, encoding_ffmpeg, wait_seconds  # noqa: F401 (fixture)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def webserver(drill):
    port = free_port()
    log = (drill.harness.home.parent / "webserver.log").open("ab")
    process = subprocess.Popen(
        [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT, env=drill.harness.env, stdout=log, stderr=subprocess.STDOUT,
    )

    def up():
        try:
            return httpx.get(f"http://127.0.0.1:{port}/server_info", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        drill.harness.wait_for(up, 180, "dagster-webserver")
        yield DagsterGraphQLClient("127.0.0.1", port_number=port)
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


@pytest.mark.slow
def test_terminating_a_run_from_the_ui_cancels_it_cleanly_without_a_retry(drill, webserver):
    drill.harness.start()
    (order_id,) = drill.submit()
    ffmpeg_pid, _worker = drill.harness.wait_for(lambda: encoding_ffmpeg(order_id), 300, "the final encode")
    (run,) = drill.runs(order_id)

    webserver.terminate_run(run.run_id)
    asked = time.monotonic()
    drill.harness.wait_for(lambda: not alive(ffmpeg_pid), 20, "FFmpeg to stop")
    print(f"terminate: FFmpeg stopped {wait_seconds(asked)} s after the request")
    drill.harness.wait_for(
        lambda: drill.instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.CANCELED, 60, "CANCELED"
    )
    records = drill.assert_invariants([order_id])
    print(f"terminate: order failed (canceled) {wait_seconds(asked)} s after the request")

    assert records[order_id].status == "failed" and records[order_id].last_error.startswith("canceled")
    assert not (drill.data / "deliveries" / f"{order_id}.mp4").exists()
    assert not (drill.data / "media" / "orders" / order_id / "video.mp4").exists()
    time.sleep(8)  # long enough for the retry daemon and the reconciler to act, were they going to
    assert [r.run_id for r in drill.runs(order_id)] == [run.run_id]
    assert drill.table.get(order_id).status == "failed"
