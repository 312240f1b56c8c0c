"""`santa-videos metrics [--json]`: the pipeline's figures from the orders table and the Dagster instance."""

import argparse
import json
import os
import sys

from santa_videos.orders.table import OrderTable
from santa_videos.settings import apply_instance_env_defaults, load_operations_settings, load_settings


def cmd_metrics(args: argparse.Namespace) -> int:
    import dagster as dg  # only the commands that read the instance pay for importing dagster

    from santa_videos.metrics import collect_metrics, markdown_table

    if not os.environ.get("DAGSTER_HOME", "").strip():
        print("DAGSTER_HOME is not set: metrics read the Dagster instance (see README).", file=sys.stderr)
        return 1
    operations = load_operations_settings()
    table = OrderTable(load_settings().orders_db_url)
    apply_instance_env_defaults()  # dagster.yaml reads some settings with {env: ...}
    with dg.DagsterInstance.get() as instance:
        metrics = collect_metrics(instance, table, operations.cost_per_1k_characters, operations.cost_per_clip)
    print(json.dumps(metrics.as_dict(), indent=2) if args.json else markdown_table(metrics))
    return 0


def register(commands) -> None:
    metrics = commands.add_parser(
        "metrics", help="orders, success rate, latency, step times, providers, cache, cost and queue",
        description="Print the pipeline's figures, read from the orders table and the Dagster instance "
        "(DAGSTER_HOME): orders received, delivered and failed, success rate, order-to-delivery latency p50/p95, "
        "per-step p50/p95, speech provider and clip strategy shares, fallback rate, cache hit rate, characters "
        "and estimated cost per video (ELEVENLABS_COST_PER_1K_CHARACTERS, HIGGSFIELD_COST_PER_CLIP), queue depth "
        "and the age of the oldest waiting order. Runs, and so step figures, last as long as retention keeps them.",
    )
    metrics.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    metrics.set_defaults(handler=cmd_metrics)
