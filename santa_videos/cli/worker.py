"""`santa-videos worker`: run this instance's Dagster runs on this machine, taken from the Celery queue."""

import argparse
import os

from santa_videos.cli.help import add_command
from santa_videos.settings import LOG_LEVELS


def cmd_worker(args: argparse.Namespace) -> int:
    from santa_videos.worker import run_worker

    run_worker(args.concurrency, args.queue, args.log_level)
    return 0


def register(commands) -> None:
    worker = add_command(
        commands, "worker", examples=["santa-videos worker --concurrency 2"], help="take runs from the cluster's Celery queue and render them on this machine",
        description="Start a Celery worker that executes Dagster runs sent by the cluster instance's "
        "CeleryRunLauncher. $DAGSTER_HOME/dagster.yaml must be deploy/dagster.cluster.yaml, with the same "
        "variables as the daemon (DAGSTER_PG_*, SANTA_CELERY_BROKER_URL, SANTA_CELERY_BACKEND_URL) and the "
        "project's own (SANTA_ORDERS_DB_URL, SANTA_MEDIA_URL, ...). SANTA_HOST_NAME names this machine on the "
        "orders it renders (default: its host name). SIGTERM lets the runs in progress finish, then stops.",
    )
    worker.add_argument(
        "-c", "--concurrency", type=int, default=os.cpu_count() or 1,
        help="runs rendered at once on this machine (default: its number of cores)",
    )
    worker.add_argument("-Q", "--queue", default="dagster", help="the Celery queue to take runs from (default dagster)")
    worker.add_argument(
        "--log-level", default=(os.environ.get("LOG_LEVEL", "").strip().upper() or "INFO"), choices=LOG_LEVELS,
        help="the worker's own log level (default LOG_LEVEL, else INFO)",
    )
    worker.set_defaults(handler=cmd_worker)
