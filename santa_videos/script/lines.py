"""Santa's script for an order: a greeting, who he is, the child's age, his notes about the child (catalog entries
and the parent's own words, framed), and a goodbye; in full sentences, in the order's language.

Each line has a caption (the name as the customer spelled it) and a spoken form (the phonetic spelling when given,
without quotation marks and symbols). Several phrasings exist for each line; the order id picks them, so two
siblings' videos differ. Templates are filled with str.format, which reads braces only in the template, so user
text stays literal.
"""

import hashlib
from dataclasses import asdict, dataclass

from santa_videos.script.catalog import entry
from santa_videos.script.mentions import addresses_the_child, continued, speakable, with_stop
from santa_videos.script.phrases import PHRASES
from santa_videos.script.sentences import PlannedSentence, Span, fill, split_line, without_chars

QUOTES = "“”«»"


@dataclass(frozen=True)
class ScriptLine:
    caption: str
    spoken: str
    # Where the order's own words (the name, the parent's text) are in `spoken`: what makes a sentence personal.
    personal: tuple[Span, ...] = ()


def _opening(text: str) -> str:
    return " ".join(text.lower().lstrip("¡¿").split()[:2])


class Phrasing:
    """The order's choices among the phrasings: the order id's pick for each slot, walking on past any phrasing
    that would start as an earlier line started ("My elves told me..." twice running sounds read out)."""

    def __init__(self, order_id: str):
        self.order_id, self.uses, self.openings = order_id, {}, []

    def choose(self, slot: str, options: list[str]) -> str:
        used = self.uses[slot] = self.uses.get(slot, 0) + 1
        start = int(hashlib.sha256(f"{self.order_id}/{slot}".encode()).hexdigest(), 16) + used - 1
        ordered = [options[(start + n) % len(options)] for n in range(len(options))]
        # A fresh opening if there is one, else at least not the line just before's.
        chosen = next((option for option in ordered if _opening(option) not in self.openings), None) or next(
            (option for option in ordered if self.openings and _opening(option) != self.openings[-1]), ordered[0])
        self.openings.append(_opening(chosen))
        return chosen


def age_slot(age: int) -> str:
    return "age_one" if age == 1 else "age_young" if age <= 6 else "age_older"


def _mention_line(phrasing: Phrasing, language: str, age: int, mention: str, names: tuple[str, str]) -> ScriptLine:
    phrases, known = PHRASES[language], entry(mention)
    if known is not None:
        pattern = phrasing.choose(f"catalog/{mention}", known.lines(language, age))
        spoken, personal = fill(pattern, name=names[1])
        return ScriptLine(caption=pattern.format(name=names[0]), spoken=spoken, personal=tuple(personal))
    kind = "told_you" if addresses_the_child(mention, language) else "note"
    frame = phrasing.choose(kind, phrases[kind])
    if kind == "told_you":
        caption = frame.format(mention=with_stop(continued(mention)))
        spoken = speakable(caption)
        # The frame and the parent's words are one sentence: all of it is the order's own.
        return ScriptLine(caption=caption, spoken=spoken, personal=((0, len(spoken)),))
    # English puts the full stop inside the quotation marks, Spanish after them.
    quoted = with_stop if language == "en" else str
    said = speakable(mention)
    spoken, personal = fill(frame, mention=quoted(said)) if said else (phrases["picture_note"], [])
    spoken, personal = without_chars(spoken, personal, QUOTES)
    return ScriptLine(caption=frame.format(mention=quoted(mention)), spoken=spoken, personal=tuple(personal))


def write_script(order_id: str, child_name: str, spoken_name: str, age: int, language: str,
                 mentions: list[str]) -> list[ScriptLine]:
    phrases, phrasing = PHRASES[language], Phrasing(order_id)

    def line(slot: str, options: list[str], **values) -> ScriptLine:
        pattern = phrasing.choose(slot, options)
        spoken, personal = fill(pattern, name=spoken_name, **values)
        return ScriptLine(caption=pattern.format(name=child_name, **values), spoken=spoken, personal=tuple(personal))

    lines = [line("greeting", phrases["greeting"]), line("intro", phrases["intro"])]
    if age > 0:
        lines.append(line("age", phrases[age_slot(age)], age=age))
    if mentions:
        lines.append(line("lead_in", phrases["lead_in"]))
    lines += [_mention_line(phrasing, language, age, mention, (child_name, spoken_name)) for mention in mentions]
    lines.append(line("closing", phrases["closing"]))
    return lines


def greeting_line(order_id: str, child_name: str, spoken_name: str, language: str) -> ScriptLine:
    """The order's first line, as its script will have it: the greeting is the order id's first choice, so nothing
    else of the order (age, mentions) changes it."""
    return write_script(order_id, child_name, spoken_name, 0, language, [])[0]


def script_to_json(lines: list[ScriptLine]) -> list[dict]:
    return [asdict(line) for line in lines]


def script_from_json(items: list[dict]) -> list[ScriptLine]:
    return [ScriptLine(item["caption"], item["spoken"], tuple(tuple(span) for span in item.get("personal", ())))
            for item in items]


def speech_plan(lines: list[ScriptLine], language: str) -> list[PlannedSentence]:
    """Every sentence Santa says, in order, each shared or personal; captions stay one per line."""
    return [sentence for number, line in enumerate(lines)
            for sentence in split_line(line.spoken, list(line.personal), number, language)]
