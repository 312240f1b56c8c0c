"""What each voice is given so it says the lexicon's names right.

The script already says a known child's name by its respelling. ElevenLabs also gets the lexicon as a
pronunciation dictionary: alias rules (the name as written -> its respelling) catch names in the parent's own
words; where a model reads phonemes (English on `eleven_flash_v2` or `eleven_monolingual_v1`) an entry with IPA
becomes phoneme rules for the name and for its respelling. espeak-ng gets the entry's phoneme mnemonics, `[[...]]`,
where the lexicon gives them.
"""

import re
import unicodedata

from santa_videos.names.lexicon import Lexicon, normalize_name

PHONEME_MODELS = ("eleven_flash_v2", "eleven_monolingual_v1")


def reads_phonemes(model_id: str, language: str) -> bool:
    return language == "en" and model_id in PHONEME_MODELS


def _rule(text: str, case_sensitive: bool, **fields) -> dict:
    return {"string_to_replace": text, **fields, "case_sensitive": case_sensitive, "word_boundaries": True}


def dictionary_rules(lexicon: Lexicon, language: str, phonemes: bool) -> list[dict]:
    """The lexicon's entries of `language` as ElevenLabs pronunciation rules, one per string (the first wins)."""
    rules, seen = [], set()
    for entry in lexicon.for_language(language):
        if phonemes and entry.ipa:
            # The respelling is matched by case: it is what the script wrote, and may be an everyday word too.
            candidates = [_rule(entry.name, False, type="phoneme", phoneme=entry.ipa, alphabet="ipa"),
                          _rule(entry.say_as, True, type="phoneme", phoneme=entry.ipa, alphabet="ipa")]
        elif normalize_name(entry.say_as) != normalize_name(entry.name):
            candidates = [_rule(entry.name, False, type="alias", alias=entry.say_as)]
        else:
            candidates = []
        for rule in candidates:
            if normalize_name(rule["string_to_replace"]) not in seen:
                seen.add(normalize_name(rule["string_to_replace"]))
                rules.append(rule)
    return rules


def _pattern(text: str, case_sensitive: bool) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(unicodedata.normalize('NFC', text))}(?!\w)", 0 if case_sensitive else re.I)


def rules_applying(rules: list[dict], text: str) -> list[dict]:
    """The rules that change how `text` is said: the only ones its cached audio depends on."""
    text = unicodedata.normalize("NFC", text)
    return [rule for rule in rules if _pattern(rule["string_to_replace"], rule["case_sensitive"]).search(text)]


def espeak_text(text: str, lexicon: Lexicon, language: str) -> str:
    """`text` with every name (as written, any case) and respelling (as written) whose entry has espeak-ng phoneme
    mnemonics replaced by them, in `[[...]]`."""
    text = unicodedata.normalize("NFC", text)
    for entry in lexicon.for_language(language):
        if not entry.kirshenbaum:
            continue
        for said, case_sensitive in ((entry.name, False), (entry.say_as, True)):
            text = _pattern(said, case_sensitive).sub(lambda _match: f"[[{entry.kirshenbaum}]]", text)
    return text
