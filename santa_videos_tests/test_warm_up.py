"""The season's warm-up: the `shared_sentences` asset speaks and lip-syncs every shared sentence once, so an order
then pays only for its own sentences, and a second warm-up pays for nothing."""

import json

import dagster as dg
import pytest

from santa_videos.assets import warm_up
from santa_videos.assets.warm_up import shared_sentences
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def warm(world, language: str) -> dict:
    result = dg.materialize([shared_sentences], partition_key=language, instance=world.instance,
                            resources=world.definitions().resources)
    (event,) = result.get_asset_materialization_events()
    return {key: value.value for key, value in event.materialization.metadata.items()}


def test_after_the_warm_up_an_order_pays_only_for_its_own_sentences(world, fakes, monkeypatch):
    voice, clips = fakes
    order_id = world.add_order(strategy="lipsync")
    assert world.run(order_id, upto="script").success
    plan = json.loads(world.media_file(order_id, "plan.json").read_text())["sentences"]
    shared = list(dict.fromkeys(s["text"] for s in plan if s["shared"]))
    # The catalog's 245 English sentences would take minutes on the fakes: this order's shared ones stand in.
    monkeypatch.setattr(warm_up, "catalog_sentences", lambda language: shared)

    first = warm(world, "en")
    assert (first["made"], first["already_cached"], first["sentences"]) == (len(shared), 0, len(shared))
    assert first["characters_billed"] == sum(len(text) for text in shared)
    assert first["lipsync_generations"] == clips.count("submit") == len(shared)
    assert first["lipsync_seconds_billed"] == clips.billed_seconds()
    spoken, submitted = voice.count("tts"), clips.count("submit")

    result = world.run(order_id, upto="clip")
    assert result.success
    audio, clip = world.metadata(result, "audio"), world.metadata(result, "clip")
    own = list(dict.fromkeys(s["text"] for s in plan if not s["shared"]))  # said twice, paid once
    assert voice.count("tts") == spoken + 1 and audio["characters_billed"] == len(" ".join(own))
    assert clip["strategy"] == "lipsync" and clip["lipsync_coverage"] == 1.0
    assert clip["lipsync_segments_reused"] == sum(1 for s in plan if s["shared"]), "every shared piece was made"
    assert clip["lipsync_generations"] == clips.count("submit") - submitted >= 1
    bill = world.table.get(order_id)
    assert (bill.characters_billed, bill.lipsync_generations) == (audio["characters_billed"], clip["lipsync_generations"])

    again = warm(world, "en")
    assert (again["made"], again["characters_billed"], again["lipsync_generations"]) == (0, 0, 0)
    assert again["already_cached"] == again["lipsync_already_made"] == len(shared)
