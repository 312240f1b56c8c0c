"""What the voices are given so they say the lexicon's names right, and what that does to the sentence cache: a
lexicon change reaches exactly the sentences that hold the name it changes."""

import subprocess

import pytest

from santa_videos.names.lexicon import parse_lexicon
from santa_videos.names.location import LexiconLocation
from santa_videos.names.speech_rules import dictionary_rules, espeak_text, reads_phonemes, rules_applying
from santa_videos.providers.settings import load_provider_settings
from santa_videos.providers.wiring import build_voice
from santa_videos.resources.audio_cache import sentence_audio_key
from santa_videos.resources.media_store import media_store
from santa_videos.resources.names import NameLexicon
from santa_videos.script.lines import speech_plan, write_script
from santa_videos.script.shared_catalog import shared_sentences
from santa_videos.settings import load_settings

pytestmark = pytest.mark.unit

ORDER_ID = "ord_01names000000000000000000"
MENTIONS = ["you helped Siobhán with her homework", "wish_bike"]
LEXICON = (
    "name,language,say_as,ipa,kirshenbaum\n"
    "Niamh,en,Neeve,niːv,n'i:v\n"
    "Siobhán,en,Shivawn,ʃɪˈvɔːn,\n"
    "Aoife,en,Eefa,ˈiːfə,\n"
)


def chain(tmp_path, text: str, model: str = "eleven_multilingual_v2"):
    path = tmp_path / f"lexicon-{len(list(tmp_path.glob('lexicon-*.csv')))}.csv"
    path.write_text(text, encoding="utf-8")
    voice = build_voice(load_settings(), load_provider_settings(), NameLexicon(location=str(path), media=media_store()))
    return voice.model_copy(update={"elevenlabs": voice.elevenlabs.model_copy(update={"model_id": model})})


def plan_with(voice):
    lexicon = voice.names.lexicon()
    said = lexicon.find("Niamh", "en").say_as
    return speech_plan(write_script(ORDER_ID, "Niamh", said, 7, "en", MENTIONS), "en")


def audio_keys(voice, provider: str) -> list[str]:
    return [sentence_audio_key(voice, provider, "en", sentence.text) for sentence in plan_with(voice)]


def changed(before: list[str], after: list[str]) -> list[int]:
    return [index for index, (one, other) in enumerate(zip(before, after, strict=True)) if one != other]


def test_a_new_respelling_changes_exactly_the_sentences_that_hold_the_name(settings, tmp_path):
    respelled = LEXICON.replace("n'i:v", "")
    old, new = chain(tmp_path, respelled), chain(tmp_path, respelled.replace("Niamh,en,Neeve", "Niamh,en,Neev"))
    plan = plan_with(old)
    with_name = [index for index, sentence in enumerate(plan) if "Neeve" in sentence.text]
    assert with_name and len(with_name) < len(plan)
    assert changed([s.key for s in plan], [s.key for s in plan_with(new)]) == with_name
    for provider in ("espeak", "elevenlabs"):
        assert changed(audio_keys(old, provider), audio_keys(new, provider)) == with_name, provider
    # espeak-ng speaks the phonemes where the lexicon gives them: those, not the respelling, are in its key.
    phonemes, other_respelling = chain(tmp_path, LEXICON), chain(tmp_path, LEXICON.replace("Niamh,en,Neeve", "Niamh,en,Neev"))
    assert changed(audio_keys(old, "espeak"), audio_keys(phonemes, "espeak")) == with_name
    assert changed(audio_keys(phonemes, "espeak"), audio_keys(other_respelling, "espeak")) == []
    new_phonemes = chain(tmp_path, LEXICON.replace("n'i:v", "n'i:f"))
    assert changed(audio_keys(phonemes, "espeak"), audio_keys(new_phonemes, "espeak")) == with_name


def test_a_rule_counts_in_the_key_of_the_sentences_it_applies_to_and_no_other(settings, tmp_path):
    base = chain(tmp_path, LEXICON)
    plan = plan_with(base)
    about_siobhan = [index for index, sentence in enumerate(plan) if "Siobhán" in sentence.text]
    assert len(about_siobhan) == 1, "the parent's words name a sibling the lexicon knows"
    other_name = chain(tmp_path, LEXICON.replace("Aoife,en,Eefa", "Aoife,en,Eefah"))
    assert changed(audio_keys(base, "elevenlabs"), audio_keys(other_name, "elevenlabs")) == []
    sibling = chain(tmp_path, LEXICON.replace("Siobhán,en,Shivawn", "Siobhán,en,Shuhvawn"))
    assert changed(audio_keys(base, "elevenlabs"), audio_keys(sibling, "elevenlabs")) == about_siobhan
    assert changed(audio_keys(base, "espeak"), audio_keys(sibling, "espeak")) == [], "espeak-ng reads no alias"
    # The phoneme model reads IPA: the name sentences now depend on Niamh's IPA, the sibling's on hers.
    phonemes = chain(tmp_path, LEXICON, "eleven_flash_v2")
    ipa_changed = chain(tmp_path, LEXICON.replace("niːv", "nʲiːv"), "eleven_flash_v2")
    with_name = [index for index, sentence in enumerate(plan) if "Neeve" in sentence.text]
    assert changed(audio_keys(phonemes, "elevenlabs"), audio_keys(ipa_changed, "elevenlabs")) == with_name
    assert changed(audio_keys(base, "espeak"), audio_keys(phonemes, "espeak")) == []


def test_the_dictionary_is_aliases_for_every_model_and_phonemes_only_where_they_are_read():
    lexicon = parse_lexicon(LEXICON + "Niamh,es,Niv,,\n")
    assert reads_phonemes("eleven_flash_v2", "en") and reads_phonemes("eleven_monolingual_v1", "en")
    assert not reads_phonemes("eleven_multilingual_v2", "en") and not reads_phonemes("eleven_flash_v2", "es")
    aliases = dictionary_rules(lexicon, "en", phonemes=False)
    assert [(r["type"], r["string_to_replace"], r["alias"]) for r in aliases] == [
        ("alias", "Aoife", "Eefa"), ("alias", "Niamh", "Neeve"), ("alias", "Siobhán", "Shivawn")]
    phonemes = dictionary_rules(lexicon, "en", phonemes=True)
    assert {(r["string_to_replace"], r["phoneme"], r["alphabet"]) for r in phonemes} >= {
        ("Niamh", "niːv", "ipa"), ("Neeve", "niːv", "ipa")}
    assert all(r["type"] == "phoneme" for r in phonemes)
    assert dictionary_rules(lexicon, "es", phonemes=False) == [
        {"string_to_replace": "Niamh", "type": "alias", "alias": "Niv", "case_sensitive": False, "word_boundaries": True}]
    assert rules_applying(aliases, "I know NIAMH well.") == [aliases[1]]
    assert rules_applying(aliases, "Niamhs and Aoifeann are not Aoife's names") == [aliases[0]]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_starter_rule_touches_a_shared_sentence(language):
    starter = LexiconLocation().load()
    rules = dictionary_rules(starter, language, phonemes=False) + dictionary_rules(starter, language, phonemes=True)
    touched = {text: rules_applying(rules, text) for text in shared_sentences(language)}
    assert not {text: hit for text, hit in touched.items() if hit}
    assert all(espeak_text(text, starter, language) == text for text in shared_sentences(language))


def _mnemonics(text: str) -> str:
    spoken = subprocess.run(["espeak-ng", "-v", "en-us", "-x", "-q", "--stdin"], input=text, text=True,
                            capture_output=True, check=True, timeout=30)
    return spoken.stdout


def test_espeak_ng_speaks_the_lexicon_s_phonemes_where_it_gives_them():
    lexicon = parse_lexicon("name,language,say_as,kirshenbaum\nOisín,en,Osheen,oUS'i:n\nCiara,en,Keera,\n")
    text = espeak_text("Merry Christmas, Osheen! Oisín and Keera.", lexicon, "en")
    assert text == "Merry Christmas, [[oUS'i:n]]! [[oUS'i:n]] and Keera."
    assert "oUS'i:n" in _mnemonics(text)
    assert "oUS'i:n" not in _mnemonics("Merry Christmas, Osheen!"), "the respelling alone puts the stress first"
