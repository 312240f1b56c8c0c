"""The final video: the clip under Santa's voice, the child's name and the captions burned in, encoded per the
delivery spec (1280x720 Lanczos, yuv420p, H.264 High@4.0 CRF 23, AAC 48 kHz, fast start), plus a thumbnail.

User text never enters the filter graph: each text is written to a file and drawn with `textfile=` and
`expansion=none`, so `%{...}`, quotes, colons and backslashes appear literally.
"""

import textwrap
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from santa_videos.media.ffmpeg_run import run_ffmpeg
from santa_videos.media.files import atomic_path, write_text
from santa_videos.media.speech import Cue

WIDTH, HEIGHT = 1280, 720
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
CAPTION_WRAP_CHARS = 46


@dataclass(frozen=True)
class EncodeSettings:
    preset: str = "veryfast"
    crf: int = 23
    threads: int = 0
    timeout_seconds: float = 600


def write_caption_files(title: str, cues: list[Cue], directory: Path) -> tuple[Path, list[Path]]:
    """One UTF-8 file per text; captions are wrapped by us because drawtext never wraps."""
    directory.mkdir(parents=True, exist_ok=True)
    title_file = write_text(directory / "title.txt", title)
    cue_files = [
        write_text(directory / f"cue-{number:02d}.txt", "\n".join(textwrap.wrap(cue.text, CAPTION_WRAP_CHARS)))
        for number, cue in enumerate(cues)
    ]
    return title_file, cue_files


def _draw(stream, text_file: Path, **options):
    return stream.drawtext(
        textfile=str(text_file), expansion="none", fontfile=str(FONT), fontcolor="white",
        borderw=3, bordercolor="black@0.8", x="(w-text_w)/2", **options,
    )


def compose_video(
    clip: Path, audio: Path, duration: float, title_file: Path, cues: list[Cue], cue_files: list[Path],
    out: Path, settings: EncodeSettings,
) -> Path:
    # The clip loops if it is shorter than the speech; the output stops with the speech.
    video = ffmpeg.input(str(clip), stream_loop=-1, protocol_whitelist="file").video
    video = video.filter("scale", WIDTH, HEIGHT, flags="lanczos", force_original_aspect_ratio="decrease")
    video = video.filter("pad", WIDTH, HEIGHT, "(ow-iw)/2", "(oh-ih)/2").filter("setsar", 1)
    video = _draw(video, title_file, fontsize=58, y=36)
    for cue, cue_file in zip(cues, cue_files):
        video = _draw(
            video, cue_file, fontsize=38, line_spacing=8, y="h-text_h-48", box=1, boxcolor="black@0.45",
            boxborderw=14, enable=f"between(t,{cue.start:.3f},{cue.end:.3f})",
        )
    video = video.filter("format", "yuv420p")
    sound = ffmpeg.input(str(audio), protocol_whitelist="file").audio
    sound = sound.filter("loudnorm", i=-16, tp=-1.5, lra=11).filter("aresample", 48000)
    with atomic_path(out) as temp:
        stream = ffmpeg.output(
            video, sound, str(temp), vcodec="libx264", preset=settings.preset, crf=settings.crf,
            **{"profile:v": "high", "level:v": "4.0", "b:a": "128k"}, pix_fmt="yuv420p",
            acodec="aac", ar=48000, ac=2, movflags="+faststart", t=f"{duration:.3f}", threads=settings.threads,
        )
        run_ffmpeg(stream.get_args(), settings.timeout_seconds, "encoding the final video")
    return out


def write_thumbnail(video: Path, duration: float, out: Path, timeout: float) -> Path:
    with atomic_path(out) as temp:
        stream = ffmpeg.input(str(video), ss=f"{min(2.0, duration / 2):.3f}", protocol_whitelist="file").output(
            str(temp), vframes=1, **{"q:v": 3}, f="image2", vcodec="mjpeg"
        )
        run_ffmpeg(stream.get_args(), timeout, "writing the thumbnail")
    return out
