"""The `lipsync` clip strategy: Santa's lips move to the whole speech, made of Speak generations of at most 15 s.

The speech is cut into slots, one per sentence (media/lipsync_segments.py). A shared sentence's generation is made
once for every order with the same portrait and model settings and kept under the store's shared prefix; an order's
own sentences are packed into generations kept under the order (erasing the order removes them). The pieces are
then put together into the clip in one FFmpeg run (media/clip_concat.py).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from santa_videos.media.clip_concat import SourceClip, assemble_clip, clip_frames
from santa_videos.media.ffmpeg_run import MediaError
from santa_videos.media.files import publish_copy
from santa_videos.media.lipsync_audio import SpeechAudio
from santa_videos.media.lipsync_segments import (
    FPS, PREROLL_SECONDS, Generation, plan_generations, plan_slots, sentences_of,
)
from santa_videos.orders.lipsync_ledger import LipsyncLedger
from santa_videos.providers.retry import Attempts
from santa_videos.resources.higgsfield import HiggsfieldClips
from santa_videos.resources.lipsync_generations import Generations, Wanted
from santa_videos.resources.media_store import MediaStore

SEGMENT_VERSION = 1


@dataclass
class LipsyncCosts:
    """What the lip-sync strategy made and paid for in this run, filled in even when it fails midway."""

    segments: int = 0  # pieces of the clip
    generations: int = 0  # paid for by this run
    seconds_billed: int = 0  # the durations of those generations
    reused: int = 0  # pieces from a clip this run did not pay for (shared, or from an earlier attempt)
    coverage: float = 0.0  # share of the speech shown with a clip made from its own audio
    request_ids: list[str] = field(default_factory=list)
    resumed: bool = False  # a request id an earlier attempt or another run saved was polled


@dataclass
class OrderShelf:
    """Clips of shared generations under the store's shared prefix, the order's own under the order."""

    media: MediaStore
    order_id: str
    into: Path

    def find(self, wanted: Wanted) -> Path | None:
        if wanted.shared:
            return self.media.fetch_shared(wanted.name, self.into)
        return self.media.fetch(self.order_id, wanted.name, self.into)

    def keep(self, wanted: Wanted, clip: Path) -> Path:
        # The store may move what it stores: it gets a link, and this run keeps using `clip`.
        stored = publish_copy(clip, clip.with_name(f"stored-{clip.name}"))
        if wanted.shared:
            self.media.publish_shared(wanted.name, stored)
        else:
            self.media.publish(self.order_id, wanted.name, stored)
        return clip


def generation_key(generation: Generation, audio_sha256: str, portrait_sha256: str, config: HiggsfieldClips) -> str:
    """The identity of a generation: what the provider is given, so the same key means the same clip. A shared
    one is named by its sentence (its audio is the same for every order), an order's own by its audio."""
    identity = {
        "version": SEGMENT_VERSION, "portrait": portrait_sha256, "model": config.model_path,
        "prompt": config.prompt, "quality": config.quality, "duration": generation.duration,
    }
    if generation.shared:
        identity.update(sentence=generation.sentence_key, preroll=PREROLL_SECONDS)
    else:
        identity.update(audio=audio_sha256)
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wanted_generations(order_id: str, timing: dict, speech: Path, portrait: Path, config: HiggsfieldClips,
                       workdir: Path) -> tuple[list[Wanted], int]:
    """The generations the order's clip needs, with their audio written, and the clip's length in frames."""
    slots = plan_slots(sentences_of(timing), float(timing["duration"]))
    audio, portrait_sha256 = SpeechAudio(speech), _file_sha256(portrait)
    by_key: dict[str, Wanted] = {}
    for number, generation in enumerate(plan_generations(slots)):
        path = workdir / "audio" / f"generation-{number:02d}.wav"
        key = generation_key(generation, audio.write(generation, path), portrait_sha256, config)
        ledger_key = key if generation.shared else f"{order_id}/{key}"
        if ledger_key in by_key:  # the same audio twice: one generation serves both
            known = by_key[ledger_key]
            known.plan = replace(known.plan, pieces=known.plan.pieces + generation.pieces)
            continue
        by_key[ledger_key] = Wanted(generation, ledger_key, f"lipsync/{key}.mp4",
                                    None if generation.shared else order_id, path)
    return list(by_key.values()), slots[-1].last


def render_lipsync(
    config: HiggsfieldClips, order_id: str, timing: dict, speech: Path, portrait: Path, out: Path, workdir: Path,
    media: MediaStore, ledger: LipsyncLedger, calls: dict[str, int], costs: LipsyncCosts, log: Callable[[str], None],
    timeout: float, threads: int = 0,
) -> Path:
    """Write the order's lip-sync clip to `out`, exactly as long as the speech. Raises ProviderError (or
    MediaError) when it cannot; clips already made stay stored."""
    try:
        wanted, total_frames = wanted_generations(order_id, timing, speech, portrait, config, workdir)
    except (KeyError, ValueError) as exc:
        raise MediaError(f"the speech's timings cannot be cut into lip-sync segments ({exc})") from None
    costs.segments = sum(len(item.plan.pieces) for item in wanted)
    (workdir / "downloads").mkdir(parents=True, exist_ok=True)
    shelf = OrderShelf(media, order_id, workdir / "stored")
    try:
        with config.session(calls, Attempts(), log) as session:
            Generations(config, session, ledger, shelf, portrait, workdir / "downloads", log).run(wanted)
    finally:
        paid = [item for item in wanted if item.submitted and item.state == "done"]
        costs.generations = len(paid)
        costs.seconds_billed = sum(item.plan.duration for item in paid)
        costs.reused = sum(len(item.plan.pieces) for item in wanted if item.state == "done" and not item.submitted)
        costs.request_ids = [item.request_id for item in wanted if item.request_id]
        costs.resumed = any(item.request_id and not item.submitted for item in wanted)
    sources = [SourceClip(item.clip, clip_frames(item.clip), item.plan.pieces) for item in wanted]
    assemble_clip(sources, total_frames, out, timeout, threads)
    covered = sum(piece.covered(source.frames) for source in sources for piece in source.pieces)
    costs.coverage = round(covered / total_frames, 4)
    log(f"lip-sync: {costs.segments} pieces from {len(wanted)} generations, {costs.generations} paid now "
        f"({costs.seconds_billed} s), {costs.reused} reused; {covered / FPS:.2f} s of {total_frames / FPS:.2f} s "
        "of speech under a clip of its own audio")
    return out
