"""The final video: the clip with Santa's talking face laid on when the clip needs it, the child's photo in the
Nice List book, the name as the title and the captions, all under Santa's voice; encoded per the delivery spec
(1280x720 Lanczos, yuv420p, H.264 High@4.0 CRF 23, AAC 48 kHz, fast start), plus a thumbnail.

Texts and the photo are pictures made with Pillow (typeset.py, photo_card.py) and overlaid: user text never enters
the filter graph. This encode decodes and encodes every frame anyway, so a few small overlays cost little here,
where a template clip (a stream copy of pre-rendered loops) would have to be encoded again to carry them.
"""

from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from santa_videos.media.captions import CAPTION_BOTTOM, TITLE_TOP, render_text_layers
from santa_videos.media.clip_library import template_face_placement
from santa_videos.media.face import lay_face, write_face_track
from santa_videos.media.ffmpeg_run import run_ffmpeg
from santa_videos.media.files import atomic_path
from santa_videos.media.photo_card import card_window, lay_card, render_photo_card
from santa_videos.media.slideshow import overlay_picture
from santa_videos.media.speech import Cue

WIDTH, HEIGHT = 1280, 720


@dataclass(frozen=True)
class EncodeSettings:
    preset: str = "veryfast"
    crf: int = 23
    threads: int = 0
    timeout_seconds: float = 600


@dataclass(frozen=True)
class VideoParts:
    """What one order's video is made of."""

    order_id: str
    clip: Path
    audio: Path
    duration: float
    cues: list[Cue]
    title: str
    language: str
    photo: Path | None = None


@dataclass(frozen=True)
class Composed:
    path: Path
    face_laid: bool  # Santa's talking face was laid over the clip here (template clips)
    photo_shown: bool


def compose_video(parts: VideoParts, out: Path, workdir: Path, scene_dir: Path, settings: EncodeSettings,
                  layers: bool = True) -> Composed:
    """`layers=False` leaves out the talking face and the photo (the bench measures what they cost)."""
    workdir.mkdir(parents=True, exist_ok=True)
    # The clip loops if it is shorter than the speech; the output stops with the speech.
    video = ffmpeg.input(str(parts.clip), stream_loop=-1, protocol_whitelist="file").video
    placement = template_face_placement(parts.clip) if layers else None
    if placement is not None:
        video = lay_face(video, write_face_track(parts.order_id, parts.audio, parts.duration, scene_dir, workdir),
                         placement)
    video = video.filter("scale", WIDTH, HEIGHT, flags="lanczos", force_original_aspect_ratio="decrease")
    video = video.filter("pad", WIDTH, HEIGHT, "(ow-iw)/2", "(oh-ih)/2").filter("setsar", 1)
    photo_shown = layers and parts.photo is not None
    if photo_shown:
        card = render_photo_card(parts.photo, parts.title, parts.language, workdir / "photo-card.png")
        video = lay_card(video, card, card_window(parts.cues, parts.title, parts.duration), HEIGHT)
    text = render_text_layers(parts.title, parts.cues, workdir)
    video = overlay_picture(video, text.title, x="(W-w)/2", y=TITLE_TOP)
    for caption in text.captions:
        # Shown from its start up to (not at) its end, so a caption and the next never share a frame.
        video = overlay_picture(video, caption.picture, x="(W-w)/2", y=f"H-h-{CAPTION_BOTTOM}",
                                enable=f"gte(t,{caption.start})*lt(t,{caption.end})")
    video = video.filter("format", "yuv420p")
    sound = ffmpeg.input(str(parts.audio), protocol_whitelist="file").audio
    sound = sound.filter("loudnorm", i=-16, tp=-1.5, lra=11).filter("aresample", 48000)
    with atomic_path(out) as temp:
        stream = ffmpeg.output(
            video, sound, str(temp), vcodec="libx264", preset=settings.preset, crf=settings.crf,
            **{"profile:v": "high", "level:v": "4.0", "b:a": "128k"}, pix_fmt="yuv420p",
            acodec="aac", ar=48000, ac=2, movflags="+faststart", t=f"{parts.duration:.3f}", threads=settings.threads,
        )
        run_ffmpeg(stream.get_args(), settings.timeout_seconds, "encoding the final video")
    return Composed(out, placement is not None, photo_shown)


def write_thumbnail(video: Path, duration: float, out: Path, timeout: float) -> Path:
    with atomic_path(out) as temp:
        stream = ffmpeg.input(str(video), ss=f"{min(2.0, duration / 2):.3f}", protocol_whitelist="file").output(
            str(temp), vframes=1, **{"q:v": 3}, f="image2", vcodec="mjpeg"
        )
        run_ffmpeg(stream.get_args(), timeout, "writing the thumbnail")
    return out
