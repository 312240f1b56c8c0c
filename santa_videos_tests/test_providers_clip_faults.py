"""Every Higgsfield fault through the `clip` asset, for an order that asked for lip-sync: transient faults are
retried in the step and lip-sync still serves; a permanent one ends lip-sync after one submission and the template
clip serves, with the reason in the metadata. No segment is ever submitted twice."""

import pytest
import sqlalchemy as sa

from santa_videos.media.lipsync_segments import plan_generations, plan_slots, sentences_of
from santa_videos.orders.lipsync_ledger import segments_table
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)
from santa_videos_tests.lipsync_speech import publish_speech, run_clip

pytestmark = pytest.mark.integration
IN_FLIGHT = 3  # generations a run keeps in flight (HiggsfieldClips.max_in_flight)


def clip_of(world, result):
    assert result.success
    return world.metadata(result, "clip")


def lipsync_order(world, lines=None) -> tuple[str, int]:
    """An order asking for lip-sync, its speech in the store; and how many generations its clip needs."""
    order_id = world.add_order(strategy="lipsync")
    timing = publish_speech(world, order_id, lines=lines)
    return order_id, len(plan_generations(plan_slots(sentences_of(timing), timing["duration"])))


def saved_rows(world) -> list:
    with world.table.engine.connect() as conn:
        return conn.execute(sa.select(segments_table)).all()


def saved_request_ids(world) -> set[str]:
    return {row.request_id for row in saved_rows(world)}


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
    order_id, generations = lipsync_order(world)
    clip = clip_of(world, run_clip(world, order_id))
    assert (clip["provider"], clip["strategy"], clip["skipped"]) == ("higgsfield", "lipsync", "none")
    assert len(clips.jobs) == clip["lipsync_generations"] == generations, "one generation paid for per segment"
    assert clips.count("submit") == generations + (len(faults) if route == "submit" else 0)


def test_a_broken_download_is_fetched_again_without_a_new_generation(world, fakes):
    _, clips = fakes
    for fault in ("truncated", "server_error", "hang"):
        clips.cdn.fail("video", fault, times=1)
    order_id, generations = lipsync_order(world)
    clip = clip_of(world, run_clip(world, order_id))
    assert clip["strategy"] == "lipsync"
    assert (clips.count("submit"), clips.cdn.count("video")) == (generations, generations + 3)
    assert clip["provider_requests"]["higgsfield_download"] == generations + 3


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
    order_id, _ = lipsync_order(world)
    clip = clip_of(world, run_clip(world, order_id))
    assert (clip["provider"], clip["strategy_requested"], clip["strategy"]) == ("local-ffmpeg", "lipsync", "template")
    assert clip["skipped"] == f"lipsync: {reason}"
    assert clips.count("submit") == 1
    assert saved_request_ids(world) == set(), "no claim is left behind"


@pytest.mark.parametrize(
    "outcome, reason",
    [("failed", "the generation failed: Generation failed"), ("nsfw", "moderation rejected the portrait or the audio (nsfw)")],
)
def test_a_generation_that_ends_without_video_falls_back_to_the_template(world, fakes, outcome, reason):
    _, clips = fakes
    clips.outcome = outcome
    order_id, generations = lipsync_order(world)
    clip = clip_of(world, run_clip(world, order_id))
    assert (clip["strategy"], clip["skipped"]) == ("template", f"lipsync: {reason}")
    assert clips.count("submit") == min(IN_FLIGHT, generations) and clips.cdn.count("video") == 0
    assert clip["lipsync_generations"] == clip["lipsync_seconds_billed"] == 0
    first = next(iter(clips.jobs))
    assert first not in saved_request_ids(world), "the generation seen ending without video is not polled again"


def test_a_downloaded_page_that_is_not_a_video_is_refused(world, fakes):
    _, clips = fakes
    clips.cdn.fail("video", "html", times=None)
    order_id, generations = lipsync_order(world)
    clip = clip_of(world, run_clip(world, order_id))
    assert (clip["strategy"], clip["skipped"]) == ("template", "lipsync: the downloaded file is not a playable video")
    assert (clips.count("submit"), clips.cdn.count("video")) == (min(IN_FLIGHT, generations), 1)


def test_a_generation_that_never_completes_is_given_up_at_the_deadline(world, fakes, monkeypatch):
    _, clips = fakes
    monkeypatch.setenv("HIGGSFIELD_DEADLINE_SECONDS", "3")
    clips.outcome = "never"
    order_id, generations = lipsync_order(world, lines=[[("Ho ho ho!", True)], [("Hello, {name}!", False)]])
    clip = clip_of(world, run_clip(world, order_id))
    assert clip["strategy"] == "template"
    assert ("2 of 2 generations did not finish within 3 s (0 canceled, 2 still running, kept for a later attempt)"
            in clip["skipped"])
    assert clip["fallback_s"] >= 3
    assert clips.count("cancel") == 1, "the order's own was to be canceled; the fake refuses once in progress"
    submitted = zip(clips.requests("submit"), clips.jobs)  # an order's own segment keys start with its id
    assert {(row.order_id, row.request_id) for row in saved_rows(world)} == {
        (order_id if sent.headers["idempotency-key"].startswith(order_id) else None, request_id)
        for sent, request_id in submitted
    } and len(clips.jobs) == 2, "both kept for a later attempt, the shared one for any order"


def test_a_retry_after_a_successful_submission_polls_instead_of_submitting_again(world, fakes, monkeypatch):
    _, clips = fakes
    monkeypatch.setenv("SANTA_CLIP_STRATEGIES", "lipsync")
    monkeypatch.setenv("SANTA_PROVIDER_MAX_ATTEMPTS", "2")
    clips.fail("status", "unavailable", times=None)
    order_id, generations = lipsync_order(world)
    first = run_clip(world, order_id)
    assert not first.success
    assert "no clip strategy could serve the order: lipsync: HTTP 503: Model is not ready" in world.failure(first, "clip")
    saved = saved_request_ids(world)
    assert saved == set(clips.jobs) and len(saved) == min(IN_FLIGHT, generations), "ids saved before polling"

    clips.clear_faults()
    second = run_clip(world, order_id)
    clip = clip_of(world, second)
    assert (clip["strategy"], clip["resumed_request"]) == ("lipsync", True)
    assert saved <= set(clip["provider_request_id"].split(", "))
    assert clips.count("submit") == generations, "each segment submitted once over both attempts"
    paid_now = generations - len(saved)
    assert clip["provider_requests"].get("higgsfield_submit", 0) == clip["lipsync_generations"] == paid_now
    assert saved_request_ids(world) == set()


def test_without_a_fallback_a_permanent_fault_fails_the_step_once_and_says_why(world, fakes, monkeypatch):
    _, clips = fakes
    monkeypatch.setenv("SANTA_CLIP_STRATEGIES", "lipsync")
    clips.fail("submit", "credits", times=None)
    order_id, _ = lipsync_order(world)
    result = run_clip(world, order_id)
    assert not result.success and clips.count("submit") == 1
    message = world.failure(result, "clip")
    assert "no clip strategy could serve the order: lipsync: not enough credits (HTTP 403: Not enough credits)" in message
    assert clips.api_key not in message and "hf-fake-secret" not in message


def test_an_order_asking_for_the_template_never_calls_higgsfield(world, fakes):
    _, clips = fakes
    clip = clip_of(world, world.run(world.add_order(strategy="template")))
    assert (clip["strategy"], clip["skipped"]) == ("template", "none")
    assert clips.count() == 0
