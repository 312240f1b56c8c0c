"""Every Higgsfield fault through the `clip` asset, for an order that asked for lip-sync: transient faults are
retried in the step and lip-sync still serves; a permanent one ends lip-sync after one submission and the template
clip serves, with the reason in the metadata. No generation is ever submitted twice for one order."""

import pytest

from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def clip_of(world, result):
    assert result.success
    return world.metadata(result, "clip")


@pytest.mark.parametrize(
    "route, faults",
    [
        ("submit", ("concurrency", "unavailable", "locked")),
        ("upload_url", ("server_error",)),
        ("status", ("server_error", "unavailable", "hang")),
    ],
)
def test_transient_faults_are_retried_and_lipsync_still_serves(world, fakes, route, faults):
    _, clips = fakes
    for fault in faults:
        clips.fail(route, fault, times=1)
    order_id = world.add_order(strategy="lipsync")
    clip = clip_of(world, world.run(order_id))
    assert (clip["provider"], clip["strategy"], clip["skipped"]) == ("higgsfield", "lipsync", "none")
    assert len(clips.jobs) == 1, "one generation paid for"
    assert clips.count("submit") == 1 + (len(faults) if route == "submit" else 0)


def test_a_broken_download_is_fetched_again_without_a_new_generation(world, fakes):
    _, clips = fakes
    for fault in ("truncated", "server_error", "hang"):
        clips.cdn.fail("video", fault, times=1)
    clip = clip_of(world, world.run(world.add_order(strategy="lipsync")))
    assert clip["strategy"] == "lipsync"
    assert (clips.count("submit"), clips.cdn.count("video")) == (1, 4)
    assert clip["provider_requests"]["higgsfield_download"] == 4


@pytest.mark.parametrize(
    "route, fault, reason",
    [
        ("submit", "unauthorized", "the API key was refused (HTTP 401): check HIGGSFIELD_API_KEY"),
        ("submit", "credits", "not enough credits (HTTP 403: Not enough credits)"),
        ("submit", "invalid", "HTTP 422: body.image_url: Field required"),
        ("submit", "hang", "the submission's outcome is unknown (ReadTimeout); not sent again"),
    ],
)
def test_a_refused_submission_costs_one_request_and_the_template_serves(world, fakes, route, fault, reason):
    _, clips = fakes
    clips.fail(route, fault, times=None)
    order_id = world.add_order(strategy="lipsync")
    clip = clip_of(world, world.run(order_id))
    assert (clip["provider"], clip["strategy_requested"], clip["strategy"]) == ("local-ffmpeg", "lipsync", "template")
    assert clip["skipped"] == f"lipsync: {reason}"
    assert clips.count("submit") == 1


@pytest.mark.parametrize(
    "outcome, reason",
    [("failed", "the generation failed: Generation failed"), ("nsfw", "moderation rejected the portrait or the audio (nsfw)")],
)
def test_a_generation_that_ends_without_video_falls_back_to_the_template(world, fakes, outcome, reason):
    _, clips = fakes
    clips.outcome = outcome
    order_id = world.add_order(strategy="lipsync")
    clip = clip_of(world, world.run(order_id))
    assert (clip["strategy"], clip["skipped"]) == ("template", f"lipsync: {reason}")
    assert clips.count("submit") == 1 and clips.cdn.count("video") == 0
    assert world.table.get(order_id).clip_request_id is None, "nothing left to poll"


def test_a_downloaded_page_that_is_not_a_video_is_refused(world, fakes):
    _, clips = fakes
    clips.cdn.fail("video", "html", times=None)
    clip = clip_of(world, world.run(world.add_order(strategy="lipsync")))
    assert (clip["strategy"], clip["skipped"]) == ("template", "lipsync: the downloaded file is not a playable video")
    assert (clips.count("submit"), clips.cdn.count("video")) == (1, 1)


def test_a_generation_that_never_completes_is_given_up_at_the_deadline(world, fakes, monkeypatch):
    _, clips = fakes
    monkeypatch.setenv("HIGGSFIELD_DEADLINE_SECONDS", "3")
    clips.outcome = "never"
    order_id = world.add_order(strategy="lipsync")
    clip = clip_of(world, world.run(order_id))
    assert clip["strategy"] == "template"
    assert "did not finish within 3 s (still running, kept for a later attempt)" in clip["skipped"]
    assert clip["fallback_s"] >= 3
    assert clips.count("cancel") == 1, "cancel was tried; the fake refuses it once in progress, like the real API"
    assert world.table.get(order_id).clip_request_id == next(iter(clips.jobs))


def test_a_retry_after_a_successful_submission_polls_instead_of_submitting_again(world, fakes, monkeypatch):
    _, clips = fakes
    monkeypatch.setenv("SANTA_CLIP_STRATEGIES", "lipsync")
    monkeypatch.setenv("SANTA_PROVIDER_MAX_ATTEMPTS", "2")
    clips.fail("status", "unavailable", times=None)
    order_id = world.add_order(strategy="lipsync")
    first = world.run(order_id)
    assert not first.success
    assert "no clip strategy could serve the order: lipsync: HTTP 503: Model is not ready" in world.failure(first, "clip")
    saved = world.table.get(order_id).clip_request_id
    assert saved == next(iter(clips.jobs)), "the request id was saved before polling"

    clips.clear_faults()
    second = world.run(order_id)
    clip = clip_of(world, second)
    assert (clip["strategy"], clip["provider_request_id"], clip["resumed_request"]) == ("lipsync", saved, True)
    assert clips.count("submit") == 1 and clips.count("upload_url") == 2, "zero new submissions or uploads"
    assert clip["provider_requests"].get("higgsfield_submit", 0) == 0


def test_without_a_fallback_a_permanent_fault_fails_the_step_once_and_says_why(world, fakes, monkeypatch):
    _, clips = fakes
    monkeypatch.setenv("SANTA_CLIP_STRATEGIES", "lipsync")
    clips.fail("submit", "credits", times=None)
    order_id = world.add_order(strategy="lipsync")
    result = world.run(order_id)
    assert not result.success and clips.count("submit") == 1
    message = world.failure(result, "clip")
    assert "no clip strategy could serve the order: lipsync: not enough credits (HTTP 403: Not enough credits)" in message
    assert clips.api_key not in message and "hf-fake-secret" not in message


def test_an_order_asking_for_the_template_never_calls_higgsfield(world, fakes):
    _, clips = fakes
    clip = clip_of(world, world.run(world.add_order(strategy="template")))
    assert (clip["strategy"], clip["skipped"]) == ("template", "none")
    assert clips.count() == 0
