"""The sentence cache in the `audio` asset: a shared sentence is paid for once for everyone, an order pays only for
its own sentences, and a repeated speech calls no provider at all."""

import itertools
import json

import pytest

from santa_videos.media.audio_cache import AudioCache
from santa_videos.script.lines import write_script
from santa_videos.settings import load_operations_settings
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def twin_order_ids(record):
    """Order ids whose scripts pick the very phrasings of `record`'s (Santa's phrasings are picked by order id)."""
    fields = dict(child_name=record.child_name, spoken_name=record.spoken_name, age=record.age,
                  language=record.language, mentions=record.mentions)
    said = write_script(record.order_id, **fields)
    for number in itertools.count():
        candidate = f"ord_01tw1n{number:020d}"
        if write_script(candidate, **fields) == said:
            yield candidate


def tts_texts(voice) -> list[str]:
    return [request.json()["text"] for request in voice.requests("tts")]


def test_shared_sentences_are_paid_once_and_an_order_pays_for_its_own(world, fakes):
    voice, _clips = fakes
    first = world.add_order(child_name="Emma", phonetic_name="Emmah")
    result = world.run(first, upto="audio")
    assert result.success
    missed = world.metadata(result, "audio")
    plan = json.loads(world.media_file(first, "plan.json").read_text())["sentences"]
    shared = list(dict.fromkeys(s["text"] for s in plan if s["shared"]))  # "Ho ho ho!" may come twice
    personal = list(dict.fromkeys(s["text"] for s in plan if not s["shared"]))  # each paid once
    assert shared and personal
    # Each new shared sentence alone (its audio serves every order), the order's own in one request.
    assert sorted(tts_texts(voice)) == sorted([*shared, " ".join(personal)])
    repeats = len(plan) - len(shared) - len(personal)
    assert (missed["provider"], missed["cache"], missed["sentences_cached"]) == ("elevenlabs", "miss", repeats)
    assert missed["characters_billed"] == sum(len(text) for text in shared) + len(" ".join(personal))
    assert world.table.get(first).characters_billed == missed["characters_billed"]

    # The same words again (same name and phrasings): nothing is paid, the audio is the same.
    twins = twin_order_ids(world.table.get(first))
    twin = world.add_order(child_name="Emma", phonetic_name="Emmah", order_id=next(twins))
    hit = world.metadata(world.run(twin, upto="audio"), "audio")
    assert len(voice.requests("tts")) == len(shared) + 1, "a cache hit must not call ElevenLabs"
    assert (hit["cache"], hit["characters_billed"], hit["sentences_cached"]) == ("hit", 0, len(plan))
    assert hit["characters_saved"] == hit["characters"] == missed["characters"]
    assert world.media_file(twin, "audio.wav").read_bytes() == world.media_file(first, "audio.wav").read_bytes()
    timing, first_timing = (json.loads(world.media_file(o, "cues.json").read_text()) for o in (twin, first))
    assert [timing[k] for k in ("duration", "cues", "words")] == [first_timing[k] for k in ("duration", "cues", "words")]
    assert timing["words"] and timing["cues"] and len(timing["sentences"]) == len(plan)
    assert all(s["cached"] for s in timing["sentences"])
    assert sum(s["cached"] for s in first_timing["sentences"]) == repeats

    # Another child with the same phrasings: only the sentences that hold her name are paid for.
    other = world.add_order(child_name="Olivia", order_id=next(twins))
    result = world.metadata(world.run(other, upto="audio"), "audio")
    new_texts = tts_texts(voice)[len(shared) + 1:]
    assert len(new_texts) == 1 and "Olivia" in new_texts[0]
    assert result["characters_billed"] == len(new_texts[0]) < missed["characters_billed"] / 2
    with_name = {s["text"] for s in plan if "Emmah" in s["text"]}
    assert result["sentences_cached"] == len(plan) - len(with_name), "the parent's same words are in the cache too"

    # Erasing an order removes its own sentences, never the shared ones.
    cache = AudioCache(load_operations_settings().audio_cache_dir, 10**9)
    before = len(cache.entries())
    removed = cache.forget_order(other)
    assert removed.entries == len(personal) and len(cache.entries()) == before - len(personal)
