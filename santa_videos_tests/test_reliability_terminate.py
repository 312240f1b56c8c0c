"""An operator terminates a rendering run through the GraphQL API the Dagster UI uses: FFmpeg stops within seconds,
the run ends CANCELED and is not retried, nothing is published or left behind, and the order is failed (canceled)."""

import time

import dagster as dg
import pytest
from dagster_graphql import DagsterGraphQLClient

from santa_videos_tests.reliability import alive, drill, encoding_ffmpeg, wait_seconds  # noqa: F401 (fixture)


@pytest.fixture
def webserver(drill):
    with drill.harness.webserver() as web:
        yield DagsterGraphQLClient("127.0.0.1", port_number=web.port)


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
