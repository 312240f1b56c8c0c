"""The bench's orders, and the media floor: the same media code the assets call, with no Dagster around it."""

import resource
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from santa_videos.media.clip_library import cut_template_clip, ensure_library
from santa_videos.media.compose import EncodeSettings, VideoParts, compose_video, write_thumbnail
from santa_videos.media.files import write_json
from santa_videos.media.scene import ensure_face_sprites
from santa_videos.script.lines import script_to_json, write_script
from santa_videos.media.spec import probe_playable
from santa_videos.media.speech import synthesize
from santa_videos.orders.model import Order, parse_order
from santa_videos.settings import Settings

NAMES = ["Emma", "Mateo", "Olivia", "Lucía", "Noah", "Hugo", "Ava", "Martina", "Liam", "Sofía", "Leo", "Valentina"]
MENTIONS = {
    "en": ["you helped set the table every evening", "you shared your crayons at school", "you wished for a sled"],
    "es": ["ayudaste a poner la mesa cada noche", "compartiste tus colores en el cole", "pediste un trineo"],
}


def bench_orders(count: int) -> list[Order]:
    """`count` distinct orders (no two speak the same text, so no cache can serve one from another)."""
    orders = []
    for number in range(count):
        language = "en" if number % 2 == 0 else "es"
        mentions = MENTIONS[language]
        orders.append(parse_order({
            "child_name": NAMES[number % len(NAMES)],
            "age": 3 + number % 9,
            "language": language,
            "mentions": [f"{mentions[number % 3]} {number + 1} times", mentions[(number + 1) % 3]],
        }))
    return orders


def cheap_orders(count: int, deadline: datetime | None = None) -> list[Order]:
    """The cheapest orders to render (the template clip, no mentions), for the figures that need many orders or
    quick ones rather than the bench's usual video."""
    extra = {"deadline": deadline} if deadline else {}
    return [parse_order({"child_name": NAMES[number % len(NAMES)], "age": 3 + number % 9, "language": "en",
                         "strategy": "template", **extra}) for number in range(count)]


@dataclass(frozen=True)
class FloorResult:
    wall_seconds: float
    python_cpu_seconds: float
    tools_cpu_seconds: float


def render_directly(order: Order, workdir: Path, scene_dir: Path, settings: Settings, photo: Path | None = None,
                    layers: bool = True) -> Path:
    """script -> espeak-ng speech -> template clip -> final encode -> probe -> thumbnail, as the assets do it with
    the embedded providers, minus Dagster. `layers=False` leaves out Santa's talking face and the photo."""
    timeout = settings.ffmpeg_timeout_seconds
    lines = write_script(order.order_id, order.child_name, order.spoken_name, order.age, order.language, order.mentions)
    write_json(workdir / "script.json", script_to_json(lines))
    speech = synthesize(
        [(line.spoken, line.caption) for line in lines], order.language, workdir / "audio.wav", workdir / "audio-tmp",
        timeout=timeout,
    )
    clip = cut_template_clip(
        order.order_id, speech.duration, workdir / "clip.mp4", scene_dir, workdir / "clip-tmp", timeout,
        settings.ffmpeg_threads,
    )
    encode = EncodeSettings(preset=settings.x264_preset, crf=23, threads=settings.ffmpeg_threads, timeout_seconds=timeout)
    parts = VideoParts(order.order_id, clip, speech.path, speech.duration, speech.cues, order.child_name,
                       order.language, photo)
    video = compose_video(parts, workdir / "video.mp4", workdir / "video-tmp", scene_dir, encode, layers).path
    probe_playable(video)
    write_thumbnail(video, speech.duration, workdir / "thumbnail.jpg", timeout)
    return video


def prepare_scene(scene_dir: Path, settings: Settings) -> None:
    """The scene and the template clip library are made once per instance, before its first order: not a
    per-video cost, so both sides of the comparison start with them."""
    scene_dir.mkdir(parents=True, exist_ok=True)
    ensure_library(scene_dir, settings.ffmpeg_timeout_seconds, settings.ffmpeg_threads)
    ensure_face_sprites(scene_dir)


def media_floor(orders: list[Order], root: Path, parallelism: int, settings: Settings) -> FloorResult:
    """All orders rendered directly, `parallelism` at a time, as the run queue would run them."""
    scene_dir = root / "scene"
    prepare_scene(scene_dir, settings)
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=parallelism) as pool:
        videos = list(pool.map(lambda o: render_directly(o, root / o.order_id, scene_dir, settings), orders))
    wall = time.monotonic() - started
    self_after = resource.getrusage(resource.RUSAGE_SELF)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not all(video.exists() for video in videos):
        raise RuntimeError("the media floor did not produce every video")
    return FloorResult(
        wall_seconds=wall,
        python_cpu_seconds=_cpu(self_after) - _cpu(self_before),
        tools_cpu_seconds=_cpu(children_after) - _cpu(children_before),
    )


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime
