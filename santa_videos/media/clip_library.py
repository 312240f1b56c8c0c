"""The `template` strategy's clip library: a few short loops of Santa in the North Pole scene, rendered once by
the project itself, then cut and chained to the length of each order's speech (a stream copy, no re-encode).

Every loop lasts LOOP_SECONDS and each motion's period divides it, so any loop can follow any other seamlessly.
Santa's mouth is closed in the loops: the final encode lays his talking face over them, following his motion
(motion.py), which the clip names in its metadata.
"""

import hashlib
import re
from pathlib import Path

import ffmpeg
from PIL import Image

from santa_videos.media.face import FACE_CENTER, FacePlacement
from santa_videos.media.ffmpeg_run import probe, run_ffmpeg
from santa_videos.media.files import atomic_path, write_text
from santa_videos.media.motion import LOOP_NAMES, LOOP_SECONDS, MOTIONS, chain_exprs
from santa_videos.media.scene import HEIGHT, SANTA_ORIGIN, ensure_scene
from santa_videos.media.slideshow import looped_picture, overlay_picture

FPS = 25
LIBRARY_VERSION = 2
TAG_PATTERN = re.compile(rf"santa-videos template v{LIBRARY_VERSION} from loop (\d+)$")


def _render_loop(name: str, out: Path, scene_dir: Path, timeout: float, threads: int) -> None:
    layers = ensure_scene(scene_dir)
    motion = MOTIONS[name]
    santa = looped_picture(layers.santa, "yuva420p", FPS).filter("rotate", motion.turn.expr(), c="black@0", ow="iw", oh="ih")
    x, y = f"{SANTA_ORIGIN[0]}+{motion.side.expr()}", f"{SANTA_ORIGIN[1]}+{motion.bob.expr()}"
    scene = ffmpeg.overlay(looped_picture(layers.background, "yuv420p", FPS), santa, x=x, y=y)
    snow_speed = HEIGHT / LOOP_SECONDS
    scene = overlay_picture(scene, layers.snow, x=0, y=f"-{HEIGHT}+mod(t*{snow_speed},{HEIGHT})")
    with atomic_path(out) as temp:
        stream = scene.output(
            str(temp), vcodec="libx264", preset="ultrafast", crf=18, pix_fmt="yuv420p", r=FPS, g=FPS,
            t=str(LOOP_SECONDS), an=None, threads=threads,
        )
        run_ffmpeg(stream.get_args(), timeout, f"rendering the template loop {name}")


def ensure_library(scene_dir: Path, timeout: float, threads: int = 0) -> list[Path]:
    """The loops, rendered on first use (atomically: concurrent runs never read half a file)."""
    loops = []
    for name in LOOP_NAMES:
        path = scene_dir / f"loop-{name}-v{LIBRARY_VERSION}.mp4"
        if not path.exists():
            _render_loop(name, path, scene_dir, timeout, threads)
        loops.append(path)
    return loops


def first_loop(order_id: str) -> int:
    """An order-specific rotation of the loops, so orders differ."""
    return int(hashlib.sha256(order_id.encode()).hexdigest(), 16) % len(LOOP_NAMES)


def cut_template_clip(order_id: str, duration: float, out: Path, scene_dir: Path, workdir: Path,
                      timeout: float, threads: int = 0) -> Path:
    """Chain the loops until they cover `duration`, then cut."""
    loops = ensure_library(scene_dir, timeout, threads)
    first = first_loop(order_id)
    count = int(duration // LOOP_SECONDS) + 1
    chosen = [loops[(first + n) % len(loops)] for n in range(count)]
    listing = write_text(workdir / "loops.txt", "".join(f"file '{path}'\n" for path in chosen))
    try:
        with atomic_path(out) as temp:
            run_ffmpeg(
                ["-f", "concat", "-safe", "0", "-protocol_whitelist", "file", "-i", str(listing),
                 "-t", f"{duration:.3f}", "-c", "copy", "-metadata", f"comment=santa-videos template "
                 f"v{LIBRARY_VERSION} from loop {first}", "-movflags", "+faststart", str(temp)],
                timeout,
                "cutting the template clip",
            )
    finally:
        listing.unlink(missing_ok=True)
    return out


def template_face_placement(clip: Path) -> FacePlacement | None:
    """Where Santa's face is in a template clip of this library, moment by moment; None for any other clip
    (a still clip has its face already, a lip-sync clip its own)."""
    comment = probe(clip).get("format", {}).get("tags", {}).get("comment", "")
    match = TAG_PATTERN.match(comment)
    if match is None:
        return None
    turn, x, y = chain_exprs(int(match.group(1)), FACE_CENTER)
    return FacePlacement(x=x, y=y, turn=turn)


def ensure_portrait(scene_dir: Path) -> Path:
    """Santa's portrait for the lip-sync provider: the drawn Santa in front of the scene, as a JPEG."""
    path = scene_dir / f"portrait-v{LIBRARY_VERSION}.jpg"
    if path.exists():
        return path
    layers = ensure_scene(scene_dir)
    with Image.open(layers.background) as background, Image.open(layers.santa) as santa:
        canvas = background.convert("RGB")
        canvas.paste(santa, SANTA_ORIGIN, santa)
    with atomic_path(path) as temp:
        canvas.save(temp, format="JPEG", quality=92)
    return path
