"""Real media for the fakes: speech from espeak-ng in the format a client asked for, and a small H.264 MP4."""

import subprocess
import tempfile
import wave
from functools import lru_cache
from pathlib import Path

# ElevenLabs output_format -> FFmpeg output options; raw PCM has no container, WAV has a RIFF header.
_FORMATS = {"mp3": ["-f", "mp3", "-c:a", "libmp3lame"], "pcm": ["-f", "s16le", "-c:a", "pcm_s16le"],
            "wav": ["-f", "wav", "-c:a", "pcm_s16le"], "opus": ["-f", "ogg", "-c:a", "libopus"]}


def _run(args: list[str], stdin: bytes | None = None) -> bytes:
    return subprocess.run(args, input=stdin, capture_output=True, check=True, timeout=120).stdout


@lru_cache(maxsize=64)
def speech(text: str, output_format: str) -> tuple[bytes, float]:
    """espeak-ng reads `text`; returns the audio encoded as `output_format` (e.g. mp3_44100_128) and its seconds."""
    codec, rate = output_format.split("_")[:2]
    with tempfile.TemporaryDirectory(prefix="fake-tts-") as folder:
        raw = Path(folder) / "speech.wav"
        _run(["espeak-ng", "-v", "en-us", "-s", "170", "-w", str(raw), "--stdin"], stdin=text.encode("utf-8"))
        with wave.open(str(raw)) as source:
            seconds = source.getnframes() / source.getframerate()
        audio = _run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(raw), "-ar", rate, "-ac", "1",
                      *_FORMATS[codec], "pipe:1"])
    return audio, seconds


@lru_cache(maxsize=4)
def talking_clip(seconds: float = 3.0) -> bytes:
    """A small MP4 (H.264 + AAC) standing in for a generated talking-portrait video."""
    with tempfile.TemporaryDirectory(prefix="fake-clip-") as folder:
        out = Path(folder) / "clip.mp4"
        _run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={seconds}",
              "-f", "lavfi", "-i", f"sine=frequency=220:duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast",
              "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(out)])
        return out.read_bytes()
