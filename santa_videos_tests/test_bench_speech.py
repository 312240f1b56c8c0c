"""The arithmetic and the orders behind the bench's sentence and lip-sync rows: sums over orders (never a mean of
ratios), the sentence every racing order shares, the cut of one sentence out of a speech, and orders drawn the
same way on every run, with twins that say the very shared sentences of their order."""

import os
import random
import wave

import pytest

from bench.lipsync import billed_per_speech_second, lipsync_rows, mean_coverage
from bench.environment import environment
from bench.sentences import billed_per_script, cut_wav, most_shared, sentence_rows
from bench.speech_orders import PARENT_WORDS, draw_orders, script_of, twin
from santa_videos.script.catalog import CATALOG
from santa_videos.script.lines import speech_plan
from santa_videos.script.mentions import addresses_the_child
from santa_videos.script.sentences import PlannedSentence

pytestmark = pytest.mark.unit


def planned(*texts: str, personal: tuple[str, ...] = ()) -> list[PlannedSentence]:
    return [PlannedSentence(text, 0, text not in personal, f"key-{text}") for text in texts]


def test_billed_per_script_weighs_orders_by_their_scripts():
    orders = [{"characters_billed": 10, "script_characters": 100}, {"characters_billed": 90, "script_characters": 300}]
    # (10 + 90) / (100 + 300), not the mean of 0.1 and 0.3.
    assert billed_per_script(orders) == 0.25


def test_the_sentence_most_plans_share_counts_each_plan_once_and_skips_personal_ones():
    plans = [
        planned("Ho ho ho!", "Ho ho ho!", "Hello, Emma!", personal=("Hello, Emma!",)),
        planned("Hello, Emma!", "The elves are busy.", personal=("Hello, Emma!",)),
        planned("The elves are busy.", "Be good!"),
    ]
    assert most_shared(plans) == "The elves are busy."
    with pytest.raises(ValueError):
        most_shared([planned("Hi, Noah!", personal=("Hi, Noah!",))])


def test_a_cut_holds_exactly_the_frames_between_its_times(tmp_path):
    source, rate = tmp_path / "speech.wav", 1000
    with wave.open(str(source), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"".join(n.to_bytes(2, "little") for n in range(2000)))
    cut = cut_wav(source, 0.5, 1.25, tmp_path / "cut.wav")
    with wave.open(str(cut)) as wav:
        assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == (rate, 2, 1)
        frames = wav.readframes(wav.getnframes())
    assert [int.from_bytes(frames[i:i + 2], "little") for i in (0, len(frames) - 2)] == [500, 1249]
    with wave.open(str(cut_wav(source, 1.5, 9.0, tmp_path / "tail.wav"))) as wav:
        assert wav.getnframes() == 500


def test_drawn_orders_are_the_same_every_run_and_mix_languages_ages_names_and_mentions():
    orders = draw_orders(50, seed=7)
    assert [o.model_dump() for o in orders] == [o.model_dump() for o in draw_orders(50, seed=7)]
    assert {o.language for o in orders} == {"en", "es"}
    assert len({o.age for o in orders}) > 8 and all(0 <= o.age <= 17 for o in orders)
    assert any(not o.child_name.isascii() for o in orders) and len({o.order_id for o in orders}) == 50
    for order in orders:
        catalog, words = order.mentions
        assert catalog in CATALOG and words in PARENT_WORDS[order.language]
    to_the_child = [addresses_the_child(o.mentions[1], o.language) for o in orders]
    assert any(to_the_child) and not all(to_the_child)


def shared_texts(order) -> list[str]:
    return [s.text for s in speech_plan(script_of(order), order.language) if s.shared]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_twin_says_the_very_shared_sentences_of_its_order_as_another_child(seed):
    (order,) = draw_orders(1, seed)
    other = twin(order, random.Random(seed))
    assert shared_texts(other) == shared_texts(order)
    assert other.order_id != order.order_id and other.child_name != order.child_name
    assert other.mentions[0] == order.mentions[0] and other.mentions[1] != order.mentions[1]
    assert addresses_the_child(other.mentions[1], order.language) == addresses_the_child(order.mentions[1], order.language)


def test_the_environment_is_put_back_as_it_was(monkeypatch):
    monkeypatch.setenv("bench_test_kept", "before")
    monkeypatch.delenv("bench_test_new", raising=False)
    with environment({"bench_test_new": "during"}, removed=("bench_test_kept",)):
        assert os.environ["bench_test_new"] == "during" and "bench_test_kept" not in os.environ
    assert os.environ["bench_test_kept"] == "before" and "bench_test_new" not in os.environ


def lipsync_order(batch: str, seconds_billed: int, speech_seconds: float, coverage: float = 1.0,
                  follows: float = 0.95) -> dict:
    return {"batch": batch, "strategy": "lipsync" if coverage else "template", "coverage": coverage,
            "seconds_billed": seconds_billed, "speech_seconds": speech_seconds, "picture_follows_sound": follows}


def test_lipsync_rows_bill_the_warm_batch_and_show_the_least_following_video():
    orders = [lipsync_order("first", 60, 40.0), lipsync_order("first", 50, 35.0, coverage=0.0),
              lipsync_order("warm", 15, 40.0, follows=0.97), lipsync_order("warm", 10, 35.0, follows=0.91)]
    assert billed_per_speech_second(orders[2:]) == 25 / 75
    assert mean_coverage(orders) == 0.75
    rows = {row.figure: row for row in lipsync_rows({"orders": orders})}
    assert rows["lip-sync coverage of the speech"].value == "0.750"
    assert "3 served by lip-sync" in rows["lip-sync coverage of the speech"].goal
    assert rows["lip-sync picture follows the sound"].value == "0.910"
    billed = rows["lip-sync seconds billed per video / speech seconds"]
    assert billed.value == "0.333" and billed.goal.startswith("<= 0.4") and "first batch 1.467" in billed.goal


def test_sentence_rows_are_named_as_the_bench_prints_them():
    spoken = [{"characters_billed": 30, "script_characters": 400}, {"characters_billed": 50, "script_characters": 400}]
    figures = {
        "warm": spoken, "cold": [{**order, "characters_billed": 300} for order in spoken],
        "warm_up": [{"sentences_made": 245, "seconds": 70.0}, {"sentences_made": 244, "seconds": 71.0}],
        "race": {"processes": 8, "syntheses": 1, "sentence": "Ho ho ho!"},
        "loudness_spread_lu": 0.4, "loudness_sentences": 12,
    }
    rows = {row.figure: row for row in sentence_rows(figures)}
    warm = rows["characters billed per video / whole script"]
    assert warm.value == "0.100" and warm.goal.startswith("<= 0.3") and "489 sentences, 141 s" in warm.goal
    assert rows["characters billed per video / whole script, cold cache"].value == "0.750"
    assert rows["paid syntheses of one new shared sentence, 8 runs at once"].value == "1"
    assert rows["loudness spread between sentences (LU)"].value == "0.40"
