"""A real Dagster instance on SQLite with a real `dagster-daemon` over this project's workspace, for tests."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from santa_videos.orders import OrderTable
from santa_videos.settings import default_orders_db_url
from santa_videos_tests.conftest import PROJECT_ROOT, subprocess_env

BIN = Path(sys.executable).parent


def video_runs(instance: dg.DagsterInstance, order_id: str | None = None) -> list[dg.DagsterRun]:
    """Video runs (of one order); the cleanup and metrics schedules may add runs of their own jobs."""
    tags = {"dagster/partition": order_id} if order_id else {}
    return list(instance.get_runs(dg.RunsFilter(job_name="video_job", tags=tags)))


class DaemonHarness:
    def __init__(self, root: Path, instance_yaml: Path = PROJECT_ROOT / "dagster.yaml", **env):
        self.home = root / "dagster_home"
        self.home.mkdir(parents=True, exist_ok=True)
        shutil.copy(instance_yaml, self.home / "dagster.yaml")
        self.env = subprocess_env(
            DAGSTER_HOME=str(self.home), SANTA_DATA_DIR=str(root / "data"), SANTA_INTAKE_INTERVAL_SECONDS="1", **env
        )
        self.log = root / "daemon.log"
        self.process: subprocess.Popen | None = None
        self._table: OrderTable | None = None

    def start(self, **env) -> None:
        self.env.update(env)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"],
                cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._table is not None:
            self._table.dispose()
            self._table = None

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "santa-videos"), *args], cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )

    def dagster(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "dagster"), *args], cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )

    def statuses(self, order_ids: list[str]) -> list[str]:
        """The orders' statuses, read from the orders table here rather than by a CLI process per poll."""
        if self._table is None:
            data = Path(self.env["SANTA_DATA_DIR"]).resolve()
            self._table = OrderTable(self.env.get("SANTA_ORDERS_DB_URL") or default_orders_db_url(data))
        return [self._table.get(order_id).status for order_id in order_ids]

    def wait_for_runs_to_end(self, timeout: float = 60) -> None:
        """An order is marked delivered by the run's last step, a moment before the run itself ends."""
        with self.instance() as instance:
            self.wait_for(lambda: all(run.is_finished for run in video_runs(instance)), timeout, "every run ended")

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(str(self.home))

    def wait_for(self, condition, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if self.process and self.process.poll() is not None:
                raise AssertionError(f"dagster-daemon exited while waiting for {what}:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.5)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}:\n{self.log.read_text()[-3000:]}")
