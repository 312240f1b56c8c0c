"""Measurements of delivered media: whether a video's picture moves with its sound, and how evenly loud a set of
speech files is.

The fake Higgsfield paints each frame of a lip-sync clip as bright as its audio is loud over that frame
(fakes/media.py). A video whose picture and sound come from the same speech, in step, shows brightness that follows
the loudness of its soundtrack; a clip shifted, looped or made from other audio does not. The sound is measured here
from the delivered file itself, decoded by FFmpeg, independently of how the fake measured it.
"""

import math
import re
import subprocess
import sys
from array import array
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

FLOOR_DB, FULL_SCALE = -60.0, 32768
SAMPLE_RATE = 48000
# Left, top, right, bottom as fractions of the frame: the title lies near the top, the captions near the bottom,
# and the child's photo book on the left while Santa says the name.
REGION = (0.45, 0.35, 0.80, 0.60)
REGION_SAMPLES = (16, 8)  # the region is averaged down to this many pixels per frame by FFmpeg's area scaling


def picture_follows_sound(video: Path) -> float:
    """The Pearson correlation, over every frame, between the brightness of the frame's REGION and the loudness of
    the sound over that frame's 1/fps window: near 1 when the picture follows the sound, near 0 when it does not."""
    brightness, fps = brightness_per_frame(video)
    loudness = loudness_db_per_frame(decode_sound(video), SAMPLE_RATE, fps, len(brightness))
    return pearson(brightness, loudness)


def brightness_per_frame(video: Path) -> tuple[list[float], Fraction]:
    """The mean luma (0..255) of REGION in each frame, in order, and the video's frame rate."""
    left, top, right, bottom = REGION
    width, height = REGION_SAMPLES
    crop = f"crop=iw*{right - left}:ih*{bottom - top}:iw*{left}:ih*{top}"
    pixels = _ffmpeg(["-i", str(video), "-map", "0:v:0", "-vf", f"{crop},scale={width}:{height}:flags=area",
                      "-fps_mode", "passthrough", "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"])
    size = width * height
    means = [sum(pixels[start:start + size]) / size for start in range(0, len(pixels) - size + 1, size)]
    return means, frame_rate(video)


def decode_sound(media: Path) -> array:
    """The first audio stream as mono signed 16-bit samples at SAMPLE_RATE."""
    samples = array("h", _ffmpeg(["-i", str(media), "-map", "0:a:0", "-ac", "1", "-ar", str(SAMPLE_RATE),
                                  "-c:a", "pcm_s16le", "-f", "s16le", "pipe:1"]))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def loudness_db_per_frame(samples: Sequence[int], rate: int, fps: float, frames: int) -> list[float]:
    """The RMS level in dBFS (at least FLOOR_DB) of mono 16-bit `samples` over each frame's 1/fps window, frame i
    covering [i/fps, (i+1)/fps); a window past the end of the sound counts as silence."""
    levels = []
    for index in range(frames):
        start, end = round(index * rate / fps), round((index + 1) * rate / fps)
        energy = sum(sample * sample for sample in samples[start:end]) / max(1, end - start)
        levels.append(max(FLOOR_DB, 10 * math.log10(energy / FULL_SCALE**2)) if energy else FLOOR_DB)
    return levels


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The correlation of two equally long series; 0.0 when either does not vary (nothing follows a constant)."""
    if len(xs) != len(ys):
        raise ValueError(f"series of different lengths: {len(xs)} and {len(ys)}")
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    spread_x = math.sqrt(sum((x - mean_x) ** 2 for x in xs))
    spread_y = math.sqrt(sum((y - mean_y) ** 2 for y in ys))
    return covariance / (spread_x * spread_y) if spread_x and spread_y else 0.0


def frame_rate(video: Path) -> Fraction:
    output = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=r_frame_rate",
         "-of", "default=noprint_wrappers=1:nokey=1", str(video)],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout
    return Fraction(output.strip())


def integrated_loudness_lufs(audio: Path) -> float:
    """The integrated loudness (EBU R 128) of a file's first audio stream, from FFmpeg's ebur128 summary."""
    report = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", str(audio), "-map", "0:a:0", "-af", "ebur128",
         "-f", "null", "-"],
        check=True, capture_output=True, text=True, timeout=120,
    ).stderr
    found = re.search(r"Summary:.*?\bI:\s+(-?(?:inf|[\d.]+)) LUFS", report, re.DOTALL)
    if found is None:
        raise ValueError(f"no integrated loudness in FFmpeg's ebur128 summary of {audio}")
    return float(found[1])


def loudness_spread_lu(wavs: list[Path]) -> float:
    """How far apart, in LU, the loudest and the quietest of the files are (integrated loudness)."""
    loudness = [integrated_loudness_lufs(wav) for wav in wavs]
    return max(loudness) - min(loudness)


def _ffmpeg(arguments: list[str]) -> bytes:
    return subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", *arguments],
                          check=True, capture_output=True, timeout=300).stdout
