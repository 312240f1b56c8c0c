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

QUOTES = "“”«»"


@dataclass(frozen=True)
class ScriptLine:
    caption: str
    spoken: str


def pick(order_id: str, slot: str, options: list[str], offset: int = 0) -> str:
    """The phrasing this order uses at `slot`; `offset` walks on from it, so repeated slots do not repeat."""
    start = int(hashlib.sha256(f"{order_id}/{slot}".encode()).hexdigest(), 16)
    return options[(start + offset) % len(options)]


def _age_slot(age: int) -> str:
    return "age_one" if age == 1 else "age_young" if age <= 6 else "age_older"


def _mention_line(order_id: str, language: str, age: int, mention: str, names: tuple[str, str],
                  counts: dict[str, int]) -> ScriptLine:
    phrases, known = PHRASES[language], entry(mention)
    if known is not None:
        counts[mention] = counts.get(mention, 0) + 1
        pattern = pick(order_id, f"catalog/{mention}", known.lines(language, age), counts[mention] - 1)
        return ScriptLine(caption=pattern.format(name=names[0]), spoken=pattern.format(name=names[1]))
    kind = "told_you" if addresses_the_child(mention, language) else "note"
    counts[kind] = counts.get(kind, 0) + 1
    frame = pick(order_id, kind, phrases[kind], counts[kind] - 1)
    if kind == "told_you":
        caption = frame.format(mention=with_stop(continued(mention)))
        return ScriptLine(caption=caption, spoken=speakable(caption))
    # English puts the full stop inside the quotation marks, Spanish after them.
    quoted = with_stop if language == "en" else str
    said = speakable(mention)
    spoken = frame.format(mention=quoted(said)) if said else phrases["picture_note"]
    return ScriptLine(caption=frame.format(mention=quoted(mention)),
                      spoken="".join(char for char in spoken if char not in QUOTES))


def write_script(order_id: str, child_name: str, spoken_name: str, age: int, language: str,
                 mentions: list[str]) -> list[ScriptLine]:
    phrases = PHRASES[language]

    def line(slot: str, options: list[str], **values) -> ScriptLine:
        pattern = pick(order_id, slot, options)
        return ScriptLine(caption=pattern.format(name=child_name, **values), spoken=pattern.format(name=spoken_name, **values))

    lines = [line("greeting", phrases["greeting"]), line("intro", phrases["intro"])]
    if age > 0:
        lines.append(line("age", phrases[_age_slot(age)], age=age))
    if mentions:
        lines.append(line("lead_in", phrases["lead_in"]))
    counts: dict[str, int] = {}
    lines += [_mention_line(order_id, language, age, m, (child_name, spoken_name), counts) for m in mentions]
    lines.append(line("closing", phrases["closing"]))
    return lines


def script_to_json(lines: list[ScriptLine]) -> list[dict]:
    return [asdict(line) for line in lines]


def script_from_json(items: list[dict]) -> list[ScriptLine]:
    return [ScriptLine(**item) for item in items]
