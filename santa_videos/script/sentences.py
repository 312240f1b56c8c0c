"""Sentences: the unit Santa's speech and lip-sync are made and paid for in.

A line's spoken text is filled from a template; the spans that came from the order itself (the child's name, the
parent's words) are *personal*. A sentence that overlaps no personal span is *shared*: every order that has it says
it the same way, so it is synthesized and lip-synced once for everyone. An age or a catalog key is not personal:
everyone who picks it shares the sentence.
"""

import hashlib
import re
import string
import unicodedata
from dataclasses import asdict, dataclass

PLAN_VERSION = 1
# A sentence ends at . ! ? or … (closing quotes and brackets stay with it) before white space.
SENTENCE_END = re.compile(r"[.!?…]+[\"'”»)\]]*(?=\s)")
# The template fields that hold the order's own words; others (the age) are shared by everyone who has them.
PERSONAL_FIELDS = {"name", "mention"}

Span = tuple[int, int]


@dataclass(frozen=True)
class PlannedSentence:
    text: str
    line: int
    shared: bool
    key: str  # the sentence's identity in every language and voice: its language and normalized text

    def as_json(self) -> dict:
        return asdict(self)


def fill(pattern: str, **values) -> tuple[str, list[Span]]:
    """`pattern` formatted with `values` (str.format rules), and the spans the personal fields were filled into."""
    text, spans = "", []
    for literal, field, spec, conversion in string.Formatter().parse(pattern):
        text += literal
        if field is None:
            continue
        value = format(values[field], spec or "")
        if field in PERSONAL_FIELDS:
            spans.append((len(text), len(text) + len(value)))
        text += value
    return text, spans


def without_chars(text: str, spans: list[Span], chars: str) -> tuple[str, list[Span]]:
    """`text` without the characters in `chars`, with `spans` moved to where their characters went."""
    kept, new_position = [], []
    for char in text:
        new_position.append(len(kept))
        if char not in chars:
            kept.append(char)
    new_position.append(len(kept))
    return "".join(kept), [(new_position[start], new_position[end]) for start, end in spans]


def sentence_spans(text: str) -> list[Span]:
    """Each sentence of `text` as (start, end), white space between sentences left out."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in spans:
        piece = text[begin:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            trimmed.append((begin + lead, begin + len(piece.rstrip())))
    return trimmed


def sentence_key(language: str, text: str) -> str:
    normalized = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(f"{PLAN_VERSION}\n{language}\n{normalized}".encode()).hexdigest()[:32]


def split_line(spoken: str, personal: list[Span], line: int, language: str) -> list[PlannedSentence]:
    sentences = []
    for start, end in sentence_spans(spoken):
        shared = not any(low < end and start < high for low, high in personal)
        text = spoken[start:end]
        sentences.append(PlannedSentence(text=text, line=line, shared=shared, key=sentence_key(language, text)))
    return sentences


def plan_to_json(language: str, sentences: list[PlannedSentence]) -> dict:
    return {"version": PLAN_VERSION, "language": language, "sentences": [s.as_json() for s in sentences]}


def plan_from_json(data: dict) -> list[PlannedSentence]:
    return [PlannedSentence(**item) for item in data["sentences"]]
