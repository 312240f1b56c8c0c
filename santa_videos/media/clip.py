"""The `still` strategy's clip: the North Pole scene with Santa, slowly zooming, with falling snow, as long as the
audio. (The `template` strategy cuts its clip from the loops of clip_library.py.)"""

from pathlib import Path

import ffmpeg

from santa_videos.media.ffmpeg_run import run_ffmpeg
from santa_videos.media.files import atomic_path
from santa_videos.media.scene import HEIGHT, WIDTH, ensure_scene

FPS = 25


def _still(path: Path, pixel_format: str):
    # Decode and convert the picture once, then repeat the frame: far cheaper than re-reading it per frame.
    picture = ffmpeg.input(str(path), f="image2", framerate=FPS, protocol_whitelist="file")
    return picture.filter("format", pixel_format).filter("loop", loop=-1, size=1, start=0)


def render_still_clip(duration: float, out: Path, scene_dir: Path, timeout: float, threads: int) -> Path:
    layers = ensure_scene(scene_dir)
    background = _still(layers.background, "yuv420p")
    santa = _still(layers.santa, "yuva420p")
    snow = _still(layers.snow, "yuva420p")
    scene = ffmpeg.overlay(background, santa, x="(W-w)/2", y="H-h+90").filter(
        "zoompan", z="min(1+0.0008*on,1.15)", x="iw/2-(iw/zoom/2)", y="ih/2-(ih/zoom/2)",
        d=1, s=f"{WIDTH}x{HEIGHT}", fps=FPS,
    )
    scene = ffmpeg.overlay(scene, snow, x=0, y=f"-{HEIGHT}+mod(t*70,{HEIGHT})", eof_action="endall")
    with atomic_path(out) as temp:
        stream = scene.output(
            str(temp), vcodec="libx264", preset="ultrafast", crf=18, pix_fmt="yuv420p", r=FPS,
            t=f"{duration:.3f}", an=None, threads=threads,
        )
        run_ffmpeg(stream.get_args(), timeout, "rendering the still clip")
    return out
