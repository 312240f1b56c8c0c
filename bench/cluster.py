"""The cluster path: the bench's orders rendered by Celery worker hosts on this machine (deploy/dagster.cluster.yaml,
PostgreSQL, Redis, the S3 server, the code server), and what the central services (daemon, code server,
PostgreSQL, Redis, the S3 server) and the workers spend per video: the figures that say how many workers one core
of central services can feed, and how far a worker's own cost is above what Dagster spends on a run doing nothing.

PostgreSQL is a server of the bench's own (bench/postgres_server.py): every process of it is the cluster's, so its
CPU counts each connection a storage call opens, which statement time (pg_stat_database.active_time) leaves out.
"""

import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from bench.instance import PASSED_THROUGH, PROJECT_ROOT
from bench.postgres_server import postgres_server, server_cpu_seconds
from bench.procs import TICKS, TreeSampler
from santa_videos.cluster.databases import temporary_database
from santa_videos.cluster.demo import base_env
from santa_videos.cluster.local import LocalCluster
from santa_videos.orders.model import Order, Status
from santa_videos.orders.table import OrderTable, orders as orders_table

FINISHED = (Status.DELIVERED, Status.FAILED)
TWO_HOSTS = {"host-a": 1, "host-b": 1}
NOOP_LOCATION = ("bench.noop_location", "noop_location")
WARM_UP_SECONDS = 20  # the daemon's first pass (code loaded, sensors' first ticks) is not a video's cost


@dataclass
class ClusterResult:
    wall_seconds: float
    failed: int
    hosts_used: int
    daemon_cpu_seconds: float  # dagster-daemon, submission to last delivery
    code_server_cpu_seconds: float
    postgres_cpu_seconds: float  # every process of the server, connections included; the bench's own excluded
    postgres_statement_seconds: float  # pg_stat_database.active_time of the two databases
    postgres_sessions: int  # connections opened to the two databases
    redis_cpu_seconds: float
    s3_cpu_seconds: float
    worker_cpu_seconds: float  # worker hosts' python, outside FFmpeg, ffprobe and espeak-ng


@dataclass
class Meters:
    """Cumulative readings of every part of a running cluster; a figure is the difference of two readings."""

    cluster: LocalCluster
    postmaster: int
    admin: sa.URL
    databases: list[str]
    samplers: dict[str, TreeSampler]
    own_backend: int  # the bench's own connection, which watches the orders

    def read(self) -> dict[str, float]:
        for sampler in self.samplers.values():
            sampler.sample()
        statements, sessions = _database_stats(self.admin, self.databases)
        return {
            "daemon": _cpu(self.samplers["daemon"]),
            "code_server": _cpu(self.samplers["code_server"]),
            "postgres": server_cpu_seconds(self.postmaster) - process_cpu_seconds(self.own_backend),
            "statements": statements, "sessions": sessions,
            "redis": process_cpu_seconds(self.cluster.redis.process.pid),
            "s3": process_cpu_seconds(self.cluster.s3.process.pid),
            "worker": sum(_cpu(s, skip_tools=True) for name, s in self.samplers.items() if name.startswith("host:")),
        }


def _database_stats(admin: sa.URL, databases: list[str]) -> tuple[float, int]:
    engine = sa.create_engine(admin, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text("SELECT coalesce(sum(active_time), 0), coalesce(sum(sessions), 0) FROM pg_stat_database "
                        "WHERE datname = ANY(:names)"), {"names": databases},
            ).one()
    finally:
        engine.dispose()
    return float(row[0]) / 1000, int(row[1])


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _cpu(sampler: TreeSampler, skip_tools: bool = False) -> float:
    return sum(r.cpu_seconds for r in sampler.readings.values() if not (skip_tools and r.role == "tool"))


@contextmanager
def running_cluster(root: Path, parallelism: int, hosts: dict[str, int],
                    code_location: tuple[str, str] | None = None, extra_env: dict | None = None) -> Iterator[tuple]:
    """A cluster on a PostgreSQL server of its own, warmed up: the cluster, its orders table, a connection to watch
    them on, its meters, and its two databases (Dagster's, the orders')."""
    with ExitStack() as stack:
        admin, postmaster = stack.enter_context(postgres_server())
        databases = [stack.enter_context(temporary_database(admin, f"bench_{label}"))
                     for label in ("dagster", "orders")]
        env = {k: v for k, v in base_env(*databases, server=admin).items()
               if not k.startswith("SANTA_") or k in PASSED_THROUGH or k == "SANTA_ORDERS_DB_URL"}
        env.update(SANTA_MAX_CONCURRENT_RUNS=str(parallelism), **(extra_env or {}))
        cluster = LocalCluster(root, env, **({"code_location": code_location} if code_location else {}))
        stack.callback(cluster.stop)
        cluster.start_services()
        for name, concurrency in hosts.items():
            cluster.add_host(name, concurrency=concurrency).start()
        table = OrderTable(cluster.env["SANTA_ORDERS_DB_URL"])
        stack.callback(table.dispose)
        table.engine  # creates the table before the daemon reads it
        cluster.start_daemon()
        samplers = {"daemon": TreeSampler(cluster.daemon.pid), "code_server": TreeSampler(cluster.code_server.pid),
                    **{f"host:{host.name}": TreeSampler(host.process.pid) for host in cluster.hosts}}
        for sampler in samplers.values():
            stack.enter_context(sampler)
        watcher = stack.enter_context(sa.create_engine(cluster.env["SANTA_ORDERS_DB_URL"],
                                                       poolclass=sa.pool.NullPool).connect())
        own_backend = watcher.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        time.sleep(WARM_UP_SECONDS)
        yield cluster, table, watcher, Meters(cluster, postmaster, admin, databases, samplers, own_backend), databases


def cluster_path(orders: list[Order], root: Path, parallelism: int, timeout: float,
                 hosts: dict[str, int] = TWO_HOSTS) -> ClusterResult:
    with running_cluster(root, parallelism, hosts) as (_, table, watcher, meters, _):
        before = meters.read()
        submitted = datetime.now(timezone.utc)
        table.add(orders)
        records = _wait_for_orders(watcher, [order.order_id for order in orders], timeout)
        spent = {key: value - before[key] for key, value in meters.read().items()}
    return ClusterResult(
        wall_seconds=(max(r.delivered_at or r.updated_at for r in records) - submitted).total_seconds(),
        failed=sum(r.status != Status.DELIVERED for r in records),
        hosts_used=len({r.render_host for r in records if r.render_host}),
        daemon_cpu_seconds=spent["daemon"], code_server_cpu_seconds=spent["code_server"],
        postgres_cpu_seconds=spent["postgres"], postgres_statement_seconds=spent["statements"],
        postgres_sessions=int(spent["sessions"]), redis_cpu_seconds=spent["redis"], s3_cpu_seconds=spent["s3"],
        worker_cpu_seconds=spent["worker"],
    )


def cluster_repeat(orders: list[Order], root: Path, parallelism: int, timeout: float) -> dict:
    """One repeat's cluster figures: two hosts of one run each, then one host running `parallelism` at once."""
    return {
        "cluster": asdict(cluster_path(orders, root / "two-hosts", parallelism, timeout)),
        "cluster_one_host": asdict(cluster_path(orders, root / "one-host", parallelism, timeout,
                                                hosts={"host-a": parallelism})),
    }


def _wait_for_orders(conn: sa.Connection, order_ids: list[str], timeout: float) -> list:
    query = sa.select(orders_table).where(orders_table.c.order_id.in_(order_ids))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records = conn.execute(query).all()
        if len(records) == len(order_ids) and all(r.status in FINISHED for r in records):
            return records
        time.sleep(1)
    raise RuntimeError(f"the cluster did not finish {len(order_ids)} orders in {timeout:.0f} s")


@dataclass
class NoopResult:
    runs: int
    failed: int
    worker_cpu_seconds: float  # worker hosts' python, first hand-over to last run ended
    central_cpu_seconds: float  # daemon, code server, PostgreSQL, Redis, S3 server


def noop_runs(root: Path, count: int, parallelism: int, timeout: float) -> NoopResult:
    """`count` runs of bench/noop_location.py through the same cluster (two hosts), Dagster's own cost of a run."""
    inbox = root / "noop-inbox"
    inbox.mkdir(parents=True)
    # The worker hosts import the bench's code location from the project folder.
    extra = {"BENCH_NOOP_INBOX": str(inbox), "PYTHONPATH": str(PROJECT_ROOT)}
    with running_cluster(root, parallelism, TWO_HOSTS, NOOP_LOCATION, extra) as (cluster, _, _, meters, databases):
        runs = sa.create_engine(cluster.env["SANTA_ORDERS_DB_URL"].replace(databases[1], databases[0]),
                                poolclass=sa.pool.NullPool)
        before = meters.read()
        for number in range(count):
            (inbox / f"key-{number:05d}").touch()
        finished = _wait_for_runs(runs, count, timeout)
        spent = {key: value - before[key] for key, value in meters.read().items()}
        runs.dispose()
    central = sum(spent[key] for key in ("daemon", "code_server", "postgres", "redis", "s3"))
    return NoopResult(runs=count, failed=count - finished, worker_cpu_seconds=spent["worker"],
                      central_cpu_seconds=central)


def _wait_for_runs(engine: sa.Engine, count: int, timeout: float) -> int:
    """How many runs succeeded, once `count` runs have ended."""
    query = sa.text("SELECT status, count(*) FROM runs WHERE status IN ('SUCCESS', 'FAILURE', 'CANCELED') "
                    "GROUP BY status")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            ended = dict(conn.execute(query).all())
        if sum(ended.values()) >= count:
            return ended.get("SUCCESS", 0)
        time.sleep(1)
    raise RuntimeError(f"the cluster did not end {count} no-op runs in {timeout:.0f} s")


def central_cpu_per_video(result: dict, videos: int) -> float:
    central = ("daemon_cpu_seconds", "code_server_cpu_seconds", "postgres_cpu_seconds", "redis_cpu_seconds",
               "s3_cpu_seconds")
    return sum(result.get(key, 0.0) for key in central) / videos


def cluster_rows(figures: dict, full_walls: list[float]):
    """The cluster rows of the bench table (bench.stats.Row): two hosts against the default path, one host against
    the media floor, what the central services and a worker spend per video, and Dagster's own run on a worker."""
    from bench.stats import Row, fmt, fmt_spread, spread, videos_per_hour

    n, results = figures["videos"], figures["cluster"]
    ratios = spread([full / result["wall_seconds"] for result, full in zip(results, full_walls)])
    floors = [repeat["floor"]["wall_seconds"] for repeat in figures["repeats"]]
    one_host = spread([floor / r["wall_seconds"] for r, floor in zip(figures.get("cluster_one_host", []), floors)])
    centrals = [central_cpu_per_video(result, n) for result in results]
    central = spread(centrals)
    worker = spread([result["worker_cpu_seconds"] / n for result in results])
    parts = {key: sum(r.get(f"{key}_cpu_seconds", 0.0) for r in results) / (n * len(results))
             for key in ("daemon", "code_server", "postgres", "redis", "s3")}
    statements = sum(r.get("postgres_statement_seconds", 0.0) for r in results) / (n * len(results))
    connections = sum(r.get("postgres_sessions", 0) for r in results) / (n * len(results))
    throughput = spread([videos_per_hour(n, r["wall_seconds"]) for r in results])
    runs = [*results, *figures.get("cluster_one_host", [])]
    failed, two_hosts_short = sum(r["failed"] for r in runs), sum(r["hosts_used"] < 2 for r in results)
    void = f"; VOID: {failed} not delivered, {two_hosts_short} repeats on one host" if failed or two_hosts_short else ""
    rows = [
        Row("cluster: 2 workers / default path throughput", fmt_spread(ratios, digits=3),
            f"{fmt_spread(throughput, 'videos/h', 0)}, same orders, same machine{void}"),
        Row("throughput ratio (cluster, one host/floor)", fmt_spread(one_host, digits=3),
            f">= 0.9; one worker host running {figures['parallelism']} at once against the media floor{void}"),
        Row("central CPU per video", fmt_spread(central, "s"),
            f"<= 0.8 s; daemon {fmt(parts['daemon'], 's')}, code server {fmt(parts['code_server'], 's')}, "
            f"PostgreSQL {fmt(parts['postgres'], 's')} ({connections:.1f} connections a video, statements "
            f"{fmt(statements, 's')}), Redis {fmt(parts['redis'], 's', 3)}, S3 {fmt(parts['s3'], 's', 3)}"),
        Row("videos per hour per central core", fmt_spread(spread([3600 / c for c in centrals if c]), digits=0),
            ">= 4,500; 3600 s / central CPU per video"),
        Row("cluster worker CPU per video outside media", fmt_spread(worker, "s"),
            "<= 0.8 s; worker hosts' python, outside FFmpeg, ffprobe and espeak-ng"),
    ]
    noop = figures.get("cluster_noop")
    if noop:
        own_run = noop["worker_cpu_seconds"] / noop["runs"]
        void = f"; VOID: {noop['failed']} runs failed" if noop["failed"] else ""
        rows += [
            Row("Dagster's own run on a Celery worker: CPU per run", fmt(own_run, "s"),
                f"{noop['runs']} no-op runs (bench/noop_location.py) through the same cluster{void}"),
            Row("cluster worker CPU per video / Dagster's own run",
                fmt(worker.median / own_run, digits=2) if worker and own_run else "n/a"),
        ]
    return rows


def cluster_available() -> str | None:
    """Why the cluster rows cannot be measured here, or None."""
    try:
        import dagster_celery  # noqa: F401 (only whether it is installed)
    except ImportError:
        return "dagster-celery is not installed (pip install '.[cluster]')"
    if not shutil.which("redis-server"):
        return "redis-server is not installed (make cluster-deps)"
    from bench.postgres_server import server_binaries

    if server_binaries() is None:
        return "PostgreSQL's server binaries are not installed (apt-get install postgresql)"
    return None
