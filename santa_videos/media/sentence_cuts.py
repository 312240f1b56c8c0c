"""Where each sentence of one voice request begins and ends in its audio, from the provider's character timings."""

from dataclasses import dataclass
from pathlib import Path

from santa_videos.media.timings import Word

# Kept around a sentence's first and last sound: the attack of its first word and the decay of its last.
LEAD_SECONDS = 0.05
DECAY_SECONDS = 0.12


@dataclass(frozen=True)
class VoicedSentence:
    path: Path  # 48 kHz mono 16-bit WAV, levelled (media/loudness.py)
    duration: float
    words: list[Word]  # timed from the sentence's own start; empty when the voice gives no timings


@dataclass(frozen=True)
class SentenceCut:
    first: int  # the sentence's characters in the alignment: [first, last)
    last: int
    start: float  # seconds in the request's audio
    end: float


def join_sentences(sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The text of one request (the sentences, space-separated) and each sentence's character span in it."""
    text, spans = "", []
    for sentence in sentences:
        if text:
            text += " "
        spans.append((len(text), len(text) + len(sentence)))
        text += sentence
    return text, spans


def sentence_cuts(
    spans: list[tuple[int, int]], text_length: int, characters: list[str], starts: list[float], ends: list[float],
) -> list[SentenceCut]:
    """One cut per span. Where the provider normalized the text (numbers spelled out), positions are mapped in
    proportion. Neighbouring cuts meet no later than halfway through the silence between their sentences."""
    scale = len(characters) / max(text_length, 1)
    bounds = []
    for low, high in spans:
        first = min(int(low * scale), len(characters) - 1)
        last = max(first + 1, min(int(round(high * scale)), len(characters)))
        bounds.append((first, last, starts[first], ends[last - 1]))
    cuts = []
    for index, (first, last, begins, finishes) in enumerate(bounds):
        start = max(0.0, begins - LEAD_SECONDS)
        end = finishes + DECAY_SECONDS
        if index > 0:
            start = max(start, (bounds[index - 1][3] + begins) / 2)
        if index + 1 < len(bounds):
            end = min(end, (finishes + bounds[index + 1][2]) / 2)
        cuts.append(SentenceCut(first=first, last=last, start=round(start, 3), end=round(max(end, start + 0.01), 3)))
    return cuts
