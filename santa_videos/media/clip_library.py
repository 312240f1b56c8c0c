"""The `template` strategy's clip library: a few short loops of Santa in the North Pole scene, rendered once by
the project itself, then cut and chained to the length of each order's speech (a stream copy, no re-encode).

Every loop lasts LOOP_SECONDS and each motion's period divides it, so any loop can follow any other seamlessly.
"""

import hashlib
from pathlib import Path

import ffmpeg
from PIL import Image

from santa_videos.media.ffmpeg_run import run_ffmpeg
from santa_videos.media.files import atomic_path, write_text
from santa_videos.media.scene import HEIGHT, ensure_scene

FPS = 25
LOOP_SECONDS = 4
LIBRARY_VERSION = 1
# Santa's motion per loop: rotation (radians), x and y offsets (pixels), each a function of t.
MOTIONS = {
    "sway": ("0.035*sin(2*PI*t/2)", "(W-w)/2+14*sin(2*PI*t/4)", "H-h+90+6*sin(2*PI*t/1)"),
    "nod": ("0.015*sin(2*PI*t/4)", "(W-w)/2", "H-h+90+12*sin(2*PI*t/0.8)"),
    "lean": ("0.05*sin(2*PI*t/4)", "(W-w)/2+30*sin(2*PI*t/4)", "H-h+90+4*sin(2*PI*t/2)"),
}


def _picture(path: Path, pixel_format: str):
    return ffmpeg.input(str(path), f="image2", framerate=FPS, protocol_whitelist="file").filter(
        "format", pixel_format
    ).filter("loop", loop=-1, size=1, start=0)


def _render_loop(name: str, out: Path, scene_dir: Path, timeout: float, threads: int) -> None:
    layers = ensure_scene(scene_dir)
    angle, x, y = MOTIONS[name]
    santa = _picture(layers.santa, "yuva420p").filter("rotate", angle, c="black@0", ow="iw", oh="ih")
    scene = ffmpeg.overlay(_picture(layers.background, "yuv420p"), santa, x=x, y=y)
    snow_speed = HEIGHT / LOOP_SECONDS
    scene = ffmpeg.overlay(scene, _picture(layers.snow, "yuva420p"), x=0, y=f"-{HEIGHT}+mod(t*{snow_speed},{HEIGHT})")
    with atomic_path(out) as temp:
        stream = scene.output(
            str(temp), vcodec="libx264", preset="ultrafast", crf=18, pix_fmt="yuv420p", r=FPS, g=FPS,
            t=str(LOOP_SECONDS), an=None, threads=threads,
        )
        run_ffmpeg(stream.get_args(), timeout, f"rendering the template loop {name}")


def ensure_library(scene_dir: Path, timeout: float, threads: int = 0) -> list[Path]:
    """The loops, rendered on first use (atomically: concurrent runs never read half a file)."""
    loops = []
    for name in MOTIONS:
        path = scene_dir / f"loop-{name}-v{LIBRARY_VERSION}.mp4"
        if not path.exists():
            _render_loop(name, path, scene_dir, timeout, threads)
        loops.append(path)
    return loops


def cut_template_clip(order_id: str, duration: float, out: Path, scene_dir: Path, workdir: Path,
                      timeout: float, threads: int = 0) -> Path:
    """Chain the loops (an order-specific rotation, so orders differ) until they cover `duration`, then cut."""
    loops = ensure_library(scene_dir, timeout, threads)
    first = int(hashlib.sha256(order_id.encode()).hexdigest(), 16) % len(loops)
    count = int(duration // LOOP_SECONDS) + 1
    chosen = [loops[(first + n) % len(loops)] for n in range(count)]
    listing = write_text(workdir / "loops.txt", "".join(f"file '{path}'\n" for path in chosen))
    try:
        with atomic_path(out) as temp:
            run_ffmpeg(
                ["-f", "concat", "-safe", "0", "-protocol_whitelist", "file", "-i", str(listing),
                 "-t", f"{duration:.3f}", "-c", "copy", "-movflags", "+faststart", str(temp)],
                timeout,
                "cutting the template clip",
            )
    finally:
        listing.unlink(missing_ok=True)
    return out


def ensure_portrait(scene_dir: Path) -> Path:
    """Santa's portrait for the lip-sync provider: the drawn Santa in front of the scene, as a JPEG."""
    path = scene_dir / f"portrait-v{LIBRARY_VERSION}.jpg"
    if path.exists():
        return path
    layers = ensure_scene(scene_dir)
    with Image.open(layers.background) as background, Image.open(layers.santa) as santa:
        canvas = background.convert("RGB")
        canvas.paste(santa, ((canvas.width - santa.width) // 2, canvas.height - santa.height + 90), santa)
    with atomic_path(path) as temp:
        canvas.save(temp, format="JPEG", quality=92)
    return path
