"""From a voice provider's character timings to word timings, and caption phrases timed by their words."""

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


def phrase_cues(caption: str, words: list[Word]) -> list[Cue]:
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
