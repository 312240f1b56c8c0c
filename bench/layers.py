"""What Santa's talking face and the child's photo cost: the same orders rendered on the media floor with and
without those layers, one render at a time (so each render's CPU is its own), the order of the pair alternating
so that a change in the machine's load falls on both sides."""

import resource
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from bench.workload import prepare_scene, render_directly
from santa_videos.orders.model import Order
from santa_videos.settings import Settings


@dataclass(frozen=True)
class LayersCost:
    without_cpu_seconds: list[float]  # per video: this process and its media tools
    with_cpu_seconds: list[float]


def _cpu() -> float:
    own, tools = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + tools.ru_utime + tools.ru_stime


def bench_photo(path: Path) -> Path:
    """A photo as the intake stores one: a JPEG of a few hundred pixels a side."""
    image = Image.linear_gradient("L").resize((600, 800)).convert("RGB")
    image.save(path, "JPEG", quality=90)
    return path


def layers_cost(orders: list[Order], root: Path, settings: Settings) -> LayersCost:
    scene_dir = root / "scene"
    prepare_scene(scene_dir, settings)
    photo = bench_photo(root / "photo.jpg")
    costs: dict[bool, list[float]] = {False: [], True: []}
    for number, order in enumerate(orders):
        for layers in (False, True) if number % 2 == 0 else (True, False):
            started = _cpu()
            render_directly(order, root / f"{order.order_id}-{layers}", scene_dir, settings,
                            photo if layers else None, layers)
            costs[layers].append(_cpu() - started)
    return LayersCost(without_cpu_seconds=costs[False], with_cpu_seconds=costs[True])
