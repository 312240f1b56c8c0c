"""Santa's lines for an order, from per-language templates.

Each line has a caption (the name as the customer spelled it) and a spoken form (the phonetic spelling when given).
Templates are filled with str.format, which reads braces only in the template, so user text stays literal.
"""

from dataclasses import asdict, dataclass

TEMPLATES = {
    "en": {
        "greeting": "Ho ho ho! Hello, {name}!",
        "intro": "This is Santa Claus, speaking to you all the way from the North Pole.",
        "age": {1: "I hear you are one year old now. How wonderful!"},
        "age_other": "I hear you are {age} years old now. How wonderful!",
        "mentions": [
            "My elves told me something special: {mention}",
            "And I also heard this: {mention}",
            "Mrs. Claus wanted me to tell you: {mention}",
            "The reindeer have been talking too: {mention}",
            "And one more thing: {mention}",
        ],
        "closing": "Keep being kind, and I will see you very soon. Merry Christmas, {name}!",
    },
    "es": {
        "greeting": "¡Jo, jo, jo! ¡Hola, {name}!",
        "intro": "Soy Papá Noel y te hablo desde el Polo Norte.",
        "age": {1: "Me han contado que ya tienes un año. ¡Qué maravilla!"},
        "age_other": "Me han contado que ya tienes {age} años. ¡Qué maravilla!",
        "mentions": [
            "Mis duendes me contaron algo especial: {mention}",
            "Y también me dijeron esto: {mention}",
            "Mamá Noel quería que te dijera: {mention}",
            "Los renos también me han hablado de ti: {mention}",
            "Y una cosa más: {mention}",
        ],
        "closing": "Sigue siendo tan bueno y muy pronto nos veremos. ¡Feliz Navidad, {name}!",
    },
}


@dataclass(frozen=True)
class ScriptLine:
    caption: str
    spoken: str


def _with_stop(text: str) -> str:
    return text if text[-1:] in ".!?…" else text + "."


def write_script(child_name: str, spoken_name: str, age: int, language: str, mentions: list[str]) -> list[ScriptLine]:
    template = TEMPLATES[language]

    def line(pattern: str, **values) -> ScriptLine:
        return ScriptLine(
            caption=pattern.format(name=child_name, **values),
            spoken=pattern.format(name=spoken_name, **values),
        )

    lines = [line(template["greeting"]), line(template["intro"])]
    age_pattern = template["age"].get(age, template["age_other"]) if age > 0 else None
    if age_pattern:
        lines.append(line(age_pattern, age=age))
    for pattern, mention in zip(template["mentions"], mentions):
        lines.append(line(pattern, mention=_with_stop(mention)))
    lines.append(line(template["closing"]))
    return lines


def script_to_json(lines: list[ScriptLine]) -> list[dict]:
    return [asdict(line) for line in lines]


def script_from_json(items: list[dict]) -> list[ScriptLine]:
    return [ScriptLine(**item) for item in items]
