"""A run terminated while Higgsfield is still generating cancels the generation (it is not paid for) and forgets
its request id; the step stops within seconds. The run is a real process interrupted the way Dagster does it."""

import os
import signal
import subprocess
import sys
import time

import pytest

from santa_videos_tests.conftest import PROJECT_ROOT
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)

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


def test_terminating_the_run_cancels_the_queued_generation(world, fakes, tmp_path):
    _, clips = fakes
    order_id = world.add_order(strategy="lipsync")
    assert world.run(order_id, upto="audio").success
    clips.queued_polls = 10**6  # the generation waits in Higgsfield's queue until canceled

    (tmp_path / "worker_home").mkdir()
    worker = subprocess.Popen(
        [sys.executable, "-c", CLIP_RUN, order_id, str(tmp_path / "worker_home")],
        cwd=PROJECT_ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: clips.count("status") >= 3 or worker.poll() is not None, 120, "status polls")
        assert worker.poll() is None, worker.stdout.read().decode()[-3000:]
        (request_id,) = clips.jobs
        assert world.table.get(order_id).clip_request_id == request_id
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
    assert clips.count("cancel") == 1 and clips.jobs[request_id].status == "canceled", output[-3000:]
    assert world.table.get(order_id).clip_request_id is None
    assert not world.media_file(order_id, "clip.mp4").exists()
    assert stopped_in < 30
