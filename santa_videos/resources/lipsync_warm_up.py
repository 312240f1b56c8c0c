"""Shared sentences lip-synced before the season: each one's generation made once, kept under the store's shared
prefix, exactly as an order that says the sentence would make it (same key, same audio), so the orders only find it.

Sentences go to the provider in batches laid out as a speech (lead-in, sentences a long pause apart): one session,
up to `max_in_flight` generations at a time, as an order's clip does.
"""

import hashlib
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from santa_videos.media.lipsync_segments import (
    LONGEST_PAUSE_SECONDS, Sentence, fits_shared, plan_slots, shared_generations,
)
from santa_videos.orders.lipsync_ledger import LipsyncLedger
from santa_videos.providers.retry import Attempts
from santa_videos.resources.higgsfield import HiggsfieldClips
from santa_videos.resources.lipsync_clip import OrderShelf, generation_key, wanted_generations
from santa_videos.resources.lipsync_generations import Generations
from santa_videos.resources.media_store import MediaStore

LEAD_IN_SECONDS = 0.6
BATCH = 12
WARM_UP_OWNER = "warm-up"  # never an order: every generation here is shared


@dataclass(frozen=True)
class SpokenSentence:
    key: str  # its audio's cache key
    audio: Path  # 48 kHz mono WAV, as cached
    seconds: float


@dataclass
class WarmLipsync:
    generations: int = 0
    seconds_billed: int = 0
    already_made: int = 0
    too_long: int = 0  # longer than one generation holds: made per order instead


def portrait_sha256(portrait: Path) -> str:
    return hashlib.sha256(portrait.read_bytes()).hexdigest()


def shared_clip_name(config: HiggsfieldClips, portrait_sha: str, key: str, seconds: float) -> tuple[str, int]:
    """The shared clip an order saying this sentence would use, and the generation's duration."""
    sentence = Sentence(LEAD_IN_SECONDS, LEAD_IN_SECONDS + seconds, True, key)
    (generation,) = shared_generations(plan_slots([sentence], LEAD_IN_SECONDS + seconds + LONGEST_PAUSE_SECONDS))
    return f"lipsync/{generation_key(generation, '', portrait_sha, config)}.mp4", generation.duration


def is_made(media: MediaStore, name: str) -> bool:
    return media.backend().stat(media.shared_key(name)) is not None


def warm_shared_lipsync(
    config: HiggsfieldClips, media: MediaStore, ledger: LipsyncLedger, portrait: Path, sentences: list[SpokenSentence],
    workdir: Path, calls: dict[str, int], log: Callable[[str], None],
) -> WarmLipsync:
    """Make the shared clips of `sentences` that are not yet made; returns what that billed."""
    result, portrait_sha, todo = WarmLipsync(), portrait_sha256(portrait), []
    for sentence in sentences:
        if not fits_shared(Sentence(0.0, sentence.seconds, True, sentence.key)):
            result.too_long += 1
        elif is_made(media, shared_clip_name(config, portrait_sha, sentence.key, sentence.seconds)[0]):
            result.already_made += 1
        else:
            todo.append(sentence)
    for number in range(0, len(todo), BATCH):
        folder = workdir / f"batch-{number // BATCH:03d}"
        folder.mkdir(parents=True)
        timing = _lay_out(todo[number:number + BATCH], folder / "speech.wav")
        wanted, _ = wanted_generations(WARM_UP_OWNER, timing, folder / "speech.wav", portrait, config, folder)
        try:
            with config.session(calls, Attempts(), log) as session:
                Generations(config, session, ledger, OrderShelf(media, WARM_UP_OWNER, folder / "stored"), portrait,
                            folder, log).run(wanted)
        finally:
            paid = [item for item in wanted if item.submitted and item.state == "done"]
            result.generations += len(paid)
            result.seconds_billed += sum(item.plan.duration for item in paid)
    return result


def _lay_out(sentences: list[SpokenSentence], out: Path) -> dict:
    """The sentences as one speech (lead-in, the longest pause after each), and its timings as cues.json has them."""
    with wave.open(str(sentences[0].audio)) as first:
        params = first.getparams()
    rate, frame_bytes = params.framerate, params.sampwidth * params.nchannels
    listed, position = [], int(LEAD_IN_SECONDS * rate)
    with wave.open(str(out), "wb") as speech:
        speech.setparams(params)
        speech.writeframes(b"\0" * position * frame_bytes)
        for sentence in sentences:
            with wave.open(str(sentence.audio)) as source:
                frames = source.readframes(source.getnframes())
            start = position / rate
            position += len(frames) // frame_bytes
            listed.append({"start": round(start, 3), "end": round(position / rate, 3), "shared": True,
                           "key": sentence.key, "line": len(listed)})
            pause = int(LONGEST_PAUSE_SECONDS * rate)
            speech.writeframes(frames + b"\0" * pause * frame_bytes)
            position += pause
    return {"duration": round(position / rate, 3), "sentences": listed, "cues": []}
