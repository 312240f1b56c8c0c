"""Santa talks: a face track whose sprite opens his mouth with the loudness of his speech (closed in pauses) and
closes his eyes now and then, laid over his face where it is at each moment.

Loudness serves every voice provider alike (espeak-ng and ElevenLabs both give a WAV; timings differ in detail),
and follows syllables, not just words. The blinks come from the order id, so a re-render looks the same.
"""

import array
import hashlib
import random
import wave
from dataclasses import dataclass
from pathlib import Path

from santa_videos.media.scene import FACE_BOX, SANTA_ORIGIN, ensure_face_sprites
from santa_videos.media.slideshow import slideshow_input, write_slideshow

FPS = 25
SILENT, HALF_OPEN = 0.12, 0.45  # loudness (of the speech's loud level) below which the mouth is closed, half open
LOUD_PERCENTILE = 0.9
BLINK_FRAMES = 3
BLINK_GAP_SECONDS = (2.2, 5.5)
MOUTHS = ("closed", "half", "open")
FACE_CENTER = ((FACE_BOX[0] + FACE_BOX[2]) / 2, (FACE_BOX[1] + FACE_BOX[3]) / 2)
FACE_SIZE = (FACE_BOX[2] - FACE_BOX[0], FACE_BOX[3] - FACE_BOX[1])


@dataclass(frozen=True)
class FacePlacement:
    """Where the face sprite goes: FFmpeg expressions of t for its centre and its turn (None: it does not turn)."""

    x: str
    y: str
    turn: str | None = None


def at_rest() -> FacePlacement:
    return FacePlacement(x=str(SANTA_ORIGIN[0] + FACE_CENTER[0]), y=str(SANTA_ORIGIN[1] + FACE_CENTER[1]))


def _frame_loudness(audio: Path, fps: int) -> list[float]:
    """Root mean square of each video frame's stretch of the speech (every 4th sample is plenty for this)."""
    with wave.open(str(audio)) as source:
        rate, channels, width = source.getframerate(), source.getnchannels(), source.getsampwidth()
        raw = source.readframes(source.getnframes())
    if width != 2:
        raise ValueError(f"{audio.name}: expected 16-bit PCM, got {8 * width}-bit")
    samples = array.array("h", raw)[::channels * 4]
    per_frame = max(1, rate // 4 // fps)
    loudness = []
    for start in range(0, len(samples), per_frame):
        window = samples[start:start + per_frame]
        loudness.append((sum(s * s for s in window) / len(window)) ** 0.5)
    return loudness


def mouth_openings(audio: Path, fps: int = FPS) -> list[int]:
    """Per video frame: 0 closed, 1 half open, 2 open. A frame's mouth leads its sound by one frame, as a speaker's
    does, and no opening lasts a single frame (it would flicker)."""
    loudness = _frame_loudness(audio, fps)
    voiced = sorted(value for value in loudness if value > 30)
    if not voiced:
        return [0] * len(loudness)
    loud = voiced[int(LOUD_PERCENTILE * (len(voiced) - 1))]
    levels = [0 if value < SILENT * loud else 1 if value < HALF_OPEN * loud else 2 for value in loudness]
    levels = levels[1:] + [0]
    for index in range(1, len(levels) - 1):
        if levels[index] != levels[index - 1] and levels[index] != levels[index + 1]:
            levels[index] = max(levels[index - 1], levels[index + 1]) if levels[index] == 0 else levels[index - 1]
    return levels


def blink_frames(order_id: str, frames: int, fps: int = FPS) -> set[int]:
    rng = random.Random(int(hashlib.sha256(f"blink:{order_id}".encode()).hexdigest(), 16))
    closed, moment = set(), rng.uniform(0.8, 2.0)
    while moment * fps < frames:
        first = int(moment * fps)
        closed.update(range(first, first + BLINK_FRAMES))
        if rng.random() < 0.15:  # now and then a double blink
            closed.update(range(first + 2 * BLINK_FRAMES, first + 3 * BLINK_FRAMES))
        moment += rng.uniform(*BLINK_GAP_SECONDS)
    return closed


def write_face_track(order_id: str, audio: Path, duration: float, scene_dir: Path, directory: Path) -> Path:
    """The face sprite for every frame of the video, as a picture track (a new picture only where it changes)."""
    sprites = ensure_face_sprites(scene_dir)
    frames = int(duration * FPS) + 1
    openings = mouth_openings(audio)
    blinks = blink_frames(order_id, frames)
    changes = []
    for frame in range(frames):
        mouth = MOUTHS[openings[frame]] if frame < len(openings) else "closed"
        changes.append((frame / FPS, sprites["closed" if frame in blinks else "open", mouth]))
    directory.mkdir(parents=True, exist_ok=True)
    return write_slideshow(directory / "face.ffconcat", changes, duration)


def lay_face(video, track: Path, placement: FacePlacement):
    """Overlay the face track on `video` (ffmpeg-python stream) at the placement, turned as Santa turns."""
    face = slideshow_input(track)
    if placement.turn is not None:
        face = face.filter("rotate", placement.turn, c="black@0", ow="iw", oh="ih")
    half_w, half_h = FACE_SIZE[0] / 2, FACE_SIZE[1] / 2
    return video.overlay(face, x=f"{placement.x}-{half_w}", y=f"{placement.y}-{half_h}", eof_action="repeat")
