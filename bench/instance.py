"""The bench's instances: the shared daemon harness with the dagster.yaml under test and the render settings kept."""

import os
import signal
import time
from pathlib import Path

from bench.procs import descendants
from bench.storage import BenchStorage
from santa_videos.daemon_harness import PROJECT_ROOT, DaemonHarness

# Settings that tune the render are kept, so the floor and the full path encode alike; locations are ours.
PASSED_THROUGH = ("SANTA_X264_PRESET", "SANTA_FFMPEG_THREADS", "SANTA_FFMPEG_TIMEOUT_SECONDS",
                  "SANTA_INTAKE_INTERVAL_SECONDS", "SANTA_INTAKE_BATCH_SIZE", "MAX_JOB_ATTEMPTS",
                  "SANTA_INTAKE_QUEUED_RUNS_PER_SLOT", "SANTA_INTAKE_LISTEN_SECONDS",
                  "SANTA_DEFAULT_DEADLINE_HOURS")


def instance_config() -> Path:
    """The project's dagster.yaml, or the one named by BENCH_DAGSTER_YAML to compare another instance setup."""
    return Path(os.environ.get("BENCH_DAGSTER_YAML", "").strip() or PROJECT_ROOT / "dagster.yaml").resolve()


def bench_instance(root: Path, parallelism: int, storage: BenchStorage, data_dir: Path | None = None,
                   orders_db_url: str | None = None) -> DaemonHarness:
    """A fresh instance under `root` whose run queue launches `parallelism` runs at once, on `storage`; with
    `orders_db_url`, it reads that orders table instead of a new one."""
    chosen = storage.for_instance(root, instance_config())
    env = {**chosen.env, "SANTA_MAX_CONCURRENT_RUNS": str(parallelism)}
    if orders_db_url:
        env["SANTA_ORDERS_DB_URL"] = orders_db_url
    harness = DaemonHarness(root, chosen.instance_yaml, data_dir=data_dir, inherit=PASSED_THROUGH, **env)
    if chosen.env:
        # A new database gets its tables here, before a daemon and this process could both try at once.
        harness.instance().dispose()
    return harness


def stop_with_runs(harness: DaemonHarness, grace_seconds: float = 5) -> None:
    """Stop the daemon and the runs it launched that are still rendering: the bench throws the instance away, and a
    render left going would take CPU from the figures measured after it."""
    if harness.process is None or harness.process.poll() is not None:
        harness.stop()
        return
    launched = descendants(harness.process.pid)
    harness.stop()
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and any(_alive(pid) for pid in launched):
        time.sleep(0.2)
    for pid in launched:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
