"""A cluster on this machine for the drills: PostgreSQL databases, Redis, the S3 server, a dagster-daemon on
deploy/dagster.cluster.yaml and two worker hosts, shared by the drills of a module.

Where the system users exist (`.ci/run` makes them), each worker host runs as its own user and the central machine
(daemon, webserver, order intake) as a third, with folders of mode 700: no process can read another machine's
files, as on separate machines (root reads everything, so the separation needs the users). The orders are the
shortest a customer can send (age 0, no mentions, `template`): the drills are about runs, workers and services.
"""

import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import dagster as dg
import httpx
import pytest
from dagster_graphql import DagsterGraphQLClient

from santa_videos.cluster.local import BIN, Host, LocalCluster, as_user
from santa_videos.cluster.services import wait_until
from santa_videos.processes import free_port, stop_process
from santa_videos.orders import OrderTable, parse_order
from santa_videos.daemon_harness import video_runs
from santa_videos.orders.model import Status
from santa_videos_tests.conftest import subprocess_env
from santa_videos_tests.postgres import database_url, instance_env, temporary_database

TERMINAL = (Status.DELIVERED, Status.FAILED)
# Four times what the shortest order takes on a loaded 2-core machine; short enough that a lost worker is found soon.
DRILL_MAX_RUNTIME_SECONDS = 60
CENTRAL_USER, HOST_USERS = "santa-central", {"host-a": "santa-host-a", "host-b": "santa-host-b"}
# Two worker processes in all, and one more run than that: one run waits in Redis, as happens while a worker is down.
MAX_CONCURRENT_RUNS = 3


def system_users_ready() -> bool:
    """The cluster's users exist and can run this interpreter and the project (.ci/run sees to both)."""
    try:
        for user in (CENTRAL_USER, *HOST_USERS.values()):
            pwd.getpwnam(user)
    except KeyError:
        return False
    check = subprocess.run([sys.executable, "-c", "import santa_videos.worker"], capture_output=True, cwd="/",
                           **as_user(HOST_USERS["host-a"]))
    return check.returncode == 0


class ClusterDrill:
    def __init__(self, cluster: LocalCluster, table: OrderTable):
        self.cluster = cluster
        self.table = table
        self.instance = dg.DagsterInstance.from_config(str(cluster.central))

    @property
    def hosts(self) -> list[Host]:
        return self.cluster.hosts

    def host_of(self, pid: int) -> Host:
        return next(host for host in self.hosts if pid in host.processes())

    def submit(self, count: int = 1, name: str = "Kid") -> list[str]:
        orders = [parse_order({"child_name": name, "age": 0, "language": "en", "strategy": "template"})
                  for _ in range(count)]
        self.table.add(orders)
        return [order.order_id for order in orders]

    def runs(self, order_id: str | None = None) -> list[dg.DagsterRun]:
        return video_runs(self.instance, order_id)

    def wait_for(self, condition, timeout: float, what: str):
        return wait_until(condition, timeout, what, self.cluster.daemon, details=self.log_tail)

    def log_tail(self) -> str:
        logs = [self.cluster.root / "central" / "daemon.log", *(host.root / "worker.log" for host in self.hosts)]
        return "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-2500:]}" for log in logs if log.exists())

    def wait_until_terminal(self, order_ids: list[str], timeout: float) -> dict:
        def reached():
            records = {oid: self.table.get(oid) for oid in order_ids}
            return records if all(r.status in TERMINAL for r in records.values()) else None

        return self.wait_for(reached, timeout, f"orders {order_ids} delivered or failed")

    def wait_for_runs_to_end(self, timeout: float = 120) -> None:
        self.wait_for(lambda: all(run.is_finished for run in self.runs()), timeout, "every run ended")

    def restore_hosts(self) -> None:
        """Bring back every worker host a drill stopped or lost."""
        for host in self.hosts:
            if not host.alive:
                host.start()


def cluster_env(dagster_db: str, orders_db: str) -> dict[str, str]:
    return subprocess_env(
        **instance_env(dagster_db),
        SANTA_ORDERS_DB_URL=database_url(orders_db),
        SANTA_MAX_CONCURRENT_RUNS=str(MAX_CONCURRENT_RUNS),
        MAX_JOB_ATTEMPTS="3",
        SANTA_INTAKE_INTERVAL_SECONDS="1",
        SANTA_RECONCILE_INTERVAL_SECONDS="5",
        SANTA_RECONCILE_GRACE_SECONDS="30",
        SANTA_RUN_MAX_RUNTIME_SECONDS=str(DRILL_MAX_RUNTIME_SECONDS),
    )


@pytest.fixture(scope="module")
def cluster():
    """Two worker hosts (`host-a`, `host-b`, one run each at a time) behind one daemon; stopped after the module.
    Its folder is outside pytest's (mode 700, root's), so the cluster's users can reach their own folders."""
    root = Path(tempfile.mkdtemp(prefix="santa-cluster-test-"))
    separate_users = system_users_ready()
    with temporary_database("dagster") as dagster_db, temporary_database("orders") as orders_db, \
            pytest.MonkeyPatch.context() as monkeypatch:
        local = LocalCluster(root, cluster_env(dagster_db, orders_db), central_user=CENTRAL_USER if separate_users else None)
        table = OrderTable(database_url(orders_db))
        drill = None
        try:
            local.start_services()
            # This process reads the same instance (runs, events) as the daemon.
            for name, value in local.central_env.items():
                if name.startswith(("DAGSTER_", "SANTA_", "AWS_")):
                    monkeypatch.setenv(name, value)
            for name, user in HOST_USERS.items():
                local.add_host(name, user=user if separate_users else None).start()
            local.start_daemon()
            drill = ClusterDrill(local, table)
            drill.separate_users = separate_users
            yield drill
        finally:
            local.stop()
            if drill is not None:
                drill.instance.dispose()
            table.dispose()
            shutil.rmtree(root, ignore_errors=True)


def http_service(cluster: ClusterDrill, command: list[str], port: int, log_name: str, probe: str):
    """A central HTTP process (webserver, order intake), started as the central user and waited for."""
    process = cluster.cluster.start_central(command, log_name)

    def up():
        try:
            return httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=2).status_code < 500
        except httpx.HTTPError:
            return False

    try:
        cluster.wait_for(up, 180, log_name)
    except Exception:
        stop_process(process)
        raise
    return process


@pytest.fixture(scope="module")
def graphql(cluster):
    """The Dagster UI's GraphQL API for the cluster's instance, as an operator's browser reaches it."""
    port = free_port()
    workspace = str(cluster.cluster.central / "workspace.yaml")
    command = [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", workspace]
    process = http_service(cluster, command, port, "webserver.log", "/server_info")
    yield DagsterGraphQLClient("127.0.0.1", port_number=port)
    stop_process(process, timeout=60)


@pytest.fixture(scope="module")
def intake(cluster):
    """The order intake on the central machine: its base URL."""
    port = free_port()
    command = [str(BIN / "santa-videos"), "serve-intake", "--port", str(port), "--log-level", "warning"]
    process = http_service(cluster, command, port, "intake.log", "/")
    yield f"http://127.0.0.1:{port}"
    stop_process(process)


def can_read(user: str | None, path: Path) -> bool:
    """Whether `user` could read `path` (list it, for a folder)."""
    check = ["ls", str(path)] if path.is_dir() else ["head", "-c1", str(path)]
    return subprocess.run(check, capture_output=True, **as_user(user)).returncode == 0
