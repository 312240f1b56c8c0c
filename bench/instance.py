"""A fresh Dagster instance on SQLite in a temporary folder, with the project's dagster.yaml and a real daemon."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# Settings that tune the render are kept, so the floor and the full path encode alike; locations are ours.
PASSED_THROUGH = ("SANTA_X264_PRESET", "SANTA_FFMPEG_THREADS", "SANTA_FFMPEG_TIMEOUT_SECONDS",
                  "SANTA_INTAKE_INTERVAL_SECONDS", "SANTA_INTAKE_BATCH_SIZE", "MAX_JOB_ATTEMPTS")


def instance_config() -> Path:
    """The project's dagster.yaml, or the one named by BENCH_DAGSTER_YAML to compare another instance setup."""
    return Path(os.environ.get("BENCH_DAGSTER_YAML", "").strip() or PROJECT_ROOT / "dagster.yaml").resolve()


class BenchInstance:
    def __init__(self, root: Path, parallelism: int, data_dir: Path | None = None):
        self.root = root
        self.home = root / "dagster_home"
        self.data_dir = data_dir or root / "data"
        self.home.mkdir(parents=True)
        shutil.copy(instance_config(), self.home / "dagster.yaml")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SANTA_", "DAGSTER_"))}
        self.env.update({k: os.environ[k] for k in PASSED_THROUGH if os.environ.get(k, "").strip()})
        self.env.update(DAGSTER_HOME=str(self.home), SANTA_DATA_DIR=str(self.data_dir),
                        SANTA_MAX_CONCURRENT_RUNS=str(parallelism))
        self.orders_db_url = f"sqlite:///{self.data_dir / 'orders.db'}"
        self.process: subprocess.Popen | None = None
        self._instance: dg.DagsterInstance | None = None

    @property
    def instance(self) -> dg.DagsterInstance:
        if self._instance is None:
            # dagster.yaml reads these with {env: ...} in this process too.
            os.environ.update({k: self.env[k] for k in ("DAGSTER_HOME", "SANTA_MAX_CONCURRENT_RUNS")})
            self._instance = dg.DagsterInstance.from_config(str(self.home))
        return self._instance

    def start_daemon(self) -> int:
        with (self.root / "daemon.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"],
                cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        return self.process.pid

    def stop_daemon(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        self.stop_daemon()
        if self._instance is not None:
            self._instance.dispose()

    def sensor_ticks(self, name: str) -> list:
        states = [s for s in self.instance.all_instigator_state() if s.name == name]
        if not states:
            return []
        return list(self.instance.get_ticks(states[0].instigator_origin_id, states[0].selector_id))

    def wait_for(self, condition, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"dagster-daemon exited while waiting for {what}: see {self.root / 'daemon.log'}")
            time.sleep(0.25)
        raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}: see {self.root / 'daemon.log'}")
