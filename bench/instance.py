"""The bench's instances: the shared daemon harness with the dagster.yaml under test and the render settings kept."""

import os
from pathlib import Path

from santa_videos.daemon_harness import PROJECT_ROOT, DaemonHarness

# Settings that tune the render are kept, so the floor and the full path encode alike; locations are ours.
PASSED_THROUGH = ("SANTA_X264_PRESET", "SANTA_FFMPEG_THREADS", "SANTA_FFMPEG_TIMEOUT_SECONDS",
                  "SANTA_INTAKE_INTERVAL_SECONDS", "SANTA_INTAKE_BATCH_SIZE", "MAX_JOB_ATTEMPTS")


def instance_config() -> Path:
    """The project's dagster.yaml, or the one named by BENCH_DAGSTER_YAML to compare another instance setup."""
    return Path(os.environ.get("BENCH_DAGSTER_YAML", "").strip() or PROJECT_ROOT / "dagster.yaml").resolve()


def bench_instance(root: Path, parallelism: int, data_dir: Path | None = None) -> DaemonHarness:
    """A fresh instance under `root` whose run queue launches `parallelism` runs at once."""
    return DaemonHarness(root, instance_config(), data_dir=data_dir, inherit=PASSED_THROUGH,
                         SANTA_MAX_CONCURRENT_RUNS=str(parallelism))
