"""The `still` strategy's clip: the North Pole scene with Santa talking (his face track, face.py), slowly zooming,
with falling snow, as long as the audio. (The `template` strategy cuts its clip from the loops of
clip_library.py.)"""

from pathlib import Path

from santa_videos.media.face import at_rest, lay_face, write_face_track
from santa_videos.media.ffmpeg_run import run_ffmpeg
from santa_videos.media.files import atomic_path
from santa_videos.media.scene import HEIGHT, SANTA_ORIGIN, WIDTH, ensure_scene
from santa_videos.media.slideshow import looped_picture, overlay_picture

FPS = 25


def render_still_clip(order_id: str, audio: Path, duration: float, out: Path, scene_dir: Path, workdir: Path,
                      timeout: float, threads: int) -> Path:
    layers = ensure_scene(scene_dir)
    face_track = write_face_track(order_id, audio, duration, scene_dir, workdir)
    scene = overlay_picture(looped_picture(layers.background, "yuv420p", FPS), layers.santa,
                            x=SANTA_ORIGIN[0], y=SANTA_ORIGIN[1])
    # The face goes on before the zoom, so it grows with Santa.
    scene = lay_face(scene, face_track, at_rest()).filter(
        "zoompan", z="min(1+0.0008*on,1.15)", x="iw/2-(iw/zoom/2)", y="ih/2-(ih/zoom/2)",
        d=1, s=f"{WIDTH}x{HEIGHT}", fps=FPS,
    )
    scene = overlay_picture(scene, layers.snow, x=0, y=f"-{HEIGHT}+mod(t*70,{HEIGHT})")
    with atomic_path(out) as temp:
        stream = scene.output(
            str(temp), vcodec="libx264", preset="ultrafast", crf=18, pix_fmt="yuv420p", r=FPS,
            t=f"{duration:.3f}", an=None, threads=threads,
        )
        run_ffmpeg(stream.get_args(), timeout, "rendering the still clip")
    return out
