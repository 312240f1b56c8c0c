"""Lip-sync in segments through the whole video job (script, audio, clip, video, delivery), in process, against the
fake ElevenLabs and Higgsfield on loopback: how much of the speech Santa's lips follow, whether the delivered
picture moves with its sound, and what orders pay per second of speech once their shared sentences are made.

A first batch of lip-sync orders makes the shared segments; a second batch of their twins (other children and
parents' words, the very same phrasings: bench/speech_orders.py) finds every shared sentence made, as orders do
once the season is under way. The billed-seconds figure is of that second batch.

    python -m bench.lipsync [--batch 3]    prints the rows
"""

import argparse
import json
import random
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import dagster as dg

from bench.sentences import QUIET, SEED, fake_providers
from bench.speech_orders import draw_orders, twin
from bench.stats import Row, fmt, format_table
from bench.workload import prepare_scene
from santa_videos.definitions import build_definitions
from santa_videos.orders.model import Order
from santa_videos.orders.table import OrderTable
from santa_videos.partitions import video_partitions
from santa_videos.settings import load_settings
from santa_videos_tests.media_sync import picture_follows_sound


@dataclass(frozen=True)
class LipsyncOrder:
    """One order's clip step, as its metadata tells it, and its delivered video measured."""

    order_id: str
    batch: str  # "first" (shared segments made) or "warm" (found made)
    strategy: str
    coverage: float
    segments: int
    generations: int
    seconds_billed: int
    segments_reused: int
    speech_seconds: float
    picture_follows_sound: float


@dataclass(frozen=True)
class LipsyncFigures:
    orders: list[LipsyncOrder]
    fake_seconds_billed: int  # what the fake Higgsfield charged, against the clip steps' own sum
    scene_seconds: float
    render_seconds: float


def of_batch(orders: list[dict], batch: str) -> list[dict]:
    return [order for order in orders if order["batch"] == batch]


def mean_coverage(orders: list[dict]) -> float:
    return sum(order["coverage"] for order in orders) / len(orders)


def billed_per_speech_second(orders: list[dict]) -> float:
    return sum(order["seconds_billed"] for order in orders) / sum(order["speech_seconds"] for order in orders)


def metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(asset)]
    return {key: value.value for key, value in event.materialization.metadata.items()}


def render(job: dg.JobDefinition, instance: dg.DagsterInstance, table: OrderTable, order: Order,
           batch: str) -> LipsyncOrder:
    table.add([order])
    instance.add_dynamic_partitions(video_partitions.name, [order.order_id])
    result = job.execute_in_process(instance=instance, partition_key=order.order_id, raise_on_error=False,
                                    run_config=QUIET)
    if not result.success:
        raise RuntimeError(f"rendering lip-sync order {order.order_id} failed (run {result.run_id})")
    made = metadata(result, "clip")
    video = Path(metadata(result, "delivery")["path"])
    return LipsyncOrder(
        order.order_id, batch, made["strategy"], made["lipsync_coverage"], made["lipsync_segments"],
        made["lipsync_generations"], made["lipsync_seconds_billed"], made["lipsync_segments_reused"],
        made["duration_s"], round(picture_follows_sound(video), 3),
    )


def lipsync_figures(root: Path, batch: int = 3, seed: int = SEED, say=lambda text: None) -> LipsyncFigures:
    first = draw_orders(batch, seed + 1, strategy="lipsync")
    rng = random.Random(seed + 2)
    warm = [twin(order, rng) for order in first]
    with fake_providers(root / "data", root / "data" / "audio_cache") as (_, clips):
        settings = load_settings()
        say("lip-sync: the scene and the template clip library")
        started = time.monotonic()
        prepare_scene(settings.media_dir / "scene", settings)
        scene_seconds = time.monotonic() - started
        table = OrderTable(settings.orders_db_url)
        job = build_definitions(settings).resolve_job_def("video_job")
        rendered = []
        (root / "home").mkdir(parents=True)
        started = time.monotonic()
        try:
            with dg.instance_for_test(temp_dir=str(root / "home")) as instance:
                for name, orders in (("first", first), ("warm", warm)):
                    say(f"lip-sync: {len(orders)} orders, {name} batch, through the video job")
                    rendered += [render(job, instance, table, order, name) for order in orders]
        finally:
            table.dispose()
        return LipsyncFigures(rendered, clips.billed_seconds(), round(scene_seconds, 1),
                              round(time.monotonic() - started, 1))


def lipsync_rows(figures: dict) -> list[Row]:
    orders = figures["orders"]
    warm = of_batch(orders, "warm")
    served = sum(1 for order in orders if order["strategy"] == "lipsync")
    follows = [order["picture_follows_sound"] for order in warm]
    first_ratio = billed_per_speech_second(of_batch(orders, "first"))
    return [
        Row("lip-sync coverage of the speech", fmt(mean_coverage(orders), digits=3),
            f"1.0; mean over {len(orders)} lip-sync orders, {served} served by lip-sync"),
        Row("lip-sync picture follows the sound", fmt(min(follows), digits=3),
            f">= 0.9; the least of {len(follows)} delivered videos (correlation of brightness and loudness)"),
        Row("lip-sync seconds billed per video / speech seconds",
            fmt(billed_per_speech_second(warm), digits=3),
            f"<= 0.4; the warm orders: {len(warm)} whose shared sentences were made; the first batch {first_ratio:.3f}"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lipsync", description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=3, help="orders in each of the two batches")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    root, started = Path(tempfile.mkdtemp(prefix="santa-bench-lipsync-")), time.monotonic()
    try:
        figures = asdict(lipsync_figures(root, args.batch, say=print))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(format_table(lipsync_rows(figures)))
    print(json.dumps({**figures, "seconds": round(time.monotonic() - started, 1)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
