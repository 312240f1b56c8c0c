"""Speech the way the audio step publishes it for lip-sync (audio.wav and cues.json with `sentences`), made here
with espeak-ng so lip-sync tests depend on nothing but the contract: 0.6 s of silence, the sentences with 0.3 s
between two of a caption line and 0.45 s between lines, 1.0 s after the last. A sentence's key is the SHA-256 of
its text: the same text gives the same samples for every order."""

import hashlib
import subprocess
import tempfile
import wave
from functools import lru_cache
from pathlib import Path

import dagster as dg

from santa_videos.assets.clip import clip
from santa_videos.media.files import write_json

RATE = 48_000
LEAD_IN, SENTENCE_PAUSE, LINE_PAUSE, TAIL = 0.6, 0.3, 0.45, 1.0

# (text, shared) per sentence, lines as lists. "{name}" makes a sentence the order's own.
SANTA_LINES = [
    [("Ho ho ho!", True), ("Hello, {name}!", False)],
    [("The elves have been busy in the workshop all year long.", True)],
    [("I heard that you fed the birds every morning, {name}.", False), ("That was very kind of you.", True)],
    [("Be good, and I will see you on Christmas Eve!", True)],
]


@lru_cache(maxsize=64)
def spoken(text: str) -> bytes:
    """espeak-ng's reading of `text` as 48 kHz mono 16-bit samples."""
    with tempfile.TemporaryDirectory(prefix="lipsync-speech-") as folder:
        raw, out = Path(folder) / "raw.wav", Path(folder) / "out.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(raw), "--stdin"], input=text.encode(), check=True,
                       capture_output=True, timeout=60)
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(raw), "-ar", str(RATE), "-ac", "1",
                        "-c:a", "pcm_s16le", str(out)], check=True, capture_output=True, timeout=60)
        with wave.open(str(out)) as source:
            return source.readframes(source.getnframes())


def _silence(seconds: float) -> bytes:
    return b"\0\0" * round(seconds * RATE)


def build_speech(out: Path, name: str = "Emma", lines=None) -> dict:
    """Write the speech to `out` (a WAV); its timings as cues.json holds them."""
    samples, sentences, cues = _silence(LEAD_IN), [], []
    for number, line in enumerate(lines or SANTA_LINES):
        line_start = len(samples) / 2 / RATE
        for index, (pattern, shared) in enumerate(line):
            text = pattern.format(name=name)
            start = len(samples) / 2 / RATE
            samples += spoken(text)
            end = len(samples) / 2 / RATE
            sentences.append({"start": round(start, 4), "end": round(end, 4), "line": number, "shared": shared,
                              "key": hashlib.sha256(text.encode()).hexdigest()})
            if index + 1 < len(line):
                samples += _silence(SENTENCE_PAUSE)
        cues.append({"start": round(line_start, 4), "end": sentences[-1]["end"],
                     "text": " ".join(p.format(name=name) for p, _ in line)})
        samples += _silence(LINE_PAUSE if number + 1 < len(lines or SANTA_LINES) else TAIL)
    with wave.open(str(out), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(RATE)
        target.writeframes(samples)
    return {"duration": round(len(samples) / 2 / RATE, 4), "cues": cues, "words": [], "sentences": sentences}


def publish_speech(world, order_id: str, name: str = "Emma", lines=None) -> dict:
    """Put a built speech where the audio step publishes the order's (the local media store); its timings."""
    audio = world.media_file(order_id, "audio.wav")
    audio.parent.mkdir(parents=True, exist_ok=True)
    timing = build_speech(audio, name, lines)
    write_json(world.media_file(order_id, "cues.json"), timing)
    return timing


def run_clip(world, order_id: str) -> dg.ExecuteInProcessResult:
    """Materialize the clip step alone, on the speech already in the store."""
    return dg.materialize([clip], instance=world.instance, partition_key=order_id,
                          resources=world.definitions().resources, raise_on_error=False)
