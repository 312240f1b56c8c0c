"""A bad order gets every problem named in plain words and is never queued; good orders keep their text exactly."""

import csv
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from santa_videos.cli import main
from santa_videos.orders import OrderInvalid, parse_order
from santa_videos.orders.ids import is_order_id
from santa_videos_tests.conftest import AWKWARD_MENTION, AWKWARD_NAME

pytestmark = pytest.mark.unit

GOOD = {"child_name": "Emma", "age": 6, "language": "en"}

BAD_ORDERS = [
    ({"age": 6, "language": "en"}, "child_name: is required"),
    ({**GOOD, "child_name": ""}, "child_name: must not be empty"),
    ({**GOOD, "child_name": "   "}, "child_name: must not be empty"),
    ({**GOOD, "child_name": "R2D2"}, "child_name: may only contain letters, spaces, apostrophes, hyphens and dots (found '2')"),
    ({**GOOD, "child_name": "Emma <script>"}, "child_name: may only contain letters, spaces, apostrophes, hyphens and dots (found '<' '>')"),
    ({**GOOD, "child_name": "Emma\u202eamme"}, "child_name: contains a control or invisible character (U+202E), which is not allowed"),
    ({**GOOD, "child_name": "Em\u200bma"}, "child_name: contains a control or invisible character (U+200B), which is not allowed"),
    ({**GOOD, "child_name": "Emma\nJones"}, "child_name: contains a control or invisible character (U+000A), which is not allowed"),
    ({**GOOD, "child_name": "A" * 41}, "child_name: must be at most 40 characters (got 41)"),
    ({**GOOD, "child_name": "--"}, "child_name: must contain at least one letter"),
    ({**GOOD, "age": "seven"}, "age: must be a whole number"),
    ({**GOOD, "age": 6.5}, "age: must be a whole number"),
    ({**GOOD, "age": 18}, "age: must be between 0 and 17 (got 18)"),
    ({**GOOD, "age": -1}, "age: must be between 0 and 17 (got -1)"),
    ({**GOOD, "language": "fr"}, "language: must be one of en, es (got 'fr')"),
    ({**GOOD, "mentions": "just one string"}, "mentions: must be a list of short sentences"),
    ({**GOOD, "mentions": ["a"] * 6}, "mentions: may hold at most 5 mentions (got 6)"),
    ({**GOOD, "mentions": ["ok", "x" * 151]}, "mentions: mention 2 must be at most 150 characters (got 151)"),
    ({**GOOD, "mentions": ["tab\there"]}, "mentions: mention 1 contains a control or invisible character (U+0009), which is not allowed"),
    ({**GOOD, "mentions": ["\u2066isolated\u2069"]}, "mentions: mention 1 contains a control or invisible character (U+2066), which is not allowed"),
    ({**GOOD, "strategy": "hologram"}, "strategy: must be one of lipsync, template, still (got 'hologram')"),
    ({**GOOD, "deadline": "2020-12-24"}, "deadline: is in the past"),
    ({**GOOD, "deadline": "next week"}, "deadline: must be a date like 2026-12-20 or a time like 2026-12-20T18:00:00Z (got 'next week')"),
    ({**GOOD, "order_id": "12345"}, "order_id: must look like ord_ followed by 26 letters and digits, or be left out"),
    ({**GOOD, "favourite_colour": "red"}, "favourite_colour: is not a field of an order"),
    ({**GOOD, "phonetic_name": "Em-ma 2"}, "phonetic_name: may only contain letters, spaces, apostrophes, hyphens and dots (found '2')"),
]


@pytest.mark.parametrize("fields, message", BAD_ORDERS, ids=[m for _, m in BAD_ORDERS])
def test_bad_order_names_the_problem(fields, message):
    with pytest.raises(OrderInvalid) as raised:
        parse_order(fields)
    assert message in raised.value.errors


def test_every_problem_is_reported_at_once():
    with pytest.raises(OrderInvalid) as raised:
        parse_order({"child_name": "X1", "age": 40, "language": "de"})
    fields = [error.split(":")[0] for error in raised.value.errors]
    assert fields == ["child_name", "age", "language"]


def test_names_in_any_script_and_awkward_text_are_kept_exactly():
    for name in (AWKWARD_NAME, "Søren Ødegård", "Иван", "陈伟", "محمد", "J. R. D'Souza"):
        assert parse_order({**GOOD, "child_name": name}).child_name == name
    order = parse_order({**GOOD, "mentions": [AWKWARD_MENTION]})
    assert order.mentions == [AWKWARD_MENTION]
    assert is_order_id(order.order_id)


def test_text_is_normalized_not_rewritten():
    decomposed = "Zoe\u0308"  # e + combining diaeresis
    order = parse_order({**GOOD, "child_name": f"  {decomposed}   Smith ", "language": " ES "})
    assert order.child_name == "Zoë Smith"
    assert order.language == "es"


def test_deadline_date_means_end_of_that_day_utc():
    day = (datetime.now(timezone.utc) + timedelta(days=10)).date()
    order = parse_order({**GOOD, "deadline": day.isoformat()})
    assert order.deadline == datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=timezone.utc)


def _count(table) -> int:
    import sqlalchemy as sa

    from santa_videos.orders.table import orders

    with table.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(orders)).scalar_one()


def test_cli_submit_queues_a_good_order_and_prints_its_id(table, capsys):
    code = main(["submit", "--name", AWKWARD_NAME, "--age", "7", "--language", "es", "--mention", AWKWARD_MENTION])
    order_id = capsys.readouterr().out.strip()
    assert code == 0 and is_order_id(order_id)
    record = table.get(order_id)
    assert (record.child_name, record.age, record.language, record.status) == (AWKWARD_NAME, 7, "es", "queued")
    assert record.mentions == [AWKWARD_MENTION]


def test_cli_submit_bad_order_prints_every_error_exits_2_and_queues_nothing(table, capsys):
    code = main(["submit", "--name", "R2D2", "--age", "99", "--language", "fr"])
    err = capsys.readouterr().err
    assert code == 2
    assert "child_name: may only contain letters" in err
    assert "age: must be between 0 and 17 (got 99)" in err
    assert "language: must be one of en, es (got 'fr')" in err
    assert _count(table) == 0


def test_cli_submit_without_required_flags_names_them(table, capsys):
    assert main(["submit"]) == 2
    err = capsys.readouterr().err
    for field in ("child_name", "age", "language"):
        assert f"{field}: is required" in err
    assert _count(table) == 0


def test_cli_submit_json_file(table, tmp_path, capsys):
    path = tmp_path / "order.json"
    path.write_text(json.dumps({"child_name": "Mateo", "age": 8, "language": "es", "mentions": ["ayudó en casa"]}))
    assert main(["submit", "--json", str(path)]) == 0
    assert table.get(capsys.readouterr().out.strip()).child_name == "Mateo"
    path.write_text("{not json")
    assert main(["submit", "--json", str(path)]) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    assert _count(table) == 1


def test_resubmitting_the_same_order_id_changes_nothing(table, capsys):
    args = ["submit", "--name", "Emma", "--age", "6", "--language", "en"]
    assert main(args) == 0
    order_id = capsys.readouterr().out.strip()
    assert main([*args, "--order-id", order_id]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == order_id and "already queued" in err
    assert _count(table) == 1


def test_csv_import_is_all_or_nothing(table, tmp_path, capsys):
    path = tmp_path / "orders.csv"
    rows = [
        ["child_name", "age", "language", "mentions"],
        ["Emma", "6", "en", "fed the birds|wants a sled"],
        [AWKWARD_NAME, "5", "es", AWKWARD_MENTION],
        ["Bad1", "30", "en", ""],
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "row 4: child_name: may only contain letters" in err
    assert "row 4: age: must be between 0 and 17 (got 30)" in err
    assert _count(table) == 0

    path.write_text(path.read_text(encoding="utf-8").replace("Bad1,30", "Ana,3"), encoding="utf-8")
    assert main(["import", str(path)]) == 0
    ids = capsys.readouterr().out.split()
    assert len(ids) == 3
    assert table.get(ids[0]).mentions == ["fed the birds", "wants a sled"]
    assert table.get(ids[1]).child_name == AWKWARD_NAME
    assert table.get(ids[1]).mentions == [AWKWARD_MENTION]


def test_the_order_commands_start_without_loading_dagster():
    """`submit`, `import` and `status` are what shops script in loops: they must not pay for importing Dagster."""
    probe = "import sys, santa_videos.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'dagster'))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
