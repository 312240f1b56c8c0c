"""A Dagster instance of this project in a folder of its own, with a real `dagster-daemon` (and, on request, a
`dagster-webserver`) over the source checkout's workspace: what the tests and the benchmarks run the whole
system on. Every process it starts gets this instance's environment and nothing of the caller's SANTA_ or
DAGSTER_ settings but those it names."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import dagster as dg

from santa_videos.cluster.services import wait_until
from santa_videos.code_server import BIN, code_server_command, grpc_workspace, serving
from santa_videos.order_runs import PARTITION_TAG
from santa_videos.orders.table import OrderTable
from santa_videos.processes import ServerProcess, free_port, stop_process
from santa_videos.settings import default_orders_db_url

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def clean_env(inherit: tuple[str, ...] = (), **extra) -> dict:
    """This process's environment without its SANTA_ and DAGSTER_ settings, except those named in `inherit`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANTA_", "DAGSTER_"))}
    env.update({k: os.environ[k] for k in inherit if os.environ.get(k, "").strip()})
    env.update(extra)
    return env


def video_runs(instance: dg.DagsterInstance, order_id: str | None = None) -> list[dg.DagsterRun]:
    """Video runs (of one order); the cleanup and metrics schedules may add runs of their own jobs."""
    tags = {PARTITION_TAG: order_id} if order_id else {}
    return list(instance.get_runs(dg.RunsFilter(job_name="video_job", tags=tags)))


class DaemonHarness:
    """`root/dagster_home` holds a copy of `instance_yaml`; media and the orders table go to `data_dir`
    (default `root/data`); `env` adds or overrides settings of every process started here. The daemon and the
    webserver load `workspace` (the project's code location by default)."""

    def __init__(self, root: Path, instance_yaml: Path = PROJECT_ROOT / "dagster.yaml", data_dir: Path | None = None,
                 inherit: tuple[str, ...] = ("SANTA_X264_PRESET",), workspace: Path = PROJECT_ROOT / "workspace.yaml",
                 **env):
        self.root = root
        self.workspace = workspace
        self.home = root / "dagster_home"
        self.data_dir = data_dir or root / "data"
        self.home.mkdir(parents=True, exist_ok=True)
        shutil.copy(instance_yaml, self.home / "dagster.yaml")
        self.env = clean_env(inherit, DAGSTER_HOME=str(self.home), SANTA_DATA_DIR=str(self.data_dir), **env)
        self.log = root / "daemon.log"
        self.process: subprocess.Popen | None = None
        self.code_server: subprocess.Popen | None = None
        self._table: OrderTable | None = None
        self._polled: dg.DagsterInstance | None = None

    @property
    def orders_db_url(self) -> str:
        return self.env.get("SANTA_ORDERS_DB_URL") or default_orders_db_url(self.data_dir.resolve())

    def start(self, **env) -> int:
        """Start dagster-daemon over the project's workspace; returns its pid."""
        self.env.update(env)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", "-w", str(self.workspace)],
                cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        return self.process.pid

    def serve_code_location(self, module: str = "santa_videos.definitions", location_name: str = "santa_videos") -> int:
        """Run the code location as a server of its own, as docs/production.md does, and point the daemon and the
        webserver started after this at it; returns its pid (the runs it launches are its children)."""
        port = free_port()
        with (self.root / "code-server.log").open("ab") as log:
            self.code_server = subprocess.Popen(code_server_command(module, location_name, port), cwd=PROJECT_ROOT,
                                                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: serving(port, self.env), 180, "the code server", self.code_server,
                   lambda: (self.root / "code-server.log").read_text()[-3000:])
        self.workspace = self.root / "code-server-workspace.yaml"
        self.workspace.write_text(grpc_workspace(port, location_name))
        return self.code_server.pid

    def stop(self) -> None:
        stop_process(self.process)
        stop_process(self.code_server)
        for held in (self._table, self._polled):
            if held is not None:
                held.dispose()
        self._table = self._polled = None

    def instance(self) -> dg.DagsterInstance:
        """A new instance object on this home, for the caller to dispose. dagster.yaml's {env: DAGSTER_HOME} is
        resolved here, so it opens this storage whatever this process's own DAGSTER_HOME says."""
        saved = os.environ.get("DAGSTER_HOME")
        os.environ["DAGSTER_HOME"] = str(self.home)
        try:
            return dg.DagsterInstance.from_config(str(self.home))
        finally:
            if saved is None:
                del os.environ["DAGSTER_HOME"]
            else:
                os.environ["DAGSTER_HOME"] = saved

    def webserver(self) -> ServerProcess:
        """dagster-webserver on a free loopback port over this instance; use it as a context manager."""
        port = free_port()
        command = [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", str(self.workspace)]
        return ServerProcess(command, self.env, self.root / "webserver.log", port, "/server_info", cwd=PROJECT_ROOT)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return self._run(BIN / "santa-videos", *args)

    def dagster(self, *args: str) -> subprocess.CompletedProcess:
        return self._run(BIN / "dagster", *args)

    def _run(self, program: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(program), *args], cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )

    def statuses(self, order_ids: list[str]) -> list[str]:
        """The orders' statuses, read from the orders table here rather than by a CLI process per poll."""
        if self._table is None:
            self._table = OrderTable(self.orders_db_url)
        return [self._table.get(order_id).status for order_id in order_ids]

    def sensor_ticks(self, name: str) -> list:
        """The ticks of one sensor so far (none before the daemon first evaluates it)."""
        if self._polled is None:
            self._polled = self.instance()
        states = [s for s in self._polled.all_instigator_state() if s.name == name]
        if not states:
            return []
        return list(self._polled.get_ticks(states[0].instigator_origin_id, states[0].selector_id))

    def wait_for_runs_to_end(self, timeout: float = 60) -> None:
        """An order is marked delivered by the run's last step, a moment before the run itself ends."""
        with self.instance() as instance:
            self.wait_for(lambda: all(run.is_finished for run in video_runs(instance)), timeout, "every run ended")

    def wait_for(self, condition, timeout: float, what: str):
        """The first truthy value of `condition()`, polled until `timeout`; fails early if the daemon exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if self.process and self.process.poll() is not None:
                raise AssertionError(f"dagster-daemon exited while waiting for {what}:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.5)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}:\n{self.log.read_text()[-3000:]}")
