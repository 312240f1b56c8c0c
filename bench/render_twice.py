"""The same order rendered twice through the asset job: the second render may reuse what the first one made
(the audio cache), so its wall time against the first shows what a cache hit saves."""

import os
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from bench.storage import BenchStorage
from bench.workload import bench_orders, prepare_scene
from santa_videos.definitions import build_definitions
from santa_videos.orders.table import OrderTable
from santa_videos.partitions import video_partitions
from santa_videos.settings import load_settings

# The console logger would print every event of both runs between the bench's own lines.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass(frozen=True)
class RenderTwiceResult:
    first_seconds: float
    second_seconds: float
    first_audio_step_seconds: float
    second_audio_step_seconds: float


def render_twice(root: Path, storage: BenchStorage) -> RenderTwiceResult:
    overrides, orders_db_url = storage.dagster_overrides()
    os.environ["SANTA_DATA_DIR"] = str(root / "data")
    if orders_db_url:
        os.environ["SANTA_ORDERS_DB_URL"] = orders_db_url
    else:
        os.environ.pop("SANTA_ORDERS_DB_URL", None)
    settings = load_settings()
    table = OrderTable(settings.orders_db_url)
    order = bench_orders(1)[0]
    table.add([order])
    prepare_scene(settings.media_dir / "scene", settings)  # so the first render is not also the instance's first
    job = build_definitions(settings).resolve_job_def("video_job")
    (root / "dagster_home").mkdir(parents=True)
    try:
        with dg.instance_for_test(temp_dir=str(root / "dagster_home"), overrides=overrides) as instance:
            instance.add_dynamic_partitions(video_partitions.name, [order.order_id])
            walls, audio_steps = [], []
            for _ in range(2):
                started = time.monotonic()
                result = job.execute_in_process(
                    instance=instance, partition_key=order.order_id, raise_on_error=False, run_config=QUIET
                )
                walls.append(time.monotonic() - started)
                if not result.success:
                    raise RuntimeError(f"rendering order {order.order_id} failed (run {result.run_id})")
                audio_steps.append(_step_seconds(instance, result.run_id, "audio"))
        return RenderTwiceResult(walls[0], walls[1], audio_steps[0], audio_steps[1])
    finally:
        table.dispose()


def _step_seconds(instance: dg.DagsterInstance, run_id: str, step_key: str) -> float:
    for step in instance.get_run_step_stats(run_id):
        if step.step_key == step_key and step.start_time and step.end_time:
            return step.end_time - step.start_time
    return float("nan")
