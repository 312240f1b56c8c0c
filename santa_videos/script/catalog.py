"""The catalog of common achievements and wishes a landing page can offer as choices. An order names one by its
key among its mentions (`helped_at_home`), beside mentions in the parent's own words; Santa then says a line
written for the video's language and the child's age.

A mention that looks like a key (lowercase words joined by underscores) must be one, so a mistyped key is refused
at submission instead of being read out as it is.
"""

import re
from dataclasses import dataclass

from santa_videos.script import catalog_en, catalog_es

BY_LANGUAGE = {"en": catalog_en.ENTRIES, "es": catalog_es.ENTRIES}
YOUNG_UP_TO_AGE = 6
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str  # "achievement" or "wish"
    labels: dict[str, str]
    young: dict[str, list[str]]  # per language: lines for a child up to YOUNG_UP_TO_AGE
    older: dict[str, list[str]]

    def lines(self, language: str, age: int) -> list[str]:
        return (self.young if age <= YOUNG_UP_TO_AGE else self.older)[language]


def _entries() -> dict[str, Entry]:
    keys = list(catalog_en.ENTRIES)
    return {
        key: Entry(
            key=key,
            kind="wish" if key.startswith("wish_") else "achievement",
            labels={language: entries[key][0] for language, entries in BY_LANGUAGE.items()},
            young={language: entries[key][1] for language, entries in BY_LANGUAGE.items()},
            older={language: entries[key][2] for language, entries in BY_LANGUAGE.items()},
        )
        for key in keys
    }


CATALOG = _entries()


def looks_like_key(text: str) -> bool:
    return bool(KEY_PATTERN.match(text))


def entry(key: str) -> Entry | None:
    return CATALOG.get(key)


def catalog_document(language: str | None = None) -> dict:
    """The catalog as a landing page reads it (GET /catalog, `santa-videos catalog --json`): every entry's key,
    kind and label, in one language or in all."""
    entries = []
    for item in CATALOG.values():
        labels = {language: item.labels[language]} if language else item.labels
        entries.append({"key": item.key, "kind": item.kind, "labels": labels})
    return {
        "languages": [language] if language else list(BY_LANGUAGE),
        "kinds": ["achievement", "wish"],
        "entries": entries,
        "usage": "Send a key as one of an order's mentions, beside mentions in your own words "
                 f"(at most 5 in all). Santa's line follows the video's language and the child's age "
                 f"(up to {YOUNG_UP_TO_AGE}, or older).",
    }
