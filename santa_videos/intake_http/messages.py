"""Messages for a customer in their page's language. The code writes every message in English (the JSON answers,
the CLI and the logs keep it); a page in another language shows the form its catalog gives (messages_es.py)."""

import re
from dataclasses import dataclass
from functools import cache

from santa_videos.intake_http import messages_es

PLACEHOLDER = re.compile(r"\{(\w+)\}")
FIELD_PREFIX = re.compile(r"^(?P<field>[a-z_][a-z0-9_]*)(?P<index>(\.\d+)*): (?P<rest>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Catalog:
    fields: dict[str, str]
    what: dict[str, str]
    messages: dict[str, str]
    joining_and: str


CATALOGS = {"es": Catalog(messages_es.FIELDS, messages_es.WHAT, messages_es.MESSAGES, joining_and="y")}


def translate(message: str, language: str) -> str:
    """The message in `language`; as it is when that language is English or the catalog lacks the message."""
    catalog = CATALOGS.get(language)
    if catalog is None:
        return message
    return _message(message, catalog) or message


def translate_all(messages: list[str], language: str) -> list[str]:
    return [translate(message, language) for message in messages]


def has_translation(message: str, language: str) -> bool:
    """Whether the catalog knows the message: every part of its sentence."""
    return _message(message, CATALOGS[language]) is not None


def _message(message: str, catalog: Catalog) -> str | None:
    prefix = FIELD_PREFIX.match(message)
    if prefix is None:
        return _sentence(message, catalog)
    # A field the catalog does not name is one the sender made up ("colour: is not a field of an order").
    field, sentence = catalog.fields.get(prefix["field"], prefix["field"]), _sentence(prefix["rest"], catalog)
    return f"{field}{prefix['index']}: {sentence}" if sentence else None


def _sentence(text: str, catalog: Catalog) -> str | None:
    for english, pattern in _patterns(tuple(catalog.messages)):
        found = pattern.fullmatch(text)
        if found is None:
            continue
        parts = {name: _part(name, value, catalog) for name, value in found.groupdict().items()}
        if None not in parts.values():
            return catalog.messages[english].format(**parts)
    return None


def _part(name: str, value: str, catalog: Catalog) -> str | None:
    """A varying part as the translation shows it; None when the catalog does not know it (then the pattern that
    took it is the wrong one, and the next is tried)."""
    if name == "message":
        return _sentence(value, catalog)
    if name == "problems":
        translated = [_sentence(problem, catalog) for problem in value.split("; ")]
        return None if None in translated else "; ".join(translated)
    if name == "what":
        return catalog.what.get(value)
    if name == "fields":
        shown = [catalog.fields.get(field) for field in re.split(r", | and ", value)]
        if None in shown:
            return None
        return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {catalog.joining_and} {shown[-1]}"
    return value


@cache
def _patterns(englishes: tuple[str, ...]) -> list[tuple[str, re.Pattern]]:
    """Each English message as a pattern: its text literally, each `{name}` as a group of at least one character."""
    patterns = []
    for english in englishes:
        pieces = PLACEHOLDER.split(english)
        regex = "".join(re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.+?)" for index, piece in enumerate(pieces))
        patterns.append((english, re.compile(regex, re.DOTALL)))
    return patterns
