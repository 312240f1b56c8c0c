"""A mention in the parent's own words, framed so Santa's sentence reads right whatever person it was written in.

Written to the child ("you shared your toys", "quieres un telescopio"), it follows "my elves told me that". Written
any other way ("helped her brother", "Emma learned to swim", "a red sled"), it is quoted as a note Santa received:
pronouns are never rewritten, so nothing can come out wrong. What Santa cannot say (emoji and other symbols) is
shown in the caption and left out of the speech.
"""

import unicodedata

SECOND_PERSON_EN = {"you", "you're", "you’re", "you've", "you’ve", "you'll", "you’ll", "your"}
SECOND_PERSON_ES = {
    "tú", "tu", "te", "ti", "has", "eres", "estás", "tienes", "quieres", "sabes", "puedes", "haces", "vas", "juegas",
    "ayudas", "compartes", "lees", "pides", "sueñas", "deseas", "cuidas", "aprendes", "hiciste", "fuiste",
}
# Words ending like a Spanish preterite of "tú" (ayudaste, aprendiste) that are not one.
NOT_PRETERITE_ES = {"triste", "existe", "asiste", "insiste", "consiste", "resiste", "desiste", "persiste",
                    "contraste", "desgaste", "viste"}
UNSPOKEN_CATEGORIES = {"So", "Sk", "Cf"}
UNSPOKEN = {0xFE0E, 0xFE0F, 0x20E3}


def _first_word(text: str) -> str:
    word = text.split()[0] if text.split() else ""
    return word.strip("¡¿\"'“«,.;:!?").lower()


def addresses_the_child(text: str, language: str) -> bool:
    word = _first_word(text)
    if language == "es":
        preterite = word.endswith(("aste", "iste")) and word not in NOT_PRETERITE_ES
        return word in SECOND_PERSON_ES or preterite
    return word in SECOND_PERSON_EN


def with_stop(text: str) -> str:
    return text if text[-1:] in ".!?…" else text + "."


def continued(text: str) -> str:
    """The mention as it reads after "that": its first letter in lower case when it is just a capital."""
    first = text.split()[0]
    if first[:1].isupper() and first[1:].islower() or first in ("I", "You", "Your", "Tú", "Tu", "Te"):
        return text[:1].lower() + text[1:]
    return text


def speakable(text: str) -> str:
    """The text without what a voice would read out oddly or not at all (emoji, symbols, their modifiers)."""
    kept = "".join(
        char for char in text
        if unicodedata.category(char) not in UNSPOKEN_CATEGORIES and ord(char) not in UNSPOKEN
        and not 0x1F3FB <= ord(char) <= 0x1F3FF
    )
    return " ".join(kept.split())
