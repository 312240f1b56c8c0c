"""Santa's script: full sentences in the order's language, the parent's words framed so they read right whatever
person they were written in, catalog entries said for the child's age, and phrasings the order id picks, so
siblings' videos differ while a re-render says the same."""

import re

import pytest

from santa_videos.demo import SAMPLE_ORDERS
from santa_videos.orders.model import OrderInvalid, parse_order
from santa_videos.script.catalog import BY_LANGUAGE, CATALOG, YOUNG_UP_TO_AGE, looks_like_key
from santa_videos.script.lines import write_script
from santa_videos_tests.conftest import AWKWARD_MENTION, PROJECT_ROOT

pytestmark = pytest.mark.unit


def script(mentions, language="en", age=6, order_id="ord_01m8n23dd51xrps91snma200cb", name="Emma", spoken=None):
    return write_script(order_id, name, spoken or name, age, language, mentions)


def captions(lines) -> list[str]:
    return [line.caption for line in lines]


def test_every_line_is_a_full_sentence_and_names_the_child_as_spelled_and_as_said():
    lines = script(["you shared your toys", "helped_at_home"], name="Zoë", spoken="Zoey")
    assert all(re.search(r"[.!?]$", line.caption) for line in lines)
    assert "Zoë" in lines[0].caption and "Zoey" in lines[0].spoken and "Zoë" not in lines[0].spoken
    assert "Zoë" in lines[-1].caption


@pytest.mark.parametrize("mention", ["helped her brother", "Emma helped her brother", "a red sled", "I am proud of him"])
def test_words_about_the_child_are_quoted_as_a_note_never_pasted_after_a_colon(mention):
    (line,) = [line for line in script([mention]) if mention in line.caption]
    assert f"“{mention}.”" in line.caption
    assert "that " + mention not in line.caption
    assert "“" not in line.spoken and mention in line.spoken


@pytest.mark.parametrize("mention, expected", [
    ("you shared your toys", "that you shared your toys."),
    ("You learned to swim!", "that you learned to swim!"),
    ("your drawing won a prize", "that your drawing won a prize."),
])
def test_words_to_the_child_read_on_from_santa(mention, expected):
    assert any(line.caption.endswith(expected) for line in script([mention]))


@pytest.mark.parametrize("mention, told", [
    ("ayudaste a tu abuela en el jardín", True),
    ("quieres un telescopio", True),
    ("tu dibujo ganó un premio", True),
    ("ayudó a su hermano", False),
    ("Lucía aprendió a nadar", False),
    ("triste porque se fue el gato", False),
])
def test_spanish_mentions_are_framed_by_who_they_speak_to(mention, told):
    (line,) = [line for line in script([mention], language="es") if mention.lower()[:8] in line.caption.lower()]
    if told:
        assert re.search(r"que " + re.escape(mention) + r"\.$", line.caption), line.caption
    else:
        assert f"«{mention}»" in line.caption and "«" not in line.spoken


def test_user_text_stays_literal_and_symbols_are_shown_but_not_spoken():
    (awkward,) = [line for line in script([AWKWARD_MENTION]) if "localtime" in line.caption]
    assert AWKWARD_MENTION in awkward.caption and AWKWARD_MENTION in awkward.spoken
    (braces,) = [line for line in script(["{name} loves 🦄 unicorns"]) if "unicorns" in line.caption]
    assert "{name} loves 🦄 unicorns" in braces.caption
    assert "🦄" not in braces.spoken and "{name} loves unicorns" in braces.spoken
    (only_emoji,) = [line for line in script(["🦄🎄"]) if "🦄" in line.caption]
    assert only_emoji.spoken == "Someone who loves you sent me a little picture message."


def test_a_catalog_key_becomes_its_line_for_the_childs_age_and_language():
    young = script(["learned_to_swim"], age=YOUNG_UP_TO_AGE)
    older = script(["learned_to_swim"], age=YOUNG_UP_TO_AGE + 1)
    spanish = script(["learned_to_swim"], language="es", age=4)
    entry = CATALOG["learned_to_swim"]
    assert any(line.caption in [t.format(name="Emma") for t in entry.young["en"]] for line in young)
    assert any(line.caption in [t.format(name="Emma") for t in entry.older["en"]] for line in older)
    assert any(line.caption in [t.format(name="Emma") for t in entry.young["es"]] for line in spanish)
    assert not any("learned_to_swim" in line.caption for line in young + older + spanish)


def test_the_order_id_picks_the_phrasing_so_siblings_differ_and_a_rerender_does_not():
    ids = [f"ord_01sibling{n:017d}" for n in range(40)]
    scripts = [tuple(captions(script(["helped_at_home", "you fed the birds"], order_id=i))) for i in ids]
    assert scripts[0] == tuple(captions(script(["helped_at_home", "you fed the birds"], order_id=ids[0])))
    assert len(set(scripts)) >= 38, "nearly every pair of siblings should hear a different video"
    assert len({s[0] for s in scripts}) > 1 and len({s[-1] for s in scripts}) > 1


def test_two_mentions_of_one_kind_are_framed_differently():
    lines = script(["you fed the birds", "you shared your toys", "helped her brother", "a red sled"])
    frames = [line.caption.split("you")[0] for line in lines if "fed" in line.caption or "shared" in line.caption]
    notes = [line.caption.split("“")[0] for line in lines if "“" in line.caption]
    assert len(set(frames)) == 2 and len(set(notes)) == 2


def test_the_catalog_has_at_least_twenty_entries_in_each_language_with_lines_for_each_age():
    assert len(CATALOG) >= 20
    for language, entries in BY_LANGUAGE.items():
        assert set(entries) == set(CATALOG), language
        for key, (label, young, older) in entries.items():
            assert looks_like_key(key) and label
            assert len(young) >= 2 and len(older) >= 2 and set(young).isdisjoint(older), (language, key)
            assert all(re.search(r"[.!?]$", line) for line in young + older), (language, key)
            assert all(set(re.findall(r"{(\w*)}", line)) <= {"name"} for line in young + older), (language, key)
    assert {entry.kind for entry in CATALOG.values()} == {"achievement", "wish"}


def test_an_order_may_name_catalog_keys_and_a_mistyped_key_is_refused():
    order = parse_order({"child_name": "Emma", "age": 6, "language": "en",
                         "mentions": ["helped_at_home", "wish_bike", "you learned to swim"]})
    assert order.mentions == ["helped_at_home", "wish_bike", "you learned to swim"]
    with pytest.raises(OrderInvalid) as refused:
        parse_order({"child_name": "Emma", "age": 6, "language": "en", "mentions": ["helpd_at_home"]})
    assert refused.value.errors == [
        "mentions: mention 1 'helpd_at_home' is not a catalog key (the catalog: GET /catalog or `santa-videos catalog`)"
    ]


def test_what_no_font_can_draw_is_refused_at_submission_with_the_characters_named():
    with pytest.raises(OrderInvalid) as refused:
        parse_order({"child_name": "Ana \U0002A700", "age": 6, "language": "en", "mentions": ["x \U0001B000"]})
    assert refused.value.errors == [
        "child_name: has characters the video cannot draw: \U0002A700 (U+2A700); please write them another way",
        "mentions: mention 1 has characters the video cannot draw: \U0001B000 (U+1B000); please write them another way",
    ]
    accepted = parse_order({"child_name": "李小龙", "age": 6, "language": "en", "mentions": ["loves 🦄 and 🎄"]})
    assert accepted.child_name == "李小龙"


def test_the_docs_show_what_santa_says_for_the_demos_sample_orders():
    docs = (PROJECT_ROOT / "docs" / "how-a-video-is-made.md").read_text(encoding="utf-8")
    block = docs.split("The three sample orders of `make demo`")[1].split("```text\n")[1].split("```")[0]
    shown = [part.splitlines() for part in block.strip().split("\n\n")]
    assert len(shown) == len(SAMPLE_ORDERS)
    for sample, (heading, *spoken) in zip(SAMPLE_ORDERS, shown):
        order = parse_order({**sample, "order_id": heading.split()[0]})
        lines = write_script(order.order_id, order.child_name, order.spoken_name, order.age, order.language,
                             order.mentions)
        assert [line.strip() for line in spoken] == [line.spoken for line in lines]


def test_no_two_lines_running_start_alike():
    """"My elves told me..." twice running sounds read out: each line starts otherwise than the one before."""
    keys = list(CATALOG)
    for number in range(60):
        language = ("en", "es")[number % 2]
        mentions = [keys[(number * 7 + k) % len(keys)] for k in range(3)] + ["you fed the birds", "helped her brother"]
        lines = write_script(f"ord_01openings{number:016d}", "Ana", "Ana", 3 + number % 10, language, mentions)
        openings = [" ".join(line.caption.lower().lstrip("¡¿").split()[:2]) for line in lines]
        assert all(a != b for a, b in zip(openings, openings[1:])), [line.caption for line in lines]
