"""One sentence of speech as the project keeps it: 48 kHz mono 16-bit, cut to its words, at one loudness.

Sentences made at different times, by separate requests, are laid side by side in one speech: each is brought to
the same integrated loudness (EBU R128, measured by FFmpeg's ebur128 filter) so no sentence stands out.
"""

import re
import sys
import warnings
import wave
from pathlib import Path

from santa_videos.media.ffmpeg_run import run_ffmpeg_for_log
from santa_videos.media.files import atomic_path
from santa_videos.media.speech import SAMPLE_RATE, wav_duration

with warnings.catch_warnings():
    # Python 3.11 warns that the module leaves the standard library in 3.13 (its maintained copy, audioop-lts, is
    # the way on from there). Its C loop scales a sentence in well under a millisecond; a Python loop took 50 ms.
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

TARGET_LUFS = -20.0
MAX_GAIN_DB = 24.0
SILENCE_THRESHOLD = "-50dB"
INTEGRATED = re.compile(r"^\s*I:\s+(-?\d+(?:\.\d+)?)\s+LUFS", re.MULTILINE)


def _silence_trim() -> list[str]:
    # Leading silence off, then the same from the end (reversed twice).
    cut = f"silenceremove=start_periods=1:start_threshold={SILENCE_THRESHOLD}:start_silence=0.04"
    return [cut, "areverse", cut, "areverse"]


def level_sentence(
    source_args: list[str], out: Path, timeout: float, start: float | None = None, end: float | None = None,
    trim_silence: bool = False,
) -> float:
    """The audio FFmpeg reads with `source_args` (["-i", path], or a raw format's options and -i) cut to
    [start, end] seconds or trimmed of its silent ends, written to `out` at TARGET_LUFS; returns its seconds."""
    filters = []
    if start is not None or end is not None:
        bounds = [f"start={start:.3f}"] if start is not None else []
        bounds += [f"end={end:.3f}"] if end is not None else []
        filters += [f"atrim={':'.join(bounds)}", "asetpts=PTS-STARTPTS"]
    if trim_silence:
        filters += _silence_trim()
    # ebur128 works in its own sample format: resampled again after it; its per-frame log is below level info.
    filters += [f"aresample={SAMPLE_RATE}", "ebur128=framelog=verbose", f"aresample={SAMPLE_RATE}"]
    with atomic_path(out) as temp:
        log = run_ffmpeg_for_log(
            ["-protocol_whitelist", "file", *source_args, "-af", ",".join(filters),
             "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", str(temp)],
            timeout, "levelling a sentence of speech",
        )
        measured = INTEGRATED.findall(log)
        # Too short or silent to measure (ebur128 then says -70): left as it is.
        if measured and float(measured[-1]) > -70:
            apply_gain(temp, max(-MAX_GAIN_DB, min(MAX_GAIN_DB, TARGET_LUFS - float(measured[-1]))))
    return round(wav_duration(out), 3)


def apply_gain(path: Path, gain_db: float) -> None:
    """Scale a 16-bit WAV in place by `gain_db`, clipping at full scale."""
    with wave.open(str(path)) as source:
        params = source.getparams()
        samples = source.readframes(source.getnframes())
    # WAV samples are little-endian; audioop works in the machine's byte order.
    if sys.byteorder == "big":
        samples = audioop.byteswap(samples, params.sampwidth)
    scaled = audioop.mul(samples, params.sampwidth, 10 ** (gain_db / 20))
    if sys.byteorder == "big":
        scaled = audioop.byteswap(scaled, params.sampwidth)
    with wave.open(str(path), "wb") as target:
        target.setparams(params)
        target.writeframes(scaled)
