"""POST /name-preview and `santa-videos say-name`: the parent hears Santa greet the child by name, in the voice the
video will use, paid for once however often it is heard and whether or not the order follows; within a per-client
rate and a daily budget; erased with the children's data."""

import dataclasses
import io
import json
import wave
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest
from starlette.testclient import TestClient

from santa_videos.cli import main
from santa_videos.cli.say_name import play
from santa_videos.definitions import build_definitions
from santa_videos.intake_http import create_app
from santa_videos.media.audio_cache import ORDERS_DIR, AudioCache
from santa_videos.orders import OrderTable
from santa_videos.previews.ledger import PreviewLedger, preview_owner
from santa_videos.previews.request import parse_preview
from santa_videos.previews.service import NamePreviews
from santa_videos.settings import load_operations_settings, load_settings
from santa_videos_tests.fakes.pipeline import PaidWorld, fakes, provider_env  # noqa: F401 (fixture)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ORDER_ID = "ord_01m8e5j7khr5pnpzqn5jxgzgfy"
SIOBHAN = {"child_name": "Siobhán", "language": "en", "order_id": ORDER_ID}


def client_for(settings, address="203.0.113.7") -> TestClient:
    return TestClient(create_app(settings), client=(address, 40000))


def tts_texts(voice) -> list[str]:
    return [request.json()["text"] for request in voice.requests("tts")]


def cache_entries_used_by(owner: str) -> set[str]:
    cache = AudioCache(load_operations_settings().audio_cache_dir, max_bytes=1 << 30)
    return {entry.key for entry in cache.entries() if (entry.path / ORDERS_DIR / owner).exists()}


def today_owner() -> str:
    return preview_owner(datetime.now(timezone.utc).date())


@pytest.fixture
def paid_voice(settings, fakes, monkeypatch):
    """ElevenLabs (the fake) in front of espeak-ng, as SANTA_PROVIDERS=real runs have it."""
    for name, value in provider_env(*fakes).items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def paid(paid_voice, instance, tmp_path):
    table = OrderTable(load_settings().orders_db_url)
    yield PaidWorld(tmp_path, instance, table)
    table.dispose()


@pytest.mark.unit
@pytest.mark.parametrize("body, error", [
    ({"child_name": "Sh1thead", "language": "en"}, "child_name: may only contain letters"),
    ({"child_name": "Emma", "phonetic_name": "fuck face", "language": "en"},
     "phonetic_name: contains a swear word, which Santa will not say"),
    ({"child_name": "Emma", "language": "fr"}, "language: must be one of en, es (got 'fr')"),
    ({"child_name": "Emma", "language": "en", "order_id": "42"}, "order_id: must look like ord_"),
    ({"child_name": "Emma", "language": "en", "age": 6}, "age: is not a field of a name preview"),
])
def test_a_refused_preview_gets_the_orders_words_and_calls_no_provider(paid_voice, fakes, body, error):
    voice, _clips = fakes
    answer = client_for(load_settings()).post("/name-preview", json=body)
    assert answer.status_code == 422
    assert any(message.startswith(error) for message in answer.json()["errors"]), answer.json()
    assert "fuck" not in answer.text, "a refusal never quotes the word"
    assert voice.count() == 0


@pytest.mark.integration
def test_twenty_previews_from_one_client_in_a_minute_end_in_429s(paid, fakes):
    voice, _clips = fakes
    client = client_for(load_settings())
    answers = [client.post("/name-preview", json=SIOBHAN) for _ in range(20)]
    assert [answer.status_code for answer in answers] == [200] * 10 + [429] * 10, "SANTA_PREVIEW_PER_MINUTE is 10"
    refused = answers[-1]
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["errors"][0].startswith("too many name previews from this address")
    assert client_for(load_settings(), address="198.51.100.9").post("/name-preview", json=SIOBHAN).status_code == 200


@pytest.mark.integration
def test_hearing_a_name_twice_then_ordering_it_bills_its_greeting_once(paid, fakes):
    voice, _clips = fakes
    client = client_for(load_settings())
    first = client.post("/name-preview", json=SIOBHAN)
    assert first.status_code == 200 and first.headers["content-type"] == "audio/wav"
    assert first.headers["santa-order-id"] == ORDER_ID and first.headers["santa-name-source"] == "lexicon"
    with wave.open(io.BytesIO(first.content)) as audio:
        assert (audio.getframerate(), audio.getnchannels()) == (48000, 1) and audio.getnframes() > 48000
    billed_by_preview = voice.characters_used
    assert billed_by_preview > 0

    again = client.post("/name-preview", json=SIOBHAN)
    assert again.content == first.content and voice.characters_used == billed_by_preview

    paid.add_order(child_name="Siobhán", order_id=ORDER_ID)
    result = paid.run(ORDER_ID, upto="audio")
    assert result.success
    plan = json.loads(paid.media_file(ORDER_ID, "plan.json").read_text())
    (greeting,) = [sentence for sentence in plan["sentences"] if sentence["line"] == 0 and not sentence["shared"]]
    assert "Shivawn" in greeting["text"], "the lexicon's respelling, as the preview said it"
    assert sum(text.count(greeting["text"]) for text in tts_texts(voice)) == 1, "made once, for the preview"
    timings = json.loads(paid.media_file(ORDER_ID, "cues.json").read_text())
    (used,) = [sentence for sentence in timings["sentences"] if sentence["line"] == 0 and not sentence["shared"]]
    assert used["cached"] is True
    assert used["key"] in cache_entries_used_by(today_owner()), "the video says the sentence the parent heard"
    assert used["key"] in cache_entries_used_by(ORDER_ID)
    logged = json.dumps([str(event) for event in paid.instance.all_logs(result.run_id)])
    assert "Siobh" not in logged and "Shivawn" not in logged


@pytest.mark.integration
def test_past_the_daily_budget_new_previews_wait_for_tomorrow_and_heard_ones_still_play(paid, fakes):
    voice, _clips = fakes
    heard = client_for(load_settings()).post("/name-preview", json=SIOBHAN)
    assert heard.status_code == 200
    today = datetime.now(timezone.utc).date()
    billed = PreviewLedger(paid.table.engine).billed(today)
    assert billed == voice.characters_used > 0

    # Another intake process, sharing the orders database, with a budget the first preview nearly spent.
    capped = dataclasses.replace(load_settings(), preview_max_characters_per_day=billed + 5)
    client = client_for(capped, address="198.51.100.2")
    refused = client.post("/name-preview", json={"child_name": "Bartholomew", "language": "en"})
    assert refused.status_code == 429
    assert "today's name previews have used their" in refused.json()["errors"][0]
    midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc)
    until_midnight = (midnight - datetime.now(timezone.utc)).total_seconds()
    assert abs(int(refused.headers["retry-after"]) - until_midnight) <= 5
    assert voice.characters_used == billed, "refused before anything was spoken"

    replayed = client.post("/name-preview", json=SIOBHAN)
    assert replayed.status_code == 200 and replayed.content == heard.content
    assert PreviewLedger(paid.table.engine).billed(today) == billed == voice.characters_used


@pytest.mark.integration
def test_retention_erases_previews_older_than_personal_data_max_age(settings, instance):
    previews = NamePreviews(settings)
    old = datetime.now(timezone.utc) - timedelta(days=31)
    previews.speak(parse_preview(SIOBHAN), now=old)
    previews.speak(parse_preview({"child_name": "Bartholomew", "language": "en"}))
    old_entries = cache_entries_used_by(preview_owner(old.date()))
    recent_entries = cache_entries_used_by(today_owner())
    assert old_entries and recent_entries and not old_entries & recent_entries

    cleanup = build_definitions(settings).resolve_job_def("cleanup_job")
    assert cleanup.execute_in_process(instance=instance).success
    assert cache_entries_used_by(preview_owner(old.date())) == set()
    cache = AudioCache(load_operations_settings().audio_cache_dir, max_bytes=1 << 30)
    assert all(cache.contains(key) for key in recent_entries), "today's previews are kept"
    assert not any(cache.contains(key) for key in old_entries)
    event = instance.get_latest_materialization_event(dg.AssetKey("retention_cleanup"))
    counted = {key: value.value for key, value in event.asset_materialization.metadata.items()}
    assert (counted["preview_days_erased"], counted["preview_cache_entries"]) == (1, len(old_entries))

    assert cleanup.execute_in_process(instance=instance).success
    again = instance.get_latest_materialization_event(dg.AssetKey("retention_cleanup"))
    assert again.asset_materialization.metadata["preview_days_erased"].value == 0


@pytest.mark.integration
def test_say_name_writes_the_preview_the_intake_then_plays_from_the_cache(paid, fakes, tmp_path, capsys):
    voice, _clips = fakes
    out = tmp_path / "siobhan.wav"
    assert main(["say-name", "Siobhán", "--language", "en", "--order-id", ORDER_ID, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "the name as spoken comes from the name lexicon" in printed and str(out) in printed
    billed = voice.characters_used
    assert billed > 0 and f"{billed} characters billed" in printed

    served = client_for(load_settings()).post("/name-preview", json=SIOBHAN)
    assert served.content == out.read_bytes() and voice.characters_used == billed

    assert main(["say-name", "Siobhán", "--language", "en", "--say-as", "Shi-vawn", "--out", str(out)]) == 0
    assert "from the respelling given (--say-as)" in capsys.readouterr().out


@pytest.mark.unit
def test_say_name_refuses_what_an_order_refuses(settings, capsys):
    assert main(["say-name", "Emma", "--language", "en", "--order-id", "ord_nope"]) == 2
    assert "order_id: must look like ord_" in capsys.readouterr().err


@pytest.mark.unit
def test_play_says_when_no_player_is_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert play(tmp_path / "x.wav") == "cannot play it: neither aplay nor ffplay is installed"


@pytest.mark.unit
def test_the_daily_budget_counts_reservations_and_settles_what_was_billed(table):
    ledger, day = PreviewLedger(table.engine), datetime(2026, 12, 7, tzinfo=timezone.utc).date()
    assert ledger.reserve(day, 60, cap=100) and not ledger.reserve(day, 50, cap=100)
    ledger.settle(day, reserved=60, billed=30)
    assert ledger.billed(day) == 30 and ledger.reserve(day, 50, cap=100)
    ledger.settle(day, reserved=50, billed=80)
    assert ledger.billed(day) == 110 and not ledger.reserve(day, 1, cap=100)
    assert ledger.reserve(day, 0, cap=100), "a preview from the cache bills nothing and always plays"
    assert ledger.days_to_erase(day) == [] and ledger.days_to_erase(day + timedelta(days=1)) == [day]


@pytest.mark.unit
def test_with_a_shared_secret_only_the_shop_server_may_ask_for_previews(paid_voice, fakes):
    voice, _clips = fakes
    client = TestClient(create_app(load_settings(), shared_secret="s3cret"), client=("203.0.113.7", 1))
    refused = client.post("/name-preview", json={"child_name": "Sh1t", "language": "en"})
    assert refused.status_code == 401 and "X-Santa-Intake-Secret" in refused.json()["errors"][0]
    shop = client.post("/name-preview", json={"child_name": "Sh1t", "language": "en"},
                       headers={"X-Santa-Intake-Secret": "s3cret"})
    assert shop.status_code == 422 and voice.count() == 0
