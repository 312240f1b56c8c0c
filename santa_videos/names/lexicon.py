"""A shop's name lexicon: how Santa says names his voices get wrong, one CSV row per name and language.

Columns: `name,language,say_as` and optionally `ipa` (English only: ElevenLabs reads phonemes in English only) and
`kirshenbaum` (espeak-ng's phoneme mnemonics, spoken as `[[...]]`). `say_as` is a respelling written for the voice
of that language. Names match in NFC, ignoring case.
"""

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass

from santa_videos.orders.model import LANGUAGES

REQUIRED_COLUMNS = ("name", "language", "say_as")
OPTIONAL_COLUMNS = ("ipa", "kirshenbaum")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_LENGTH = 80
MAX_PROBLEMS_SHOWN = 20
# What splits a full name into names the lexicon may know: "Aoife Nguyen", "Mary-Siobhán".
NAME_SEPARATORS = re.compile(r"([\s\-]+)")

SOURCES = ("order", "lexicon", "spelling")


class LexiconError(ValueError):
    """A lexicon that cannot be used, with every problem found and the line it is on."""

    def __init__(self, source: str, problems: list[str]):
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        text = f"{source}: " + "; ".join(shown) + (f"; and {more} more" if more else "")
        super().__init__(text)
        self.problems = problems


def normalize_name(name: str) -> str:
    """The form names are matched in: NFC, case folded, inner white space as single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True)
class LexiconEntry:
    name: str
    language: str
    say_as: str
    ipa: str = ""
    kirshenbaum: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return normalize_name(self.name), self.language

    def as_json(self) -> dict:
        return {column: getattr(self, column) for column in COLUMNS}


def entry_problems(entry: LexiconEntry) -> list[str]:
    """What is wrong with one entry, in words ([] when nothing is)."""
    problems = []
    for column in COLUMNS:
        value = getattr(entry, column)
        if column in REQUIRED_COLUMNS and not value:
            problems.append(f"{column} is empty")
        elif len(value) > MAX_LENGTH:
            problems.append(f"{column} is longer than {MAX_LENGTH} characters")
        elif any(unicodedata.category(char) in ("Cc", "Cf") for char in value):
            problems.append(f"{column} has a control character")
    if entry.language and entry.language not in LANGUAGES:
        problems.append(f"language must be one of {', '.join(LANGUAGES)} (got {entry.language!r})")
    if entry.ipa and entry.language != "en":
        problems.append("ipa is for English entries only (ElevenLabs reads phonemes in English only)")
    for column in ("say_as", "kirshenbaum"):
        if "[[" in getattr(entry, column) or "]]" in getattr(entry, column):
            problems.append(f"{column} must not hold [[ or ]]")
    return problems


class Lexicon:
    """Entries by (normalized name, language); the last word on how each name is said."""

    def __init__(self, entries: list[LexiconEntry] = ()):
        self.entries: dict[tuple[str, str], LexiconEntry] = {entry.key: entry for entry in entries}

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(sorted(self.entries.values(), key=lambda e: (e.language, normalize_name(e.name))))

    def find(self, name: str, language: str) -> LexiconEntry | None:
        return self.entries.get((normalize_name(name), language))

    def for_language(self, language: str) -> list[LexiconEntry]:
        return [entry for entry in self if entry.language == language]

    def with_entry(self, entry: LexiconEntry) -> "Lexicon":
        return Lexicon([*(e for e in self.entries.values() if e.key != entry.key), entry])

    def without(self, name: str, language: str) -> "Lexicon":
        key = (normalize_name(name), language)
        return Lexicon([e for e in self.entries.values() if e.key != key])

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for entry in self:
            writer.writerow([getattr(entry, column) for column in COLUMNS])
        return out.getvalue()

    def content_hash(self) -> str:
        return hashlib.sha256(self.to_csv().encode()).hexdigest()


def parse_lexicon(text: str, source: str = "lexicon") -> Lexicon:
    """The lexicon in CSV `text`; LexiconError naming every bad line (and what is wrong with it) otherwise."""
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [column.strip().lower() for column in next(rows, [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        raise LexiconError(source, [
            f"line 1: the header must be {','.join(REQUIRED_COLUMNS)}[,{','.join(OPTIONAL_COLUMNS)}] "
            f"(got {','.join(header) or 'nothing'})"
        ])
    problems, entries, first_seen = [], [], {}
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(f"line {line}: {len(row)} fields, the header has {len(header)}")
            continue
        cells = dict(zip(header, (cell.strip() for cell in row)))
        entry = LexiconEntry(**{column: unicodedata.normalize("NFC", cells.get(column, "")) for column in COLUMNS})
        wrong = entry_problems(entry)
        if wrong:
            problems += [f"line {line}: {problem}" for problem in wrong]
        elif entry.key in first_seen:
            problems.append(f"line {line}: {entry.name} ({entry.language}) is already on line {first_seen[entry.key]}")
        else:
            first_seen[entry.key] = line
            entries.append(entry)
    if problems:
        raise LexiconError(source, problems)
    return Lexicon(entries)


def spoken_name(child_name: str, phonetic_name: str | None, language: str, lexicon: Lexicon) -> tuple[str, str]:
    """How Santa says the name, and where that comes from: the order's own phonetic spelling (`order`), the shop's
    lexicon for the whole name or any of its parts (`lexicon`), or else the name as it is spelled (`spelling`)."""
    if phonetic_name and phonetic_name.strip():
        return phonetic_name, "order"
    whole = lexicon.find(child_name, language)
    if whole is not None:
        return whole.say_as, "lexicon"
    parts = NAME_SEPARATORS.split(child_name)
    said = [(found.say_as if (found := lexicon.find(part, language)) and part.strip() else part) for part in parts]
    if said != parts:
        return "".join(said), "lexicon"
    return child_name, "spelling"
