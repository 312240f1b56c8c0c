"""Real media for the fakes: speech from espeak-ng in the format a client asked for, and lip-sync stand-in clips whose
picture shows how loud their sound is, so a test can tell whether a delivered picture moves with its sound."""

import io
import math
import operator
import subprocess
import sys
import tempfile
import wave
from array import array
from functools import lru_cache
from pathlib import Path

# ElevenLabs output_format -> FFmpeg output options; raw PCM has no container, WAV has a RIFF header.
_FORMATS = {"mp3": ["-f", "mp3", "-c:a", "libmp3lame"], "pcm": ["-f", "s16le", "-c:a", "pcm_s16le"],
            "wav": ["-f", "wav", "-c:a", "pcm_s16le"], "opus": ["-f", "ogg", "-c:a", "libopus"]}
CLIP_SIZE, CLIP_FPS = (640, 360), 25
FLOOR_DB, FULL_SCALE = -60.0, 32768
DARK, LIGHT = 16, 235  # video range: the gray of silence and of a full-scale sound
BAR_LEFT, BAR_WIDTH = 16, 40
_FLIP_SIGN = bytes(value ^ 0x80 for value in range(256))


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


def wav_seconds(wav_bytes: bytes) -> float:
    """The length of the sound a WAV holds (counted from its samples, not its header); raises wave.Error or
    EOFError when the bytes are no WAV that Python's `wave` reads."""
    with wave.open(io.BytesIO(wav_bytes)) as wav:
        frame_bytes, rate = wav.getsampwidth() * wav.getnchannels(), wav.getframerate()
        return len(wav.readframes(wav.getnframes())) // frame_bytes / rate


def loudness_clip(wav_bytes: bytes, seconds: int) -> bytes:
    """An MP4 standing in for a lip-synced clip: `seconds` long at CLIP_FPS, each frame as bright as the audio is loud
    over that frame's 1/CLIP_FPS window, with a level bar at the left; the audio, padded with silence, as AAC."""
    levels = frame_levels_db(wav_bytes, CLIP_FPS, seconds * CLIP_FPS)
    with tempfile.TemporaryDirectory(prefix="fake-clip-") as folder:
        audio, out = Path(folder) / "speech.wav", Path(folder) / "clip.mp4"
        audio.write_bytes(wav_bytes)
        width, height = CLIP_SIZE
        encoder = subprocess.Popen(
            ["ffmpeg", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{width}x{height}",
             "-r", str(CLIP_FPS), "-i", "pipe:0", "-i", str(audio), "-map", "0:v", "-map", "1:a", "-af", "apad",
             "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
             "-movflags", "+faststart", str(out)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            for level in levels:
                encoder.stdin.write(_level_frame(level))
        except BrokenPipeError:
            pass  # FFmpeg stopped early; its own message says why
        _, errors = encoder.communicate(timeout=120)
        if encoder.returncode != 0:
            raise subprocess.CalledProcessError(encoder.returncode, encoder.args, stderr=errors)
        return out.read_bytes()


def frame_levels_db(wav_bytes: bytes, fps: int, frames: int) -> list[float]:
    """The RMS level (dBFS, at least FLOOR_DB) of each 1/fps window of the WAV's sound, all channels together;
    windows past its end are silence."""
    with wave.open(io.BytesIO(wav_bytes)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        samples = _pcm16(wav.readframes(wav.getnframes()), wav.getsampwidth())
    levels = []
    for index in range(frames):
        start, end = (round(n * rate / fps) * channels for n in (index, index + 1))
        window = samples[start:end]
        energy = sum(map(operator.mul, window, window)) / (end - start)
        levels.append(max(FLOOR_DB, 10 * math.log10(energy / FULL_SCALE**2)) if energy else FLOOR_DB)
    return levels


def level_gray(level_db: float) -> int:
    return round(DARK + (level_db - FLOOR_DB) / -FLOOR_DB * (LIGHT - DARK))


def _level_frame(level_db: float) -> bytes:
    """The whole frame is the level's gray but for a dark track at the left in which a light bar rises."""
    width, height = CLIP_SIZE
    background = bytes([level_gray(level_db)])
    left, right = background * BAR_LEFT, background * (width - BAR_LEFT - BAR_WIDTH)
    track, bar = left + bytes([DARK]) * BAR_WIDTH + right, left + bytes([LIGHT]) * BAR_WIDTH + right
    bar_rows = round((level_db - FLOOR_DB) / -FLOOR_DB * height)
    return track * (height - bar_rows) + bar * bar_rows


def _pcm16(frames: bytes, width: int) -> array:
    """Samples of any width `wave` reads as signed 16-bit: the two most significant bytes of each sample
    (8-bit WAV samples are unsigned, so their sign bit is flipped)."""
    if width == 1:
        high, low = frames.translate(_FLIP_SIGN), bytes(len(frames))
    else:
        high, low = frames[width - 1::width], frames[width - 2::width]
    pairs = bytearray(2 * len(high))
    pairs[0::2], pairs[1::2] = low, high
    samples = array("h", pairs)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples
