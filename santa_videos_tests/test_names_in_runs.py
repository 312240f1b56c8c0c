"""Names said right in real runs: the script says the lexicon's respelling and keeps it with the order's media
(never in the event log), and every ElevenLabs request names one pronunciation dictionary, made once."""

import json

import pytest

from santa_videos.names.as_spoken import name_said_in_video
from santa_videos.names.dictionaries import DictionaryRecords
from santa_videos.orders import OrderTable
from santa_videos.resources.media_store import media_store
from santa_videos.settings import load_settings
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)
from santa_videos_tests.lexicon_files import use_lexicon

pytestmark = pytest.mark.integration

LEXICON = "name,language,say_as,ipa\nNiamh,en,Neeve,niːv\nSiobhán,en,Shivawn,ʃɪˈvɔːn\n"


@pytest.fixture
def lexicon_file(tmp_path, monkeypatch):
    return use_lexicon(tmp_path, monkeypatch, LEXICON)


def test_every_request_carries_the_dictionary_made_once_and_the_name_stays_out_of_the_event_log(world, fakes, lexicon_file):
    voice, _clips = fakes
    niamh = world.add_order(child_name="Niamh", mentions=["you read to Siobhán every night"])
    result = world.run(niamh, upto="audio")
    assert result.success
    script = world.metadata(result, "script")
    assert (script["spoken_name_source"], script["lexicon_entries"]) == ("lexicon", 2)
    plan = json.loads(world.media_file(niamh, "plan.json").read_text())
    assert plan["name"] == {"spoken": "Neeve", "source": "lexicon"}
    assert name_said_in_video(media_store(), niamh).spoken == "Neeve"
    assert any("Neeve" in sentence["text"] for sentence in plan["sentences"])
    assert not any("Niamh" in sentence["text"] for sentence in plan["sentences"])

    logged = json.dumps([str(event) for event in world.instance.all_logs(result.run_id)])
    assert "spoken_name_source" in logged, "the metadata is in what was searched"
    assert "Neeve" not in logged and "Niamh" not in logged

    ordered = world.add_order(child_name="Siobhán", phonetic_name="Shuhvawn")
    second = world.run(ordered, upto="audio")
    assert world.metadata(second, "script")["spoken_name_source"] == "order"

    (created,) = voice.requests("dictionary")
    rules = created.json()["rules"]
    assert {(rule["string_to_replace"], rule["type"], rule["alias"]) for rule in rules} == {
        ("Niamh", "alias", "Neeve"), ("Siobhán", "alias", "Shivawn")}
    (dictionary_id,) = voice.dictionaries
    locator = {"pronunciation_dictionary_id": dictionary_id, "version_id": voice.dictionaries[dictionary_id]["version_id"]}
    assert len(voice.tts_locators) == voice.count("tts") > 2
    assert all(locators == [locator] for locators in voice.tts_locators)
    table = OrderTable(load_settings().orders_db_url)
    try:
        assert DictionaryRecords(table.engine).count() == 1
    finally:
        table.dispose()


def test_a_lexicon_that_cannot_be_read_fails_the_script_step_with_the_line(world, lexicon_file):
    lexicon_file.write_text(LEXICON + "Aoife,fr,Eefa,\n", encoding="utf-8")
    order = world.add_order(child_name="Aoife")
    result = world.run(order, upto="script")
    assert not result.success
    assert "line 4: language must be one of en, es" in world.failure(result, "script")
