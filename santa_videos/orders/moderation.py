"""Moderation: what Santa will not say to a child, checked at submission, before anything is spoken or paid for.

The words come from safetype's English and Spanish packs plus our own (refused_words.py). safetype folds the usual
evasions (case, accents, look-alike letters, leetspeak, repeated and spaced letters) and matches whole words only,
so "Scunthorpe" passes. Two evasions it leaves alone are handled here: words masked with symbols ("f*ck", "m#erda")
and words that only their accent tells apart ("coño", not "cono", a cone). Names are judged more leniently: a real
child's name must never be refused because it is also a bad word somewhere (refused_words.py says how).

Both languages are always checked, whatever the order's language: the voice would say a word of either.
A refusal says what kind of word was found, never the word: messages end up in terminals and logs.
"""

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Literal

from santa_videos.orders.refused_words import ACCENTED, EMBEDDED, ENGLISH, NAME_PREFIXES, NAMES_ALLOWED, SPANISH
from santa_videos.settings import moderation_allowed_names

if TYPE_CHECKING:
    from safetype import ModerationEngine, ModerationMatch

Kind = Literal["name", "mention"]

WHAT = {
    "profanity": "a swear word",
    "hate": "a slur",
    "harassment": "an insult",
    "sexual": "sexual content",
    "custom": "a word",
}
MASK_CHARS = "*#%_"
LEET = str.maketrans("013457@$!", "oieastasi")

# Letters, then one or more times: mask symbols and letters again.
_MASKED = re.compile(rf"[^\W\d_]+(?:[{re.escape(MASK_CHARS)}]+[^\W\d_]+)+")
_MASK_RUNS = re.compile(rf"[{re.escape(MASK_CHARS)}]+|[^{re.escape(MASK_CHARS)}]+")
_ACCENTED = re.compile(rf"(?<!\w)({'|'.join(ACCENTED)})(?!\w)")


def refusal(text: str, kind: Kind) -> str | None:
    """What makes `text` unfit for Santa to say ("a swear word", "a slur", ...), or None when it is fine."""
    matches = [match for match in _engine().moderate(text).matches if not _is_a_name(match, kind)]
    if matches:
        return WHAT[max(matches, key=lambda match: match.priority).category]
    category = _masked_word(text)
    if category:
        return WHAT[category]
    if _ACCENTED.search(unicodedata.normalize("NFC", text.casefold()).replace("0", "o")):
        return WHAT["profanity"]
    return None


def _is_a_name(match: "ModerationMatch", kind: Kind) -> bool:
    """Whether a one-word match in a name field, or written with a capital in a mention, is a real name after all:
    a known name, or a word refused only by a prefix or a doubled letter ("Wankel", "Morron")."""
    if match.rule_id in _phrase_rules() or not (kind == "name" or match.text[:1].isupper()):
        return False
    word = _word(match.text)
    if word in NAMES_ALLOWED or word in {_word(name) for name in moderation_allowed_names()}:
        return True
    exact = word in _exact_words() or word.removesuffix("s") in _exact_words()
    return not exact and not _collapse(word).startswith(_name_prefixes())


def _masked_word(text: str) -> str | None:
    """The category of a word with letters hidden behind mask symbols ("f*ck", "sh#t", "p_ta"), if it is one we
    refuse. A run of N symbols stands for 1 to N+1 letters; letters after the last one may extend a refused prefix
    ("f*cking")."""
    for masked in _MASKED.findall(_fold(text)):
        runs = _MASK_RUNS.findall(masked)
        hidden = "".join(f"[a-z]{{1,{len(run) + 1}}}" if run[0] in MASK_CHARS else re.escape(run) for run in runs[:-1])
        last = runs[-1]
        for kept in range(len(last), 0, -1):
            pattern = re.compile(hidden + re.escape(last[:kept]))
            for word, is_prefix, category in _single_words():
                if (kept == len(last) or is_prefix) and pattern.fullmatch(word):
                    return category
    return None


def _packs() -> list[dict]:
    # Imported here, not with the module: every run worker and code server loads this module, and only a submission
    # checks text.
    from safetype import load_pack

    return [load_pack("en"), load_pack("es"), ENGLISH, SPANISH, EMBEDDED]


@cache
def _engine() -> "ModerationEngine":
    from safetype import create_moderation_engine

    # Every category blocks at any confidence: a word in quotes ("said 'shit'") is still spoken aloud.
    policy = {category: {"action": "block", "min_confidence": 0, "min_severity": "low"} for category in WHAT}
    return create_moderation_engine(mode="block", packs=_packs(), policy=policy)


@cache
def _phrase_rules() -> frozenset[str]:
    return frozenset(rule["id"] for pack in _packs() for rule in pack["rules"] if " " in rule["pattern"])


@cache
def _single_words() -> tuple[tuple[str, bool, str], ...]:
    """(word, is a prefix, category) of every one-word rule."""
    words = []
    for pack in _packs():
        for rule in pack["rules"]:
            if " " not in rule["pattern"]:
                for word in rule["pattern"].strip("()").split("|"):
                    words.append((_fold(word.rstrip("*")), word.endswith("*"), rule["category"]))
    return tuple(words)


@cache
def _exact_words() -> frozenset[str]:
    return frozenset(word for word, _is_prefix, _category in _single_words())


@cache
def _name_prefixes() -> tuple[str, ...]:
    return tuple(_collapse(prefix) for prefix in NAME_PREFIXES)


def _fold(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _word(text: str) -> str:
    """A word as the name checks compare it: folded, leetspeak read as letters, only letters and digits kept."""
    return "".join(char for char in _fold(text).translate(LEET) if char.isalnum())


def _collapse(word: str) -> str:
    """Repeated letters once: "fuuuck" and "asshole" as "fuck" and "ashole"."""
    return re.sub(r"(.)\1+", r"\1", word)
