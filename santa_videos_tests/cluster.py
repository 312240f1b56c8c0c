"""A cluster on this machine for the drills: PostgreSQL databases, Redis, the S3 server, a dagster-daemon on
deploy/dagster.cluster.yaml and two worker hosts, shared by the drills of a module. The orders are the shortest a
customer can send (age 0, no mentions, `template`): the drills are about runs, workers and services."""

import subprocess
import time
from pathlib import Path

import dagster as dg
import httpx
import pytest
from dagster_graphql import DagsterGraphQLClient

from santa_videos.cluster.local import BIN, Host, LocalCluster
from santa_videos.cluster.services import free_port, stop_process
from santa_videos.orders import OrderTable, parse_order
from santa_videos.orders.model import Status
from santa_videos_tests.conftest import subprocess_env
from santa_videos_tests.daemon import video_runs
from santa_videos_tests.postgres import database_url, instance_env, temporary_database

TERMINAL = (Status.DELIVERED, Status.FAILED)
# Long enough for the shortest order on a loaded 2-core machine; short enough that a lost worker is found soon.
DRILL_MAX_RUNTIME_SECONDS = 90


class ClusterDrill:
    def __init__(self, cluster: LocalCluster, table: OrderTable):
        self.cluster = cluster
        self.table = table
        self.instance = dg.DagsterInstance.from_config(str(cluster.central))

    @property
    def hosts(self) -> list[Host]:
        return self.cluster.hosts

    def submit(self, count: int = 1) -> list[str]:
        orders = [parse_order({"child_name": "Kid", "age": 0, "language": "en", "strategy": "template"})
                  for _ in range(count)]
        self.table.add(orders)
        return [order.order_id for order in orders]

    def runs(self, order_id: str | None = None) -> list[dg.DagsterRun]:
        return video_runs(self.instance, order_id)

    def wait_for(self, condition, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if self.cluster.daemon.poll() is not None:
                raise AssertionError(f"dagster-daemon exited while waiting for {what}:\n{self.log_tail()}")
            time.sleep(0.5)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}:\n{self.log_tail()}")

    def log_tail(self) -> str:
        logs = [self.cluster.root / "central" / "daemon.log", *(host.root / "worker.log" for host in self.hosts)]
        return "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-2000:]}" for log in logs if log.exists())

    def wait_until_terminal(self, order_ids: list[str], timeout: float) -> dict:
        def reached():
            records = {oid: self.table.get(oid) for oid in order_ids}
            return records if all(r.status in TERMINAL for r in records.values()) else None

        return self.wait_for(reached, timeout, f"orders {order_ids} delivered or failed")

    def wait_for_runs_to_end(self, timeout: float = 120) -> None:
        self.wait_for(lambda: all(run.is_finished for run in self.runs()), timeout, "every run ended")

    def restore_hosts(self) -> None:
        """Bring every worker host back (a drill may have lost one)."""
        for host in self.hosts:
            if not host.alive:
                host.__post_init__()
                host.start()


def cluster_env(dagster_db: str, orders_db: str, **extra) -> dict[str, str]:
    return subprocess_env(
        **instance_env(dagster_db),
        SANTA_ORDERS_DB_URL=database_url(orders_db),
        SANTA_MAX_CONCURRENT_RUNS="3",
        MAX_JOB_ATTEMPTS="3",
        SANTA_INTAKE_INTERVAL_SECONDS="1",
        SANTA_RECONCILE_INTERVAL_SECONDS="5",
        SANTA_RECONCILE_GRACE_SECONDS="30",
        SANTA_RUN_MAX_RUNTIME_SECONDS=str(DRILL_MAX_RUNTIME_SECONDS),
        **extra,
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two worker hosts (`host-a`, `host-b`, one run each at a time) behind one daemon; stopped after the module."""
    root: Path = tmp_path_factory.mktemp("cluster")
    with temporary_database("dagster") as dagster_db, temporary_database("orders") as orders_db, \
            pytest.MonkeyPatch.context() as monkeypatch:
        local = LocalCluster(root, cluster_env(dagster_db, orders_db))
        table = OrderTable(database_url(orders_db))
        drill = None
        try:
            local.start_services()
            # This process reads the same instance (runs, events) as the daemon.
            for name, value in local.central_env.items():
                if name.startswith(("DAGSTER_", "SANTA_")):
                    monkeypatch.setenv(name, value)
            for name in ("host-a", "host-b"):
                local.add_host(name).start()
            local.start_daemon()
            drill = ClusterDrill(local, table)
            yield drill
        finally:
            local.stop()
            if drill is not None:
                drill.instance.dispose()
            table.dispose()


@pytest.fixture(scope="module")
def graphql(cluster):
    """The Dagster UI's GraphQL API for the cluster's instance, as an operator's browser reaches it."""
    port = free_port()
    central = cluster.cluster
    with (central.root / "central" / "webserver.log").open("ab") as log:
        process = subprocess.Popen(
            [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w",
             str(central.central / "workspace.yaml")],
            cwd=central.central, env=central.central_env, stdout=log, stderr=subprocess.STDOUT,
        )

    def up():
        try:
            return httpx.get(f"http://127.0.0.1:{port}/server_info", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        cluster.wait_for(up, 180, "dagster-webserver")
        yield DagsterGraphQLClient("127.0.0.1", port_number=port)
    finally:
        stop_process(process, timeout=60)
