"""Local speech with espeak-ng: one WAV per line, joined with pauses, so each caption knows when it is spoken."""

import wave
from dataclasses import asdict, dataclass
from pathlib import Path

from santa_videos.media.ffmpeg_run import MediaError, run_ffmpeg, run_tool
from santa_videos.media.files import atomic_path

LEAD_IN_SECONDS = 0.6
PAUSE_SECONDS = 0.45
TAIL_SECONDS = 1.0
SAMPLE_RATE = 48_000

# A deep, unhurried male voice per language (espeak-ng voice + variant).
ESPEAK_VOICES = {"en": "en-us+m3", "es": "es+m3"}


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Speech:
    path: Path
    duration: float
    cues: list[Cue]

    def cues_json(self) -> list[dict]:
        return [asdict(cue) for cue in self.cues]


def speak_line(text: str, language: str, out: Path, speed: int, pitch: int, timeout: float) -> None:
    if language not in ESPEAK_VOICES:
        raise MediaError(f"espeak-ng has no Santa voice for language {language!r}")
    # Text goes in on stdin, never as an argument: a line starting with "-" must not become an option.
    run_tool(
        ["espeak-ng", "-v", ESPEAK_VOICES[language], "-s", str(speed), "-p", str(pitch), "-w", str(out), "--stdin"],
        timeout,
        "espeak-ng",
        stdin_text=text,
    )


def synthesize(
    lines: list[tuple[str, str]], language: str, out: Path, workdir: Path,
    speed: int = 135, pitch: int = 22, timeout: float = 120,
) -> Speech:
    """Speak each (spoken, caption) pair; write a 48 kHz mono WAV to `out` with the caption cues."""
    if language not in ESPEAK_VOICES:
        raise MediaError(f"espeak-ng has no Santa voice for language {language!r}")
    workdir.mkdir(parents=True, exist_ok=True)
    parts = []
    for number, (spoken, _caption) in enumerate(lines):
        part = workdir / f"line-{number:02d}.wav"
        speak_line(spoken, language, part, speed, pitch, timeout)
        parts.append(part)
    try:
        with wave.open(str(parts[0])) as first:
            params = first.getparams()
        rate, frame_bytes = params.framerate, params.sampwidth * params.nchannels
        cues, position = [], LEAD_IN_SECONDS
        with atomic_path(workdir / "joined.wav") as joined_temp:
            with wave.open(str(joined_temp), "wb") as joined:
                joined.setparams(params)
                joined.writeframes(b"\0" * int(LEAD_IN_SECONDS * rate) * frame_bytes)
                for part, (_spoken, caption) in zip(parts, lines):
                    with wave.open(str(part)) as source:
                        frames = source.readframes(source.getnframes())
                    length = len(frames) / frame_bytes / rate
                    cues.append(Cue(start=round(position, 3), end=round(position + length, 3), text=caption))
                    joined.writeframes(frames)
                    pause = PAUSE_SECONDS if part is not parts[-1] else TAIL_SECONDS
                    joined.writeframes(b"\0" * int(pause * rate) * frame_bytes)
                    position += length + pause
        with atomic_path(out) as temp:
            run_ffmpeg(
                ["-i", str(workdir / "joined.wav"), "-af", f"aresample={SAMPLE_RATE}", "-ac", "1",
                 "-c:a", "pcm_s16le", str(temp)],
                timeout,
                "resampling the speech",
            )
    finally:
        for part in parts:
            part.unlink(missing_ok=True)
        (workdir / "joined.wav").unlink(missing_ok=True)
    return Speech(path=out, duration=round(position, 3), cues=cues)


def wav_duration(path: Path) -> float:
    with wave.open(str(path)) as source:
        return source.getnframes() / source.getframerate()
