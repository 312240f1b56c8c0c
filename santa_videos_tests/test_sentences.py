"""The speech plan: which of Santa's sentences every child shares and which hold the order's own words."""

import pytest

from santa_videos.script.lines import script_from_json, script_to_json, speech_plan, write_script
from santa_videos.script.sentences import fill, sentence_spans, without_chars

pytestmark = pytest.mark.unit

NAMES = ("Zoë", "Zo-ay")


def plan_for(mentions, language="en", age=7, order_id="ord_01plan0000000000000000000"):
    return speech_plan(write_script(order_id, NAMES[0], NAMES[1], age, language, mentions), language)


def test_sentences_end_at_their_stops_and_keep_their_quotes_and_inverted_marks():
    text = "¡Jo, jo, jo! ¡Hola, Ana! Me escribió: «Ayudó.» Lo apunté… Fin"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "¡Jo, jo, jo!", "¡Hola, Ana!", "Me escribió: «Ayudó.»", "Lo apunté…", "Fin"]


def test_fill_marks_the_name_and_the_parents_words_never_the_age():
    text, spans = fill("You are {age} now, {name}!", age=7, name="Zo-ay")
    assert text == "You are 7 now, Zo-ay!" and [text[a:b] for a, b in spans] == ["Zo-ay"]
    text, spans = without_chars("He said: “{x}” ok", [(10, 13)], "“”")
    assert text == "He said: {x} ok" and [text[a:b] for a, b in spans] == ["{x}"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_sentence_with_the_name_or_the_parents_words_is_shared(language):
    mentions = ["Loves dinosaurs. Really loves them!", "you helped grandma", "wish_bike", "🎄"]
    for number in range(40):
        plan = plan_for(mentions, language, order_id=f"ord_01plan{number:020d}")
        for sentence in plan:
            own = any(part in sentence.text for part in ("Zo-ay", "dinosaurs", "loves them", "grandma"))
            assert sentence.shared is not own, sentence.text
        assert any(s.shared for s in plan) and any(not s.shared for s in plan)


def test_the_same_shared_sentence_has_the_same_key_in_every_order_and_not_across_languages():
    first, second = plan_for(["wish_bike"], age=7), plan_for(["wish_bike"], age=7, order_id="ord_01plan9999999999999999999")
    shared = {s.text: s.key for s in first if s.shared}
    assert all(shared[s.text] == s.key for s in second if s.text in shared)
    spanish = plan_for(["wish_bike"], language="es")
    assert not {s.key for s in spanish} & {s.key for s in first}


def test_captions_stay_one_per_line_and_the_plan_survives_a_round_trip():
    lines = write_script("ord_01plan0000000000000000000", *NAMES, 7, "en", ["Loves dinosaurs. A lot."])
    assert script_from_json(script_to_json(lines)) == lines
    plan = speech_plan(lines, "en")
    assert {s.line for s in plan} == set(range(len(lines)))
    for number, line in enumerate(lines):
        assert " ".join(s.text for s in plan if s.line == number) == line.spoken


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_warm_up_list_holds_every_shared_sentence_an_order_can_have(language):
    import random

    from santa_videos.script.catalog import CATALOG
    from santa_videos.script.shared_catalog import shared_sentences

    known = set(shared_sentences(language))
    rng = random.Random(7)
    for number in range(300):
        mentions = [rng.choice(list(CATALOG)), rng.choice(["Learned to ride a bike.", "you were brave at the dentist"])]
        plan = plan_for(mentions, language, age=rng.randint(0, 17), order_id=f"ord_01warm{number:020d}")
        missing = [s.text for s in plan if s.shared and s.text not in known]
        assert not missing
