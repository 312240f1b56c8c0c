"""`make cluster-demo`: nine orders rendered by two worker hosts on this one machine.

Starts what is not running (PostgreSQL; its own `redis-server` and S3 server on free ports, in a temporary folder),
two `santa-videos worker` hosts that share nothing but those services, the code server and a dagster-daemon on
deploy/dagster.cluster.yaml; queues the three sample orders and six more; prints, per order, the host that rendered
it, the seconds from submission to delivery and the object key of its video; stops everything it started. Exits 0
only when every order was delivered and both hosts rendered some.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

import sqlalchemy as sa

from santa_videos.cluster.databases import temporary_database
from santa_videos.cluster.local import LocalCluster
from santa_videos.cluster.services import port_open, wait_until
from santa_videos.demo import SAMPLE_ORDERS, wait_for_orders
from santa_videos.orders.model import Status, parse_order
from santa_videos.orders.table import OrderTable

POSTGRES = sa.make_url("postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
HOSTS = ("host-a", "host-b")
MORE_ORDERS = [
    {"child_name": name, "age": age, "language": language}
    for name, age, language in [("Liam", 7, "en"), ("Sofía", 4, "es"), ("Noah", 9, "en"),
                                ("Lucía", 6, "es"), ("Olivia", 3, "en"), ("Hugo", 8, "es")]
]


@contextmanager
def postgres_running():
    """PostgreSQL at 127.0.0.1:5432; Debian's cluster is started (and stopped afterwards) when none answers."""
    if port_open(POSTGRES.port):
        yield
        return
    versions = sorted(Path("/etc/postgresql").glob("*")) if Path("/etc/postgresql").exists() else []
    if not versions:
        raise SystemExit("PostgreSQL is neither running at 127.0.0.1:5432 nor installed: apt-get install postgresql")
    cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1].name, "main"]
    print("starting PostgreSQL", flush=True)
    subprocess.run([*cluster, "start"], check=True)
    try:
        wait_until(lambda: port_open(POSTGRES.port), 60, "PostgreSQL")
        yield
    finally:
        subprocess.run([*cluster, "stop"], check=False)


def database(label: str):
    return temporary_database(POSTGRES, f"santa_cluster_demo_{label}")


def base_env(dagster_db: str, orders_db: str, server: sa.URL = POSTGRES) -> dict[str, str]:
    # The Makefile's single-machine DAGSTER_HOME and SANTA_DATA_DIR belong to `make demo`, not to these hosts.
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "SANTA_DATA_DIR", "SANTA_ORDERS_DB_URL")}
    env.update(
        DAGSTER_PG_HOST=server.host, DAGSTER_PG_PORT=str(server.port), DAGSTER_PG_USER=server.username,
        DAGSTER_PG_PASSWORD="", DAGSTER_PG_DB=dagster_db,
        SANTA_ORDERS_DB_URL=server.set(database=orders_db).render_as_string(hide_password=False),
        SANTA_MAX_CONCURRENT_RUNS=str(len(HOSTS)),
    )
    return env


def video_key(record) -> str:
    """The delivered video's object key in the bucket (the order records its location, s3://BUCKET/KEY)."""
    location = record.video_path or "-"
    return location.removeprefix("s3://").split("/", 1)[-1] if location.startswith("s3://") else location


def report(records: dict, order_ids: list[str]) -> int:
    hosts_used = set()
    failures = 0
    for order_id in order_ids:
        record = records[order_id]
        if record.status == Status.DELIVERED:
            seconds = (record.delivered_at - record.created_at).total_seconds()
            hosts_used.add(record.render_host)
            print(f"{order_id}  {record.render_host:<8}  {seconds:6.1f} s  {video_key(record)}", flush=True)
        else:
            failures += 1
            print(f"{order_id}  {record.render_host or '-':<8}  NOT delivered: {record.last_error or record.status}")
    if failures:
        print(f"{failures} of {len(order_ids)} orders were not delivered")
        return 1
    if hosts_used != set(HOSTS):
        print(f"only {', '.join(sorted(hosts_used))} rendered: both hosts should have")
        return 1
    print(f"all {len(order_ids)} orders delivered, rendered by {' and '.join(sorted(hosts_used))}")
    return 0


def run(timeout_seconds: float, keep: bool) -> int:
    root = Path(tempfile.mkdtemp(prefix="santa-cluster-demo-"))
    code = 1
    with ExitStack() as stack:
        stack.enter_context(postgres_running())
        dagster_db = stack.enter_context(database("dagster"))
        orders_db = stack.enter_context(database("orders"))
        cluster = LocalCluster(root, base_env(dagster_db, orders_db))
        stack.callback(cluster.stop)
        cluster.start_services()
        print(f"redis-server on port {cluster.redis.port}, S3 server on port {cluster.s3.port}, in {root}", flush=True)
        for name in HOSTS:
            cluster.add_host(name).start()
        cluster.start_daemon()
        print(f"workers {', '.join(HOSTS)}, the code server and dagster-daemon started", flush=True)
        table = OrderTable(cluster.env["SANTA_ORDERS_DB_URL"])
        stack.callback(table.dispose)
        orders = [parse_order(fields) for fields in [*SAMPLE_ORDERS, *MORE_ORDERS]]
        table.add(orders)
        order_ids = [order.order_id for order in orders]
        print(f"queued {len(orders)} orders; waiting for them...", flush=True)
        code = report(wait_for_orders(table, order_ids, timeout_seconds), order_ids)
    if code == 0 and not keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"logs and files kept in {root}")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m santa_videos.cluster.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the orders (default 900)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, media) afterwards")
    args = parser.parse_args(argv)
    return run(args.timeout, args.keep)


if __name__ == "__main__":
    sys.exit(main())
