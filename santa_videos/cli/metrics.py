"""`santa-videos metrics [--json]`: the pipeline's figures from the orders table and the Dagster instance."""

import argparse
import json

from santa_videos.cli.help import add_command
from santa_videos.instance_home import open_instance
from santa_videos.orders.table import OrderTable
from santa_videos.settings import load_operations_settings, load_settings


def cmd_metrics(args: argparse.Namespace) -> int:
    from santa_videos.metrics import collect_metrics, markdown_table

    with open_instance("metrics") as instance:
        operations = load_operations_settings()
        table = OrderTable(load_settings().orders_db_url)
        metrics = collect_metrics(instance, table, operations.cost_per_1k_characters, operations.cost_per_clip,
                                  cost_per_second=operations.cost_per_second)
    print(json.dumps(metrics.as_dict(), indent=2) if args.json else markdown_table(metrics))
    return 0


def register(commands) -> None:
    metrics = add_command(
        commands, "metrics", help="orders, success rate, latency, step times, providers, cache, cost and queue",
        description="Print the pipeline's figures, read from the orders table and the Dagster instance (see "
        "santa-videos --help): orders received, delivered and failed, success rate, order-to-delivery latency "
        "p50/p95, per-step p50/p95, speech provider and clip strategy shares, fallback rate, cache hit rate (of "
        "sentences), characters and lip-sync seconds billed and estimated cost per video "
        "(ELEVENLABS_COST_PER_1K_CHARACTERS, HIGGSFIELD_COST_PER_CLIP per generation, HIGGSFIELD_COST_PER_SECOND), "
        "queue depth and the age of the oldest waiting order. Runs, and so step figures, last as long as retention keeps them.",
        examples=["santa-videos metrics", "santa-videos metrics --json"],
    )
    metrics.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    metrics.set_defaults(handler=cmd_metrics)
