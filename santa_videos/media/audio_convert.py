"""A provider's audio (MP3, raw PCM, WAV, Opus) turned into the project's speech WAV: 48 kHz mono 16-bit."""

from pathlib import Path

from santa_videos.media.ffmpeg_run import run_ffmpeg
from santa_videos.media.files import atomic_path
from santa_videos.media.speech import SAMPLE_RATE, wav_duration

TAIL_SECONDS = 1.0


def _input_args(source: Path, output_format: str) -> list[str]:
    codec, rate = output_format.split("_")[:2]
    if codec == "pcm":
        return ["-f", "s16le", "-ar", rate, "-ac", "1", "-i", str(source)]
    if codec in ("ulaw", "alaw"):
        return ["-f", {"ulaw": "mulaw", "alaw": "alaw"}[codec], "-ar", rate, "-ac", "1", "-i", str(source)]
    return ["-i", str(source)]


def input_args(source: Path, output_format: str) -> list[str]:
    """FFmpeg's arguments that read `source` in the provider's `output_format` (raw formats have no header)."""
    return _input_args(source, output_format)


def to_speech_wav(source: Path, output_format: str, out: Path, timeout: float) -> float:
    """Decode `source` (in the provider's `output_format`), add a second of silence at the end, write `out`;
    returns its duration. Undecodable bytes raise MediaError."""
    with atomic_path(out) as temp:
        run_ffmpeg(
            ["-protocol_whitelist", "file", *_input_args(source, output_format),
             "-af", f"aresample={SAMPLE_RATE},apad=pad_dur={TAIL_SECONDS}", "-ac", "1", "-c:a", "pcm_s16le", str(temp)],
            timeout,
            "converting the provider's speech to WAV",
        )
    return round(wav_duration(out), 3)
