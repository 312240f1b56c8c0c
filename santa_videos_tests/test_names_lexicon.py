"""The shop's name lexicon: the CSV it is read from (every bad line named), how names match, and which way of
saying a name wins."""

import pytest

from santa_videos.names.lexicon import Lexicon, LexiconEntry, LexiconError, parse_lexicon, spoken_name
from santa_videos.names.location import LexiconLocation, LexiconUnwritable

pytestmark = pytest.mark.unit

SMALL = "name,language,say_as,ipa\nSiobhán,en,Shivawn,ʃɪˈvɔːn\nSiobhán,es,Shivón,\nNguyen,en,Win,\n"
IRISH = ("Siobhán", "Niamh", "Saoirse", "Caoimhe", "Aoife", "Oisín", "Tadhg", "Sadhbh", "Ciara", "Róisín")
OTHERS = ("Nguyen", "Thuy", "Phuong", "Quynh", "Xochitl", "Citlali", "Itzel", "Cuauhtémoc", "Khadija", "Dafydd",
          "Wojciech", "Kealoha", "Wiremu")


def test_a_lexicon_is_read_from_its_csv():
    lexicon = parse_lexicon(SMALL)
    assert len(lexicon) == 3
    assert lexicon.find("Siobhán", "en") == LexiconEntry("Siobhán", "en", "Shivawn", "ʃɪˈvɔːn")
    assert lexicon.find("Siobhán", "es").say_as == "Shivón"
    assert lexicon.find("Nguyen", "es") is None
    assert parse_lexicon(lexicon.to_csv()).to_csv() == lexicon.to_csv()


def test_names_match_in_nfc_ignoring_case():
    lexicon = parse_lexicon(SMALL)
    decomposed = "Siobha\u0301n"
    assert lexicon.find(decomposed, "en").say_as == "Shivawn"
    assert lexicon.find("SIOBHÁN", "en").say_as == "Shivawn"
    assert lexicon.find("  siobhán ", "en").say_as == "Shivawn"
    assert lexicon.find("Siobhan", "en") is None, "a missing accent is another spelling"


def test_every_bad_line_is_named_with_what_is_wrong():
    text = (
        "name,language,say_as,ipa\n"
        "Niamh,en,Neeve,\n"
        ",en,Nobody,\n"
        "Aoife,fr,Eefa,\n"
        "Aoife,es,Ífa,ˈiːfə\n"
        "niamh,en,Neev,\n"
        "Tadhg,en,Tige,,extra\n"
        "Sadhbh,en,[[saIv]],\n"
    )
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text, "names.csv")
    problems = caught.value.problems
    assert problems == [
        "line 3: name is empty",
        "line 4: language must be one of en, es (got 'fr')",
        "line 5: ipa is for English entries only (ElevenLabs reads phonemes in English only)",
        "line 6: niamh (en) is already on line 2",
        "line 7: 5 fields, the header has 4",
        "line 8: say_as must not hold [[ or ]]",
    ]
    assert str(caught.value).startswith("names.csv: line 3: name is empty; ")


@pytest.mark.parametrize("header", ["", "name,say_as\n", "name,language,say_as,accent\n", "name,name,language,say_as\n"])
def test_a_bad_header_is_refused(header):
    with pytest.raises(LexiconError, match="line 1: the header must be name,language,say_as"):
        parse_lexicon(header + "Niamh,en,Neeve\n")


def test_the_order_s_phonetic_name_wins_then_the_lexicon_then_the_spelling():
    lexicon = parse_lexicon(SMALL)
    assert spoken_name("Siobhán", "Shuh-vawn", "en", lexicon) == ("Shuh-vawn", "order")
    assert spoken_name("Siobhán", "  ", "en", lexicon) == ("Shivawn", "lexicon")
    assert spoken_name("Siobhán", None, "es", lexicon) == ("Shivón", "lexicon")
    assert spoken_name("Emma", None, "en", lexicon) == ("Emma", "spelling")
    assert spoken_name("Nguyen", None, "es", lexicon) == ("Nguyen", "spelling"), "English entries serve English only"


def test_each_part_of_a_full_name_is_looked_up():
    lexicon = parse_lexicon(SMALL)
    assert spoken_name("Siobhán Nguyen", None, "en", lexicon) == ("Shivawn Win", "lexicon")
    assert spoken_name("Mary-Siobhán", None, "en", lexicon) == ("Mary-Shivawn", "lexicon")
    assert spoken_name("Mary Jane", None, "en", lexicon) == ("Mary Jane", "spelling")
    whole = Lexicon([*parse_lexicon(SMALL), LexiconEntry("Siobhán Nguyen", "en", "Shivawn Nwin")])
    assert spoken_name("siobhán nguyen", None, "en", whole) == ("Shivawn Nwin", "lexicon")


def test_the_starter_lexicon_knows_the_names_voices_get_wrong_in_both_languages():
    starter = LexiconLocation().load()
    assert len(starter) >= 150
    for name in IRISH + OTHERS:
        english, spanish = starter.find(name, "en"), starter.find(name, "es")
        assert english is not None and spanish is not None, name
        assert english.say_as != spanish.say_as, f"{name}: each respelling is written for its own voice"
    assert all(not entry.ipa for entry in starter.for_language("es"))
    assert sum(1 for entry in starter.for_language("en") if entry.ipa) > 100


def test_the_starter_lexicon_is_never_written(tmp_path):
    with pytest.raises(LexiconUnwritable, match="names list --csv"):
        LexiconLocation().write(parse_lexicon(SMALL))


def test_a_lexicon_file_is_replaced_whole(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text(SMALL, encoding="utf-8")
    location = LexiconLocation(str(path))
    location.write(location.load().with_entry(LexiconEntry("Niamh", "en", "Neeve")))
    assert [entry.name for entry in location.load().for_language("en")] == ["Nguyen", "Niamh", "Siobhán"]
    assert [p.name for p in tmp_path.iterdir()] == ["names.csv"]


def test_a_missing_lexicon_file_says_which(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.csv, which does not exist"):
        LexiconLocation(str(tmp_path / "nowhere.csv")).load()


def test_a_lexicon_in_the_media_store_is_read_and_written_there(tmp_path):
    from santa_videos.resources.media_store import MediaStore

    store = MediaStore(url=str(tmp_path / "media"), work_dir=str(tmp_path / "work"))
    store.backend().put_bytes("shop/names.csv", SMALL.encode(), "text/csv")
    location = LexiconLocation("media:shop/names.csv")
    assert location.load(store.backend).find("Nguyen", "en").say_as == "Win"
    location.write(location.load(store.backend).without("Nguyen", "en"), store.backend)
    assert len(parse_lexicon(store.backend().get_bytes("shop/names.csv").decode())) == 2
    with pytest.raises(FileNotFoundError, match="holds no such object"):
        LexiconLocation("media:shop/other.csv").load(store.backend)
