"""Every ElevenLabs fault through the `audio` asset: a transient one is retried in the step (Retry-After honoured)
and ElevenLabs still serves; a permanent one costs exactly one request and espeak-ng serves, with the reason in
the metadata; without a fallback the step fails at once, naming the provider and the reason."""

import json

import pytest

from santa_videos.providers.health import elevenlabs_status
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def clean_requests(world, order_id: str) -> int:
    """The ElevenLabs requests the order's speech takes on an empty cache: one per shared sentence (each serves
    every order), one for the order's own sentences."""
    plan = json.loads(world.media_file(order_id, "plan.json").read_text())["sentences"]
    return len({s["text"] for s in plan if s["shared"]}) + any(not s["shared"] for s in plan)


@pytest.mark.parametrize(
    "faults",
    [("rate_limit", "server_error", "truncated"), ("system_busy", "bad_gateway", "unavailable"), ("hang",)],
)
def test_transient_faults_are_retried_and_elevenlabs_still_serves(world, fakes, faults):
    voice, _ = fakes
    for fault in faults:
        voice.fail("tts", fault, times=1)
    order_id = world.add_order()
    result = world.run(order_id, upto="audio")
    assert result.success
    assert voice.count("tts") == len(faults) + clean_requests(world, order_id)
    audio = world.metadata(result, "audio")
    assert (audio["provider"], audio["skipped"]) == ("elevenlabs", "none")
    assert audio["provider_requests"] == {"elevenlabs": len(faults) + clean_requests(world, order_id),
                                         "elevenlabs_dictionary": 1}


def test_retry_after_is_honoured(world, fakes):
    voice, _ = fakes
    voice.fail("tts", "rate_limit", times=1)  # Retry-After: 1
    assert world.run(world.add_order(), upto="audio").success
    first, second = voice.requests("tts")[:2]
    assert first.body == second.body, "the refused request is the one sent again"
    assert second.received_at - first.received_at >= 0.95


@pytest.mark.parametrize(
    "fault, reason",
    [
        ("quota", "ElevenLabs quota exceeded: the account has no credits left"),
        ("unauthorized", "the API key was refused (invalid_api_key)"),
        ("voice_not_found", "unknown voice id: check SANTA_VOICE_ID"),
        ("too_long", "HTTP 400 max_character_limit_exceeded"),
        ("html", "instead of audio"),
    ],
)
def test_a_permanent_fault_costs_one_request_and_espeak_serves(world, fakes, fault, reason):
    voice, _ = fakes
    voice.fail("tts", fault, times=None)
    order_id = world.add_order()
    result = world.run(order_id, upto="audio")
    assert result.success
    assert voice.count("tts") == 1
    audio = world.metadata(result, "audio")
    assert (audio["provider"], audio["voice"]) == ("espeak-ng", "en-us+m3")
    assert audio["skipped"].startswith("elevenlabs: ") and reason.removeprefix("ElevenLabs ") in audio["skipped"]
    assert audio["characters_billed"] == 0


def test_a_fault_that_outlasts_the_retry_budget_hands_over_to_espeak(world, fakes, monkeypatch):
    voice, _ = fakes
    monkeypatch.setenv("SANTA_PROVIDER_MAX_ATTEMPTS", "3")
    voice.fail("tts", "unavailable", times=None)
    order_id = world.add_order()
    result = world.run(order_id, upto="audio")
    assert result.success and voice.count("tts") == 3
    audio = world.metadata(result, "audio")
    assert audio["provider"] == "espeak-ng"
    assert "gave up speech after 3 attempts" in audio["skipped"] and audio["fallback_s"] > 0


def test_an_exhausted_quota_is_said_plainly_by_the_health_check(world, fakes):
    voice, _ = fakes
    assert elevenlabs_status() == (True, "ElevenLabs: 100000 of 100000 characters left")
    voice.exhaust_quota()
    assert elevenlabs_status() == (False, "ElevenLabs: quota exceeded: 100000 of 100000 characters used")
    order_id = world.add_order()
    audio = world.metadata(world.run(order_id, upto="audio"), "audio")
    assert audio["provider"] == "espeak-ng" and "quota exceeded" in audio["skipped"]


def test_without_a_fallback_a_permanent_fault_fails_the_step_once_and_says_why(world, fakes, monkeypatch):
    voice, _ = fakes
    monkeypatch.setenv("SANTA_SPEECH_PROVIDERS", "elevenlabs")
    voice.fail("tts", "quota", times=None)
    order_id = world.add_order()
    # The whole job, with its step retry policy: a permanent error must not be retried by it.
    result = world.run(order_id, full=True)
    assert not result.success
    assert voice.count("tts") == 1
    message = world.failure(result, "audio")
    assert "no speech provider could voice the script: elevenlabs: quota exceeded" in message
    assert voice.api_key not in message
