"""From a voice provider's character timings to word timings and caption cues that follow the speech."""

from dataclasses import asdict, dataclass

from santa_videos.media.speech import Cue

PHRASE_MAX_CHARS = 42  # one caption row (the video wraps at 46)


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str


def words_json(words: list[Word]) -> list[dict]:
    return [asdict(word) for word in words]


def _word_spans(characters: list[str]) -> list[tuple[int, int]]:
    """(first, last) character index of each run of non-space characters."""
    spans, first = [], None
    for index, char in enumerate([*characters, " "]):
        if char.isspace():
            if first is not None:
                spans.append((first, index - 1))
            first = None
        elif first is None:
            first = index
    return spans


def words_from_characters(characters: list[str], starts: list[float], ends: list[float]) -> list[Word]:
    """Words are runs of non-space characters; a word lasts from its first character's start to its last's end."""
    return [
        Word(start=round(starts[first], 3), end=round(ends[last], 3), text="".join(characters[first:last + 1]))
        for first, last in _word_spans(characters)
    ]


def join_spoken(lines: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The text sent to the voice provider (the spoken lines, space-separated) and each line's character span."""
    text, spans = "", []
    for spoken, _caption in lines:
        if text:
            text += " "
        spans.append((len(text), len(text) + len(spoken)))
        text += spoken
    return text, spans


def _phrases(caption: str, words: list[Word]) -> list[Cue]:
    """The caption cut into phrases of whole words, each timed by its words. Only when the written words match
    the spoken ones one to one (a phonetic name may differ); otherwise the whole line is one cue."""
    written = caption.split()
    if len(written) != len(words):
        return [Cue(start=words[0].start, end=words[-1].end, text=caption)]
    cues, first = [], 0
    for index in range(1, len(written) + 1):
        if index == len(written) or len(" ".join(written[first:index + 1])) > PHRASE_MAX_CHARS:
            cues.append(Cue(start=words[first].start, end=words[index - 1].end, text=" ".join(written[first:index])))
            first = index
    return cues


def line_cues(
    lines: list[tuple[str, str]], text: str, characters: list[str], starts: list[float], ends: list[float]
) -> list[Cue]:
    """Cues timed by the characters of each line's spoken text; captions keep the line's written form."""
    _, spans = join_spoken(lines)
    if "".join(characters) == text:
        scale = 1.0
    else:
        # The provider normalized the text (numbers spelled out, spacing): map positions proportionally.
        scale = len(characters) / max(len(text), 1)
    words = words_from_characters(characters, starts, ends)
    word_starts = [first for first, _ in _word_spans(characters)]
    cues, previous_end = [], 0.0
    for number, ((first, last), (_spoken, caption)) in enumerate(zip(spans, lines)):
        low = min(int(first * scale), len(characters) - 1)
        high = int(spans[number + 1][0] * scale) if number + 1 < len(spans) else len(characters)
        in_line = [word for word, begin in zip(words, word_starts) if low <= begin < high]
        if not in_line:
            in_line = [Word(start=starts[low], end=ends[min(int((last - 1) * scale), len(ends) - 1)], text="")]
        for cue in _phrases(caption, in_line):
            start = max(cue.start, previous_end)
            end = max(cue.end, start)
            cues.append(Cue(start=round(start, 3), end=round(end, 3), text=cue.text))
            previous_end = end
    return cues
