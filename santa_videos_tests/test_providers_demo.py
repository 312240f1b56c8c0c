"""`santa-videos demo --providers fake`: the three sample orders go through a real dagster-daemon, ElevenLabs and
Higgsfield (the fakes, on loopback) and come out delivered; with SANTA_HIGGSFIELD_MAX_RUNS=1 the run queue never
lets two runs generate with Higgsfield at once, however many run slots are free."""

import json
import subprocess

import pytest

from santa_videos.daemon_harness import BIN, DaemonHarness
from santa_videos.resources.higgsfield import HiggsfieldClips
from santa_videos_tests.conftest import PROJECT_ROOT
from santa_videos_tests.paid_requests import paid_requests


@pytest.mark.slow
def test_the_demo_delivers_through_the_fake_paid_providers_within_their_limits(tmp_path):
    harness = DaemonHarness(tmp_path, SANTA_MAX_CONCURRENT_RUNS="3", SANTA_HIGGSFIELD_MAX_RUNS="1")
    done = subprocess.run(
        [str(BIN / "santa-videos"), "demo", "--providers", "fake", "--timeout", "600"],
        cwd=PROJECT_ROOT, env=harness.env, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert sum("delivered in" in line for line in lines) == 3, done.stdout
    (counted,) = [line for line in lines if line.startswith("fake providers counted: ")]
    counts = json.loads(counted.removeprefix("fake providers counted: "))
    order_ids = [line.split()[0] for line in lines if "delivered in" in line]
    paid = paid_requests(harness.data_dir / "media" / "orders", order_ids)
    assert counts["higgsfield_submissions"] == paid.generations, "shared segments once for all, none repeated"
    # One run at a time generates: at most as many generations at once as one run keeps in flight.
    assert counts["higgsfield_peak_concurrent"] <= HiggsfieldClips.model_fields["max_in_flight"].default
    assert counts["elevenlabs_speech_requests"] == paid.speech, "shared sentences once for all three orders"
