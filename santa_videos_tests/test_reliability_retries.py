"""Step retries for transient faults, no retry at all for a permanent provider error, and the dead letter queue that
holds it until an operator re-runs it: a real dagster-daemon on PostgreSQL, speech from the fake ElevenLabs server
(the only voice configured, so its error fails the step)."""

import json
import time

import dagster as dg
import pytest

from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield
from santa_videos_tests.fakes.pipeline import provider_env
from santa_videos_tests.reliability import drill, step_events, wait_seconds  # noqa: F401 (fixture)


@pytest.fixture
def voice():
    with FakeElevenLabs() as voice, FakeHiggsfield() as clips:
        yield voice, {**provider_env(voice, clips), "SANTA_SPEECH_PROVIDERS": "elevenlabs"}


@pytest.mark.slow
def test_transient_faults_are_retried_in_the_step_and_permanent_ones_become_dead_letters(drill, voice):
    fake, env = voice
    # Two transient faults in the encode step: the step is tried again in the same run and the order is delivered.
    drill.set_faults({"step:video": {"kind": "transient", "times": 2}})
    drill.harness.start(**env)
    started = time.monotonic()
    (flaky,) = drill.submit()
    drill.assert_invariants([flaky], timeout=300)
    print(f"transient x2: delivered after {wait_seconds(started)} s")
    (run,) = drill.runs(flaky)
    assert run.status == dg.DagsterRunStatus.SUCCESS
    retried = step_events(drill.instance, run.run_id, dg.DagsterEventType.STEP_UP_FOR_RETRY)
    assert [event.step_key for event in retried] == ["video", "video"]
    assert drill.table.get(flaky).attempts == 1
    assert json.loads(drill.faults.read_text())["step:video"]["times"] == 0
    speech_requests = fake.count("tts")
    assert speech_requests >= 1

    # ElevenLabs refuses the next request for good (quota used up): no retry by any layer; a dead letter.
    fake.fail("tts", "quota", times=1)
    started = time.monotonic()
    (broken,) = drill.submit(name="Mateo")
    records = drill.assert_invariants([broken], timeout=300)
    print(f"permanent: dead-lettered after {wait_seconds(started)} s")
    assert records[broken].status == "failed"
    assert records[broken].last_error.startswith("step audio: ") and "quota" in records[broken].last_error
    assert fake.count("tts") == speech_requests + 1
    (run,) = drill.runs(broken)
    assert run.status == dg.DagsterRunStatus.FAILURE and run.tags.get("dagster/will_retry") == "false"
    assert step_events(drill.instance, run.run_id, dg.DagsterEventType.STEP_UP_FOR_RETRY) == []
    time.sleep(8)  # long enough for the retry daemon and the reconciler to act, were they going to
    assert len(drill.runs(broken)) == 1

    listing = drill.harness.cli("dlq", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    (letter,) = json.loads(listing.stdout)
    assert (letter["order_id"], letter["failed_step"], letter["attempts"], letter["run_id"]) == (
        broken, "audio", 1, run.run_id
    )
    assert "quota" in letter["error"] and letter["age_seconds"] >= 0 and letter["status"] == "failure"
    assert broken in drill.harness.cli("dlq", "list").stdout

    refused = drill.harness.cli("dlq", "retry", flaky)
    assert refused.returncode == 2 and "not a dead letter" in refused.stderr

    # The quota is back; `dlq retry` re-executes from the failed step and reuses the script.
    fake.clear_faults()
    started = time.monotonic()
    retried = drill.harness.cli("dlq", "retry", "--all")
    assert retried.returncode == 0, retried.stderr
    assert broken in retried.stdout
    drill.harness.wait_for(lambda: drill.table.get(broken).status == "delivered", 300, "the retried order delivered")
    drill.assert_invariants([flaky, broken])
    print(f"dlq retry: delivered after {wait_seconds(started)} s")
    first, second = sorted(drill.runs(broken), key=lambda r: r.run_id != run.run_id)
    assert second.parent_run_id == first.run_id and second.status == dg.DagsterRunStatus.SUCCESS
    executed = {e.step_key for e in step_events(drill.instance, second.run_id, dg.DagsterEventType.STEP_START)}
    assert executed == {"audio", "clip", "video", "delivery"}
    assert fake.count("tts") <= 2 * speech_requests + 1, "one refused request, then one order's worth"
    assert json.loads(drill.harness.cli("dlq", "list", "--json").stdout) == []
