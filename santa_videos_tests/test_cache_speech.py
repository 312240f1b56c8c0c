"""The audio cache in the `audio` asset: a repeated speech is served from the cache and the provider is not called."""

import itertools
import json

import pytest

from santa_videos.media.audio_cache import AudioCache
from santa_videos.script.lines import write_script
from santa_videos.settings import load_operations_settings
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def twin_order_id(record) -> str:
    """An order id whose script says the very words of `record`'s (Santa's phrasings are picked by order id)."""
    said = write_script(record.order_id, record.child_name, record.spoken_name, record.age, record.language,
                        record.mentions)
    for number in itertools.count():
        candidate = f"ord_01tw1n{number:020d}"
        if write_script(candidate, record.child_name, record.spoken_name, record.age, record.language,
                        record.mentions) == said:
            return candidate


def test_a_repeated_speech_never_calls_the_provider_again(world, fakes):
    voice, _clips = fakes
    first = world.add_order(child_name="Emma", phonetic_name="Emmah")
    result = world.run(first, upto="audio")
    assert result.success
    missed = world.metadata(result, "audio")
    assert (missed["provider"], missed["cache"], missed["characters_saved"]) == ("elevenlabs", "miss", 0)
    assert voice.count("tts") == 1

    # Another order with the same words (same name as written and spoken, age, language and mentions, and an
    # order id that picks the same phrasings).
    second = world.add_order(child_name="Emma", phonetic_name="Emmah", order_id=twin_order_id(world.table.get(first)))
    result = world.run(second, upto="audio")
    assert result.success
    hit = world.metadata(result, "audio")
    assert voice.count("tts") == 1, "a cache hit must not call ElevenLabs"
    assert (hit["provider"], hit["cache"], hit["characters_billed"]) == ("elevenlabs", "hit", 0)
    assert hit["characters_saved"] == hit["characters"] == missed["characters"]
    assert world.media_file(second, "audio.wav").read_bytes() == world.media_file(first, "audio.wav").read_bytes()

    timing = json.loads(world.media_file(second, "cues.json").read_text())
    assert timing == json.loads(world.media_file(first, "cues.json").read_text()), "the timings come with the audio"
    assert timing["words"] and timing["cues"]

    # The same speech under another spelling of the name gets captions of its own: a miss.
    respelled = world.add_order(child_name="Emmá", phonetic_name="Emmah")
    assert world.metadata(world.run(respelled, upto="audio"), "audio")["cache"] == "miss"
    assert voice.count("tts") == 2

    # A re-run of the first order is a hit too; a different speech is a miss and is paid for once.
    assert world.metadata(world.run(first, upto="audio"), "audio")["cache"] == "hit"
    other = world.add_order(mentions=["you tidied your room"])
    assert world.metadata(world.run(other, upto="audio"), "audio")["cache"] == "miss"
    assert voice.count("tts") == 3

    cache = AudioCache(load_operations_settings().audio_cache_dir, 10**9)
    assert len(cache.entries()) == 3
