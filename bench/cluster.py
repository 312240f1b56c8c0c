"""The cluster path: the bench's orders rendered by two Celery worker hosts on this machine (deploy/dagster.cluster.yaml,
PostgreSQL, Redis, the S3 server), and what the central services (daemon and code server, PostgreSQL, Redis, the S3
server) spend per video: the figure that says how many workers one core of central services can feed."""

import shutil
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from bench.instance import PASSED_THROUGH
from bench.procs import TICKS, TreeSampler
from santa_videos.cluster.demo import HOSTS, POSTGRES, base_env, database, postgres_running
from santa_videos.cluster.local import LocalCluster
from santa_videos.orders.model import Order, Status
from santa_videos.orders.table import OrderTable

FINISHED = (Status.DELIVERED, Status.FAILED)


@dataclass
class ClusterResult:
    wall_seconds: float
    failed: int
    hosts_used: int
    daemon_cpu_seconds: float  # daemon and its code server, submission to last delivery
    postgres_cpu_seconds: float  # statement time in the cluster's two databases
    redis_cpu_seconds: float
    s3_cpu_seconds: float
    worker_cpu_seconds: float  # worker python outside the media tools, for comparison


def postgres_seconds(databases: list[str]) -> float:
    """Seconds PostgreSQL's backends spent executing statements in these databases (pg_stat_database.active_time):
    theirs alone, whatever else the server serves. Opening a connection (one per storage call) is not in it."""
    engine = sa.create_engine(POSTGRES, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
            milliseconds = conn.execute(
                sa.text("SELECT coalesce(sum(active_time), 0) FROM pg_stat_database WHERE datname = ANY(:names)"),
                {"names": databases},
            ).scalar()
    finally:
        engine.dispose()
    return float(milliseconds) / 1000


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cluster_path(orders: list[Order], root: Path, parallelism: int, timeout: float) -> ClusterResult:
    with ExitStack() as stack:
        stack.enter_context(postgres_running())
        databases = [stack.enter_context(database("bench_dagster")), stack.enter_context(database("bench_orders"))]
        env = base_env(*databases)
        env = {k: v for k, v in env.items() if not k.startswith("SANTA_") or k in PASSED_THROUGH
               or k in ("SANTA_ORDERS_DB_URL",)}
        env["SANTA_MAX_CONCURRENT_RUNS"] = str(parallelism)
        cluster = LocalCluster(root, env)
        stack.callback(cluster.stop)
        cluster.start_services()
        for name in HOSTS:
            cluster.add_host(name, concurrency=max(1, parallelism // len(HOSTS))).start()
        table = OrderTable(cluster.env["SANTA_ORDERS_DB_URL"])
        stack.callback(table.dispose)
        table.engine  # creates the table before the daemon reads it
        cluster.start_daemon()
        workers = [stack.enter_context(TreeSampler(host.process.pid)) for host in cluster.hosts]
        daemon = stack.enter_context(TreeSampler(cluster.daemon.pid))
        time.sleep(20)  # the daemon's first pass (code server start, sensors' first ticks) is not a video's cost
        daemon.sample()
        before = {"daemon": _tree_cpu(daemon), "postgres": postgres_seconds(databases),
                  "redis": process_cpu_seconds(cluster.redis.process.pid),
                  "s3": process_cpu_seconds(cluster.s3.process.pid)}
        submitted = datetime.now(timezone.utc)
        table.add(orders)
        records = _wait_for_orders(table, orders, timeout)
        daemon.sample()
        return ClusterResult(
            wall_seconds=(max(r.delivered_at or r.updated_at for r in records) - submitted).total_seconds(),
            failed=sum(r.status != Status.DELIVERED for r in records),
            hosts_used=len({r.render_host for r in records if r.render_host}),
            daemon_cpu_seconds=_tree_cpu(daemon) - before["daemon"],
            postgres_cpu_seconds=postgres_seconds(databases) - before["postgres"],
            redis_cpu_seconds=process_cpu_seconds(cluster.redis.process.pid) - before["redis"],
            s3_cpu_seconds=process_cpu_seconds(cluster.s3.process.pid) - before["s3"],
            worker_cpu_seconds=sum(sum(r.cpu_seconds for r in w.readings.values() if r.role != "tool") for w in workers),
        )


def _tree_cpu(sampler: TreeSampler) -> float:
    return sum(reading.cpu_seconds for reading in sampler.readings.values())


def _wait_for_orders(table: OrderTable, orders: list[Order], timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records = [table.get(order.order_id) for order in orders]
        if all(r.status in FINISHED for r in records):
            return records
        time.sleep(0.5)
    raise RuntimeError(f"the cluster did not finish {len(orders)} orders in {timeout:.0f} s")


def central_cpu_per_video(result: dict, videos: int) -> float:
    central = ("daemon_cpu_seconds", "postgres_cpu_seconds", "redis_cpu_seconds", "s3_cpu_seconds")
    return sum(result[key] for key in central) / videos


def cluster_rows(figures: dict, full_walls: list[float]):
    """The two cluster rows of the bench table (bench.stats.Row), against the default path's wall times."""
    from bench.stats import Row, fmt, fmt_spread, spread, videos_per_hour

    n, results = figures["videos"], figures["cluster"]
    ratios = spread([full / result["wall_seconds"] for result, full in zip(results, full_walls)])
    per_video = spread([central_cpu_per_video(result, n) for result in results])
    parts = {key: sum(r[f"{key}_cpu_seconds"] for r in results) / (n * len(results))
             for key in ("daemon", "postgres", "redis", "s3")}
    throughput = spread([videos_per_hour(n, r["wall_seconds"]) for r in results])
    failed, one_host = sum(r["failed"] for r in results), sum(r["hosts_used"] < 2 for r in results)
    void = f"; VOID: {failed} not delivered, {one_host} repeats on one host" if failed or one_host else ""
    return [
        Row("cluster: 2 workers / default path throughput", fmt_spread(ratios, digits=3),
            f"{fmt_spread(throughput, 'videos/h', 0)}, same orders, same machine{void}"),
        Row("central CPU per video", fmt_spread(per_video, "s"),
            f"one core feeds {3600 / per_video.median:.0f} videos/h; daemon+code server {fmt(parts['daemon'], 's')}, "
            f"PostgreSQL statements {fmt(parts['postgres'], 's')}, Redis {fmt(parts['redis'], 's', 3)}, "
            f"S3 {fmt(parts['s3'], 's', 3)}"),
    ]


def cluster_available() -> str | None:
    """Why the cluster rows cannot be measured here, or None."""
    try:
        import dagster_celery  # noqa: F401 (only whether it is installed)
    except ImportError:
        return "dagster-celery is not installed (pip install '.[cluster]')"
    if not shutil.which("redis-server"):
        return "redis-server is not installed (make cluster-deps)"
    return None
