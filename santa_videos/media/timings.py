"""From a voice provider's character timings to word timings and one caption cue per script line."""

from dataclasses import asdict, dataclass

from santa_videos.media.speech import Cue


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str


def words_json(words: list[Word]) -> list[dict]:
    return [asdict(word) for word in words]


def words_from_characters(characters: list[str], starts: list[float], ends: list[float]) -> list[Word]:
    """Words are runs of non-space characters; a word lasts from its first character's start to its last's end."""
    words, current, first = [], [], 0
    for index, char in enumerate([*characters, " "]):
        if char.isspace():
            if current:
                words.append(Word(start=round(starts[first], 3), end=round(ends[index - 1], 3), text="".join(current)))
            current = []
        else:
            if not current:
                first = index
            current.append(char)
    return words


def join_spoken(lines: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The text sent to the voice provider (the spoken lines, space-separated) and each line's character span."""
    text, spans = "", []
    for spoken, _caption in lines:
        if text:
            text += " "
        spans.append((len(text), len(text) + len(spoken)))
        text += spoken
    return text, spans


def line_cues(
    lines: list[tuple[str, str]], text: str, characters: list[str], starts: list[float], ends: list[float]
) -> list[Cue]:
    """One cue per line, timed by the characters of its spoken text; captions keep the line's written form."""
    _, spans = join_spoken(lines)
    if "".join(characters) == text:
        to_aligned = lambda index: index  # noqa: E731
    else:
        # The provider normalized the text (numbers spelled out, spacing): map positions proportionally.
        scale = len(characters) / max(len(text), 1)
        to_aligned = lambda index: min(int(index * scale), len(characters) - 1)  # noqa: E731
    cues, previous_end = [], 0.0
    for (first, last), (_spoken, caption) in zip(spans, lines):
        start = max(starts[to_aligned(first)], previous_end)
        end = max(ends[to_aligned(max(first, last - 1))], start)
        cues.append(Cue(start=round(start, 3), end=round(end, 3), text=caption))
        previous_end = end
    return cues
