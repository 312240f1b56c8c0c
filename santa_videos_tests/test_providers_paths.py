"""The paid path against the fake ElevenLabs and Higgsfield servers: a clean order is voiced and lip-synced with
the fewest calls, the SDK and httpx really talk to the fakes, and captions follow the provider's timings."""

import json
import re

import pytest
import sqlalchemy as sa

from santa_videos.media.lipsync_segments import plan_generations, plan_slots, sentences_of
from santa_videos.orders.lipsync_ledger import segments_table
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)
from santa_videos_tests.media_checks import ffprobe, wav_seconds

pytestmark = pytest.mark.integration


def generations_needed(world, order_id: str) -> int:
    """How many lip-sync generations the order's speech needs (shared sentences once, its own packed)."""
    timing = json.loads(world.media_file(order_id, "cues.json").read_text(encoding="utf-8"))
    return len(plan_generations(plan_slots(sentences_of(timing), timing["duration"])))


def speech_requests_needed(world, order_id: str) -> int:
    """ElevenLabs requests on an empty cache: one per shared sentence, one for the order's own sentences."""
    plan = json.loads(world.media_file(order_id, "plan.json").read_text(encoding="utf-8"))["sentences"]
    return len({s["text"] for s in plan if s["shared"]}) + any(not s["shared"] for s in plan)


def test_a_lipsync_order_is_delivered_with_one_speech_call_per_sentence_and_one_submission_per_segment(world, fakes):
    voice, clips = fakes
    order_id = world.add_order(strategy="lipsync")
    result = world.run(order_id, full=True)
    assert result.success
    requests = speech_requests_needed(world, order_id)
    assert voice.count("tts") == requests
    generations = generations_needed(world, order_id)
    assert (clips.count("submit"), clips.count("cancel")) == (generations, 0)
    assert clips.cdn.count("video") == generations

    audio = world.metadata(result, "audio")
    assert (audio["provider"], audio["voice"], audio["skipped"]) == ("elevenlabs", "santa-voice", "none")
    assert audio["characters_billed"] == sum(len(r.json()["text"]) for r in voice.requests("tts")) > 50
    # The name lexicon's pronunciation dictionary is made once, on this first order's first request.
    assert audio["provider_requests"] == {"elevenlabs": requests, "elevenlabs_dictionary": 1}
    clip = world.metadata(result, "clip")
    assert (clip["provider"], clip["strategy_requested"], clip["strategy"], clip["skipped"]) == (
        "higgsfield", "lipsync", "lipsync", "none")
    assert set(clip["provider_request_id"].split(", ")) == set(clips.jobs)
    assert clip["provider_requests"]["higgsfield_submit"] == clip["lipsync_generations"] == generations
    assert clip["lipsync_coverage"] == 1.0
    assert world.table.get(order_id).status == "delivered"
    with world.table.engine.connect() as conn:
        assert conn.execute(sa.select(segments_table)).all() == [], "used generations are forgotten"


def test_the_sdk_and_httpx_send_what_the_apis_document(world, fakes):
    voice, clips = fakes
    order_id = world.add_order(strategy="lipsync")
    assert world.run(order_id).success

    for speech in voice.requests("tts"):
        assert speech.path == "/v1/text-to-speech/santa-voice/with-timestamps"
        assert speech.query == {"output_format": "mp3_44100_128"}
        assert speech.headers["xi-api-key"] == voice.api_key
        assert speech.headers["user-agent"].startswith("elevenlabs/")
        body = speech.json()
        assert body["model_id"] == "eleven_multilingual_v2"
        assert set(body["voice_settings"]) >= {"stability", "similarity_boost", "style", "use_speaker_boost", "speed"}
        assert "language_code" not in body, "multilingual_v2 refuses language_code"
        (dictionary_id,) = voice.dictionaries
        assert body["pronunciation_dictionary_locators"] == [
            {"pronunciation_dictionary_id": dictionary_id, "version_id": voice.dictionaries[dictionary_id]["version_id"]}]
    plan = json.loads(world.media_file(order_id, "plan.json").read_text(encoding="utf-8"))["sentences"]
    own = [index for index, sentence in enumerate(plan) if not sentence["shared"]]
    (personal,) = [r.json() for r in voice.requests("tts") if "Emma" in r.json()["text"]]
    assert personal["text"] == " ".join(dict.fromkeys(plan[i]["text"] for i in own)), "each said once, paid once"
    # The text around the order's sentences goes along, so the voice keeps its tone at the seams.
    assert personal.get("previous_text") == (plan[own[0] - 1]["text"] if own[0] > 0 else None)
    assert personal.get("next_text") == (plan[own[-1] + 1]["text"] if own[-1] + 1 < len(plan) else None)
    shared = [r.json() for r in voice.requests("tts") if "Emma" not in r.json()["text"]]
    assert {b["text"] for b in shared} == {s["text"] for s in plan if s["shared"]}
    assert not any("previous_text" in b or "next_text" in b for b in shared), "a shared sentence is said alone"

    generations = generations_needed(world, order_id)
    uploads = clips.requests("upload_url")
    assert [u.json()["content_type"] for u in uploads] == ["image/jpeg"] + ["audio/wav"] * generations
    stored = clips.cdn.requests("upload")
    assert all("authorization" not in u.headers for u in stored), "credentials never go to the storage host"
    assert stored[1].body[:4] == b"RIFF" and stored[1].headers["x-amz-tagging"] == "retention=temporary"
    submits = clips.requests("submit")
    assert len(submits) == generations
    for submit in submits:
        assert submit.path == "/higgsfield-ai/speak" and submit.headers["authorization"] == f"Key {clips.api_key}"
        assert re.fullmatch(rf"({order_id}/)?[0-9a-f]{{64}}", submit.headers["idempotency-key"]), "the segment's key"
        assert {"image_url", "audio_url", "prompt"} <= set(submit.json()) and submit.json()["duration"] in (5, 10, 15)
        assert submit.json()["audio_url"].startswith(clips.cdn.url)
    assert all("authorization" not in r.headers for r in clips.cdn.requests("video"))


def test_captions_and_words_follow_the_providers_character_timings(world, fakes):
    order_id = world.add_order()
    assert world.run(order_id).success
    timing = json.loads(world.media_file(order_id, "cues.json").read_text(encoding="utf-8"))
    words, cues = timing["words"], timing["cues"]
    script = json.loads(world.media_file(order_id, "script.json").read_text(encoding="utf-8"))
    greeting = script[0]["caption"].split()  # Santa's greeting, as this order id phrases it, names Emma
    assert "Emma" in script[0]["caption"] and len(" ".join(greeting)) <= 42
    assert words[0]["text"] == greeting[0] and 0.5 <= words[0]["start"] <= 0.7, "after the lead-in's silence"
    assert all(a["end"] <= b["start"] for a, b in zip(words, words[1:]))
    assert cues[0]["text"] == " ".join(greeting) and cues[0]["end"] == words[len(greeting) - 1]["end"]
    assert cues[1]["start"] == words[len(greeting)]["start"], "the second caption starts with the second line's first word"
    assert len(cues) > len(script), "long lines are cut into phrases, each shown while its words are spoken"
    assert all(len(cue["text"]) <= 42 for cue in cues)
    assert " ".join(cue["text"] for cue in cues) == " ".join(line["caption"] for line in script)
    for cue in cues:
        spoken = [w for w in words if cue["start"] <= w["start"] and w["end"] <= cue["end"]]
        assert " ".join(w["text"] for w in spoken) == cue["text"]
    seconds = wav_seconds(world.media_file(order_id, "audio.wav"))
    assert abs(seconds - timing["duration"]) < 0.05 and timing["duration"] >= cues[-1]["end"]
    probed = ffprobe(world.media_file(order_id, "audio.wav"))
    assert (probed["streams"][0]["sample_rate"], probed["streams"][0]["channels"]) == ("48000", 1)
