"""Every sentence Santa can say that no order owns: the templates' own sentences, for every age and catalog entry,
per language. What the season's warm-up makes once, before the orders arrive."""

from santa_videos.orders.model import MAX_AGE, MIN_AGE
from santa_videos.script.catalog import CATALOG
from santa_videos.script.lines import QUOTES, age_slot
from santa_videos.script.phrases import PHRASES
from santa_videos.script.sentences import fill, split_line, without_chars
from santa_videos.script.mentions import with_stop

# Stands in for the order's own words; whatever it touches is personal and left out.
STAND_IN = "Name"
SLOTS = ("greeting", "intro", "lead_in", "closing")


def shared_sentences(language: str) -> list[str]:
    """The shared sentences of `language`, each once, in a stable order."""
    found: dict[str, None] = {}
    phrases = PHRASES[language]

    def add(pattern: str, **values) -> None:
        spoken, personal = fill(pattern, name=STAND_IN, **values)
        spoken, personal = without_chars(spoken, personal, QUOTES)
        for sentence in split_line(spoken, personal, 0, language):
            if sentence.shared:
                found.setdefault(sentence.text)

    for slot in SLOTS:
        for pattern in phrases[slot]:
            add(pattern)
    for age in range(max(MIN_AGE, 1), MAX_AGE + 1):
        for pattern in phrases[age_slot(age)]:
            add(pattern, age=age)
    quoted = with_stop if language == "en" else str
    for pattern in phrases["note"]:
        add(pattern, mention=quoted(STAND_IN))
    add(phrases["picture_note"])
    for entry in CATALOG.values():
        for pattern in [*entry.young[language], *entry.older[language]]:
            add(pattern)
    return list(found)
