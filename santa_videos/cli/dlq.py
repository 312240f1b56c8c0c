"""`santa-videos dlq list | retry`: the orders whose last attempt failed for good, and re-running them."""

import argparse
import json
import sys
from pathlib import Path

from santa_videos.cli.help import EXAMPLE_ORDER_ID, add_command
from santa_videos.instance_home import open_instance
from santa_videos.orders.table import OrderTable
from santa_videos.settings import load_settings

EXIT_BAD_INPUT = 2


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes}m"
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes < 48 * 60 else f"{minutes // 1440}d"


def cmd_list(args: argparse.Namespace) -> int:
    from santa_videos.dlq import dead_letters

    with open_instance("dlq list") as instance:
        letters = dead_letters(instance)
    if args.json:
        print(json.dumps([letter.as_json() for letter in letters], indent=2))
        return 0
    if not letters:
        print("no dead letters", file=sys.stderr)
    for letter in letters:
        print(
            f"{letter.order_id}  {letter.status:<8} step={letter.failed_step or '-'}  attempts={letter.attempts}  "
            f"age={_age(letter.age_seconds)}  run={letter.run_id}\n    {letter.error}"
        )
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    from santa_videos.dlq import NotADeadLetter, dead_letters, retry

    if bool(args.order_ids) == bool(args.all):
        print("santa-videos dlq retry: give ORDER_ID... or --all", file=sys.stderr)
        return EXIT_BAD_INPUT
    with open_instance("dlq retry") as instance:
        table = OrderTable(load_settings().orders_db_url)
        order_ids = args.order_ids or [letter.order_id for letter in dead_letters(instance)]
        try:
            launched = retry(instance, table, Path(args.workspace), order_ids)
        except NotADeadLetter as exc:
            print(f"Nothing was retried: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    for order_id, run_id in launched:
        print(f"{order_id}  queued run {run_id}")
    if not launched:
        print("no dead letters to retry", file=sys.stderr)
    return 0


def register(commands) -> None:
    dlq = add_command(
        commands, "dlq", help="dead letters: orders whose last run failed and will not be retried",
        description="Dead letters are orders whose latest run failed and that Dagster will not retry (permanent "
        "errors, attempts used up, terminated runs). Needs the Dagster instance (see santa-videos --help).",
        examples=["santa-videos dlq list", "santa-videos dlq retry --all"],
    )
    actions = dlq.add_subparsers(dest="dlq_command", required=True, metavar="ACTION")
    listing = add_command(
        actions, "list", help="order id, status, failed step, error, attempts, age and run id of each dead letter",
        description="List the dead letters, oldest first: order id, failed or canceled, the failing step, the "
        "error, the number of runs so far, the time since the last one ended, and its run id.",
        examples=["santa-videos dlq list", "santa-videos dlq list --json"],
    )
    listing.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    listing.set_defaults(handler=cmd_list)
    retrying = add_command(
        actions, "retry", help="re-execute dead letters from their failed step; steps that succeeded are reused",
        description="Queue a re-execution from failure of each order's latest run, through the instance's run "
        "queue (the daemon launches it); the order goes back to queued. If any id is not a dead letter, "
        f"nothing is retried and the exit code is {EXIT_BAD_INPUT}.",
        examples=[f"santa-videos dlq retry {EXAMPLE_ORDER_ID}", "santa-videos dlq retry --all"],
    )
    retrying.add_argument("order_ids", nargs="*", metavar="ORDER_ID")
    retrying.add_argument("--all", action="store_true", help="retry every dead letter")
    retrying.add_argument("--workspace", default="workspace.yaml", help="the workspace file (default: workspace.yaml)")
    retrying.set_defaults(handler=cmd_retry)
