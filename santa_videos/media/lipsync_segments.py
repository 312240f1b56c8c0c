"""Lip-sync in segments: the speech's timeline cut into one slot per sentence, and the Speak generations that
cover the slots.

A generation lasts 5, 10 or 15 s and takes at most that much audio, so a whole speech needs several. Slots begin
PREROLL_SECONDS before their sentence, inside the pause, so the seams between pieces fall in silence. A shared
sentence (the same audio for every order that has it) gets a generation of its own, made once for everyone: its
audio is the preroll's silence and the sentence, its duration long enough for any pause that may follow. An order's
own sentences are paid for by the second, so each goes to the provider from its preroll to TAIL_KEEP_SECONDS after
its last sound: the silence around it (the lead-in, the rest of the pause, the speech's tail) is the piece's first
or last frame held. They are packed into the generations whose durations add up to the least, and cut back out of
the generated clips.

Everything is counted in video frames, so the pieces add up to the speech to the frame.
"""

import math
from dataclasses import dataclass

FPS = 25
SPEAK_DURATIONS = (5, 10, 15)
MAX_FRAMES = SPEAK_DURATIONS[-1] * FPS
PREROLL_SECONDS = 0.2
TAIL_KEEP_SECONDS = 0.2  # after a sentence's last sound: its decay, and Santa's mouth closing
# Packings are searched exhaustively up to this many parts of an order's own (Bell(8) = 4,140 partitions).
EXHAUSTIVE_PARTS = 8
LONGEST_PAUSE_SECONDS = 1.0  # the speech's tail; pauses between sentences are shorter


@dataclass(frozen=True)
class Sentence:
    start: float  # seconds in the speech
    end: float
    shared: bool
    key: str  # the content address of its audio

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Slot:
    """The frames [first, last) of the final clip that show Santa saying `sentence`."""

    first: int
    last: int
    sentence: Sentence
    lead: int  # frames from the slot's start to PREROLL_SECONDS before the sentence (negative: that is earlier)

    @property
    def frames(self) -> int:
        return self.last - self.first


@dataclass(frozen=True)
class Piece:
    """A stretch of the final clip taken from one generation's clip: `frames` frames from frame `offset` of the
    clip, after its first frame was shown `hold` times (a longer lead-in than the preroll); only `take` frames of
    the clip when given, the last of them then held to the piece's end (silence the provider was not paid for)."""

    first: int
    frames: int
    offset: int = 0
    hold: int = 0
    take: int | None = None

    def covered(self, clip_frames: int) -> int:
        """Frames of the piece the clip really has (a clip shorter than planned is padded with its last frame)."""
        wanted = self.frames - self.hold if self.take is None else self.take
        available = max(0, clip_frames - self.offset)
        return self.frames if available >= wanted else min(self.frames, self.hold + available)


@dataclass(frozen=True)
class Generation:
    """One Speak generation: its audio is `silence` seconds of silence, then the `spans` (seconds) of the speech."""

    shared: bool
    duration: int
    silence: float
    spans: tuple[tuple[float, float], ...]
    pieces: tuple[Piece, ...]
    sentence_key: str = ""  # a shared generation's sentence

    @property
    def audio_seconds(self) -> float:
        return self.silence + sum(end - start for start, end in self.spans)


def sentences_of(timing: dict) -> list[Sentence]:
    """The sentences of the audio step's timings (cues.json). Speech timed before it listed sentences gives its
    caption cues, as the order's own."""
    listed = timing.get("sentences")
    if listed:
        return [Sentence(float(s["start"]), float(s["end"]), bool(s["shared"]), str(s["key"])) for s in listed]
    return [Sentence(float(c["start"]), float(c["end"]), False, "") for c in timing["cues"]]


def speak_duration(seconds: float) -> int:
    """The shortest generation that lasts `seconds`; ValueError when none does."""
    for duration in SPEAK_DURATIONS:
        if seconds <= duration + 1e-6:
            return duration
    raise ValueError(f"{seconds:.2f} s is longer than the longest generation ({SPEAK_DURATIONS[-1]} s)")


def plan_slots(sentences: list[Sentence], duration: float, preroll: float = PREROLL_SECONDS) -> list[Slot]:
    """One slot per sentence, tiling the speech's frames: from PREROLL before its sentence to PREROLL before the
    next one, the first from 0, the last to the end of the speech."""
    total = round(duration * FPS)
    if not sentences or total < len(sentences):
        raise ValueError(f"no slots for {len(sentences)} sentences in {duration:.2f} s of speech")
    wanted = [round((sentence.start - preroll) * FPS) for sentence in sentences]
    firsts = [0]
    for index, frame in enumerate(wanted[1:], start=1):
        # Never an empty slot, and room left for every later one.
        firsts.append(min(max(frame, firsts[-1] + 1), total - (len(sentences) - index)))
    lasts = firsts[1:] + [total]
    return [Slot(first, last, sentence, frame - first)
            for first, last, sentence, frame in zip(firsts, lasts, sentences, wanted)]


def fits_shared(sentence: Sentence, preroll: float = PREROLL_SECONDS) -> bool:
    return sentence.shared and preroll + sentence.seconds <= SPEAK_DURATIONS[-1]


def split_slot(slot: Slot) -> list[tuple[int, int]]:
    """The slot's frames in as few even parts of at most MAX_FRAMES as there can be."""
    parts = math.ceil(slot.frames / MAX_FRAMES)
    bounds = [slot.first + round(n * slot.frames / parts) for n in range(parts + 1)]
    return list(zip(bounds, bounds[1:]))


def shared_generations(slots: list[Slot], preroll: float = PREROLL_SECONDS) -> list[Generation]:
    """One generation per shared sentence (by key), whichever slots it lands in."""
    by_key: dict[str, list[Slot]] = {}
    for slot in slots:
        if fits_shared(slot.sentence, preroll):
            by_key.setdefault(slot.sentence.key, []).append(slot)
    generations = []
    for key, keyed in by_key.items():
        sentence = keyed[0].sentence
        pieces = tuple(Piece(s.first, s.frames, offset=max(0, -s.lead), hold=max(0, s.lead)) for s in keyed)
        covering = min(SPEAK_DURATIONS[-1], preroll + sentence.seconds + LONGEST_PAUSE_SECONDS)
        generations.append(Generation(True, speak_duration(covering), preroll, ((sentence.start, sentence.end),),
                                      pieces, sentence_key=key))
    return generations


@dataclass(frozen=True)
class Part:
    """Frames [first, last) of the clip for an order's own sentence: `hold` frames of lead-in, then the provider's
    clip up to frame `keep`, then its last frame held to `last`."""

    first: int
    last: int
    hold: int
    keep: int
    key: str = ""  # the sentence's audio, for a whole sentence: the same key and length is the same clip

    @property
    def paid(self) -> int:
        return self.keep - self.first - self.hold


def personal_parts(slots: list[Slot], preroll: float = PREROLL_SECONDS) -> list[Part]:
    """The slots no shared generation covers, cut to what must be lip-synced; a slot longer than a generation
    is split into even parts first."""
    parts = []
    for slot in slots:
        if fits_shared(slot.sentence, preroll):
            continue
        bounds = split_slot(slot)
        begins = round((slot.sentence.start - preroll) * FPS)
        ends = round((slot.sentence.end + TAIL_KEEP_SECONDS) * FPS)
        for number, (first, last) in enumerate(bounds):
            hold = max(0, min(begins - first, last - first - 1)) if number == 0 else 0
            keep = max(first + hold + 1, min(last, ends)) if number == len(bounds) - 1 else last
            parts.append(Part(first, last, hold, keep, slot.sentence.key if len(bounds) == 1 else ""))
    return parts


def _billed(packs: list[list[Part]]) -> int:
    return sum(speak_duration(sum(part.paid for part in pack) / FPS) for pack in packs)


def _partitions(parts: list[Part]):
    if not parts:
        yield []
        return
    first, rest = parts[0], parts[1:]
    for partition in _partitions(rest):
        for index in range(len(partition)):
            yield partition[:index] + [[first, *partition[index]]] + partition[index + 1:]
        yield [[first], *partition]


def _fits(pack: list[Part]) -> bool:
    return sum(part.paid for part in pack) <= MAX_FRAMES


def pack_parts(parts: list[Part]) -> list[list[Part]]:
    """The packs of at most a generation's audio that bill the fewest seconds (then the fewest generations); first
    fit in speech order when there are too many parts to try every packing."""
    if len(parts) <= EXHAUSTIVE_PARTS:
        packings = [p for p in _partitions(parts) if all(_fits(pack) for pack in p)]
        best = min(packings, key=lambda p: (_billed(p), len(p)))
        return sorted((sorted(pack, key=lambda part: part.first) for pack in best), key=lambda pack: pack[0].first)
    packs: list[list[Part]] = []
    for part in parts:
        home = next((pack for pack in packs if _fits([*pack, part])), None)
        if home is None:
            packs.append([part])
        else:
            home.append(part)
    return packs


def personal_generations(slots: list[Slot], preroll: float = PREROLL_SECONDS) -> list[Generation]:
    """The order's own parts in their packs; a sentence said twice (the name in the greeting and the goodbye, the
    same audio) is generated once and both its slots are cut from that clip."""
    unique, again = [], []
    for part in personal_parts(slots, preroll):
        same = next((seen for seen in unique if part.key and (seen.key, seen.paid) == (part.key, part.paid)), None)
        if same is None:
            unique.append(part)
        else:
            again.append((part, same))
    generations = []
    for pack in pack_parts(unique):
        offsets = [sum(part.paid for part in pack[:n]) for n in range(len(pack) + 1)]
        at = {id(part): offset for part, offset in zip(pack, offsets)}
        placed = [(part, at[id(part)]) for part in pack]
        placed += [(part, at[id(same)]) for part, same in again if id(same) in at]
        pieces = tuple(sorted((Piece(part.first, part.last - part.first, offset, part.hold, part.paid)
                               for part, offset in placed), key=lambda piece: piece.first))
        spans = tuple(((part.first + part.hold) / FPS, part.keep / FPS) for part in pack)
        generations.append(Generation(False, speak_duration(offsets[-1] / FPS), 0.0, spans, pieces))
    return generations


def plan_generations(slots: list[Slot], preroll: float = PREROLL_SECONDS) -> list[Generation]:
    return shared_generations(slots, preroll) + personal_generations(slots, preroll)
