"""`santa-videos names list/add/remove/check` on real lexicon files."""

import json

import pytest

from santa_videos.cli import main
from santa_videos.names.lexicon import parse_lexicon
from santa_videos.names.location import LexiconLocation
from santa_videos_tests.lexicon_files import use_lexicon

pytestmark = pytest.mark.unit

LEXICON = "name,language,say_as,ipa\nNiamh,en,Neeve,niːv\nNiamh,es,Niv,\nAoife,en,Eefa,\n"


@pytest.fixture
def lexicon_file(tmp_path, monkeypatch):
    return use_lexicon(tmp_path, monkeypatch, LEXICON)


def run(capsys, *words) -> tuple[int, str, str]:
    code = main(["names", *words])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_entry_or_one_language(lexicon_file, capsys):
    code, out, err = run(capsys, "list")
    assert code == 0 and len(out.splitlines()) == 3 and "3 entries in " + str(lexicon_file) in err
    code, out, _ = run(capsys, "list", "--language", "es", "--json")
    assert json.loads(out) == [{"name": "Niamh", "language": "es", "say_as": "Niv", "ipa": "", "kirshenbaum": ""}]


def test_list_csv_is_a_lexicon_to_copy(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("SANTA_NAME_LEXICON", raising=False)
    code, out, _ = run(capsys, "list", "--csv")
    assert code == 0
    assert parse_lexicon(out).to_csv() == LexiconLocation().load().to_csv()


def test_add_writes_a_new_entry_and_replaces_an_old_one(lexicon_file, capsys):
    code, out, _ = run(capsys, "add", "Siobhán", "--language", "en", "--say-as", "Shivawn", "--ipa", "ʃɪˈvɔːn")
    assert code == 0 and out.startswith("added Siobhán (en)")
    code, out, _ = run(capsys, "add", "niamh", "--language", "en", "--say-as", "Neev")
    assert code == 0 and out.startswith("replaced niamh (en)")
    lexicon = LexiconLocation(str(lexicon_file)).load()
    assert len(lexicon) == 4
    assert lexicon.find("Siobhán", "en").ipa == "ʃɪˈvɔːn"
    assert (lexicon.find("Niamh", "en").say_as, lexicon.find("Niamh", "en").ipa) == ("Neev", "")


def test_a_bad_entry_is_refused_and_the_file_is_untouched(lexicon_file, capsys):
    code, _, err = run(capsys, "add", "Aoife", "--language", "es", "--say-as", "Ífa", "--ipa", "ˈiːfa")
    assert code == 2 and "ipa is for English entries only" in err
    assert lexicon_file.read_text(encoding="utf-8") == LEXICON


def test_the_starter_lexicon_is_never_written(monkeypatch, capsys):
    monkeypatch.delenv("SANTA_NAME_LEXICON", raising=False)
    before = LexiconLocation().read_text()
    code, _, err = run(capsys, "add", "Niamh", "--language", "en", "--say-as", "Nyeev")
    assert code == 2
    assert "set SANTA_NAME_LEXICON to the copy" in err and "names list --csv > names.csv" in err
    assert LexiconLocation().read_text() == before


def test_remove_takes_out_one_entry(lexicon_file, capsys):
    code, _, _ = run(capsys, "remove", "NIAMH", "--language", "es")
    assert code == 0
    lexicon = LexiconLocation(str(lexicon_file)).load()
    assert lexicon.find("Niamh", "es") is None and lexicon.find("Niamh", "en") is not None
    code, _, err = run(capsys, "remove", "Niamh", "--language", "es")
    assert code == 2 and "Niamh (es) is not in" in err


def test_check_says_what_santa_will_say_and_where_it_comes_from(lexicon_file, capsys):
    code, out, _ = run(capsys, "check", "Niamh", "--language", "en")
    assert code == 0
    assert out.splitlines()[0] == f"Santa says 'Neeve' for 'Niamh' in en, from the name lexicon ({lexicon_file})"
    assert "/niːv/" in out
    _, out, _ = run(capsys, "check", "Niamh", "--language", "en", "--phonetic-name", "Neev", "--json")
    assert json.loads(out) | {"lexicon": ""} == {"name": "Niamh", "language": "en", "spoken": "Neev",
                                                  "source": "order", "lexicon": "", "ipa": "", "kirshenbaum": ""}
    _, out, _ = run(capsys, "check", "Emma", "--language", "es")
    assert out == "Santa says 'Emma' for 'Emma' in es, from the spelling\n"


def test_a_broken_lexicon_file_is_named_with_its_line(lexicon_file, capsys):
    lexicon_file.write_text(LEXICON + "Tadhg,en,,\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "Tadhg", "--language", "en")
    assert code == 2 and "line 5: say_as is empty" in err


def test_the_operators_status_says_how_the_name_will_be_said_and_why(lexicon_file, tmp_path, monkeypatch, capsys):
    from santa_videos.orders import OrderTable
    from santa_videos.settings import load_settings
    from santa_videos_tests.conftest import make_order

    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    table = OrderTable(load_settings().orders_db_url)
    by_lexicon, respelled = make_order(child_name="Niamh"), make_order(child_name="Niamh", phonetic_name="Nee-av")
    table.add([by_lexicon, respelled])
    table.dispose()
    assert main(["status", by_lexicon.order_id, respelled.order_id, "--json"]) == 0
    said = [item["name_as_spoken"] for item in json.loads(capsys.readouterr().out)]
    assert said == [{"spoken": "Neeve", "source": "lexicon"}, {"spoken": "Nee-av", "source": "order"}]
    assert main(["status", by_lexicon.order_id, "--names"]) == 0
    assert "name said as 'Neeve' (from lexicon)" in capsys.readouterr().out
