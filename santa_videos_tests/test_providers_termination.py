"""A run terminated while Higgsfield is still generating cancels the order's own generations (they are not paid
for) and forgets their request ids; a shared sentence's generation runs on for the next order that needs it, its
request id kept. The step stops within seconds. The run is a real process interrupted the way Dagster does it."""

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from santa_videos.orders.lipsync_ledger import segments_table
from santa_videos_tests.conftest import PROJECT_ROOT
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)
from santa_videos_tests.lipsync_speech import publish_speech

pytestmark = pytest.mark.integration

CLIP_RUN = """
import sys
import dagster as dg
from santa_videos.assets.clip import clip
from santa_videos.definitions import build_definitions
from santa_videos.settings import load_settings

order_id, home = sys.argv[1], sys.argv[2]
with dg.instance_for_test(temp_dir=home) as instance:
    instance.add_dynamic_partitions("videos", [order_id])
    resources = build_definitions(load_settings()).resources
    result = dg.materialize([clip], instance=instance, partition_key=order_id, resources=resources, raise_on_error=False)
    sys.exit(0 if result.success else 3)
"""


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def saved(world) -> dict[str, str | None]:
    """request id -> order id (None for a shared segment) of every segment in the ledger."""
    with world.table.engine.connect() as conn:
        return {row.request_id: row.order_id for row in conn.execute(sa.select(segments_table))}


def test_terminating_the_run_cancels_the_orders_queued_generations(world, fakes, tmp_path):
    _, clips = fakes
    order_id = world.add_order(strategy="lipsync")
    publish_speech(world, order_id, lines=[[("Hello, {name}!", False)], [("Ho ho ho!", True)]])
    clips.queued_polls = 10**6  # the generations wait in Higgsfield's queue until canceled

    (tmp_path / "worker_home").mkdir()
    worker = subprocess.Popen(
        [sys.executable, "-c", CLIP_RUN, order_id, str(tmp_path / "worker_home")],
        cwd=PROJECT_ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: clips.count("status") >= 4 or worker.poll() is not None, 120, "status polls")
        assert worker.poll() is None, worker.stdout.read().decode()[-3000:]
        assert set(saved(world)) == set(clips.jobs) and set(saved(world).values()) == {order_id, None}
        (own,) = [request_id for request_id, owner in saved(world).items() if owner == order_id]
        (shared,) = [request_id for request_id, owner in saved(world).items() if owner is None]
        interrupted = time.monotonic()
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=60)
        stopped_in = time.monotonic() - interrupted
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    output = worker.stdout.read().decode()
    assert worker.returncode != 0, output[-3000:]
    assert clips.count("cancel") == 1 and clips.jobs[own].status == "canceled", output[-3000:]
    assert clips.jobs[shared].status == "queued" and saved(world) == {shared: None}
    assert not world.media_file(order_id, "clip.mp4").exists()
    assert stopped_in < 30
