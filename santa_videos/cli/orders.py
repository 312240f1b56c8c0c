"""`santa-videos submit | import | status | demo`: queue orders, follow them, run the demo."""

import argparse
import json
import sys
from pathlib import Path

from santa_videos.cli.help import EXAMPLE_ORDER_ID, add_command
from santa_videos.instance_home import require_instance, require_orders_table
from santa_videos.orders.intake import BatchInvalid, read_csv_orders, read_json_orders
from santa_videos.orders.model import LANGUAGES, MAX_MENTIONS, Order, OrderInvalid, Strategy, parse_order
from santa_videos.orders.costs import order_bill
from santa_videos.orders.estimates import estimate, iso, unreachable_deadlines
from santa_videos.orders.queueing import OrderConflict, describe
from santa_videos.orders.table import OrderNotFound, OrderTable
from santa_videos.settings import load_operations_settings, load_settings

EXIT_BAD_INPUT = 2


def _table(command: str) -> OrderTable:
    require_orders_table(command)
    return OrderTable(load_settings().orders_db_url)


def _fail_input(errors: list[str]) -> int:
    print("Nothing was queued:", file=sys.stderr)
    for error in errors:
        print(f"  - {error}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _queue(command: str, orders: list[Order], label: str = "item", first_number: int = 1) -> int:
    """Queue the orders, all or none; a deadline no queue could meet, or an order id sent before with other
    fields, is refused (exit 2)."""
    where = (lambda position: "") if len(orders) == 1 else (lambda position: f"{label} {first_number + position}: ")
    table = _table(command)
    late = unreachable_deadlines(table, orders)
    if late:
        return _fail_input([where(position) + why for position, why in late])
    try:
        results = table.add(orders)
    except OrderConflict as exc:
        return _fail_input([where(position) + describe(order_id, fields) for position, order_id, fields in exc.conflicts])
    for order_id, created in results:
        print(order_id)
        if not created:
            print(f"{order_id} was already queued; nothing changed", file=sys.stderr)
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    if args.json_file:
        flags = [args.name, args.age, args.language, args.phonetic_name, args.mentions, args.strategy, args.deadline]
        if any(flag is not None for flag in flags):
            return _fail_input(["use either --json or the order flags, not both"])
        try:
            orders = read_json_orders(Path(args.json_file))
        except BatchInvalid as exc:
            return _fail_input(exc.errors)
        return _queue("submit", orders)
    fields = {
        "child_name": args.name,
        "age": args.age,
        "language": args.language,
        "phonetic_name": args.phonetic_name,
        "mentions": args.mentions,
        "strategy": args.strategy,
        "deadline": args.deadline,
        "order_id": args.order_id,
    }
    try:
        order = parse_order({k: v for k, v in fields.items() if v is not None})
    except OrderInvalid as exc:
        return _fail_input(exc.errors)
    return _queue("submit", [order])


def cmd_import(args: argparse.Namespace) -> int:
    try:
        orders = read_csv_orders(Path(args.csv_file))
    except BatchInvalid as exc:
        return _fail_input(exc.errors)
    code = _queue("import", orders, "row", first_number=2)
    if code == 0:
        print(f"queued {len(orders)} orders from {args.csv_file}", file=sys.stderr)
    return code


def cmd_status(args: argparse.Namespace) -> int:
    table = _table("status")
    operations = load_operations_settings()
    results, code = [], 0
    for order_id in args.order_ids:
        try:
            order = table.get(order_id)
        except OrderNotFound as exc:
            print(str(exc), file=sys.stderr)
            code = 1
            continue
        results.append({
            "order_id": order.order_id,
            "status": order.status,
            "attempts": order.attempts,
            "run_id": order.run_id,
            "last_error": order.last_error,
            "video_path": order.video_path,
            "render_host": order.render_host,
            "created_at": order.created_at.isoformat(),
            "delivered_at": order.delivered_at.isoformat() if order.delivered_at else None,
            **_deadline_fields(table, order),
            # Shared sentences made for every order are in no order's bill.
            "bill": order_bill(order, operations),
            "name_as_spoken": _name_as_spoken(order),
        })
    if args.json:
        print(json.dumps(results, indent=2))
    for result in [] if args.json else results:
        detail = result["video_path"] or result["last_error"] or ""
        if result["estimated_ready_at"]:
            detail = f"ready by {result['estimated_ready_at']}" + (
                f" AT RISK: deadline {result['deadline']}" if result["at_risk"] else "")
        print(f"{result['order_id']}  {result['status']:<10} attempts={result['attempts']}  {detail}".rstrip())
        if args.names and result["name_as_spoken"]:
            print(f"  name said as {result['name_as_spoken']['spoken']!r} (from {result['name_as_spoken']['source']})")
    return code


def _name_as_spoken(order) -> dict | None:
    """How Santa says (or, before the script step, will say) the name, and where that came from: for the operator's
    eyes only, never a log."""
    from santa_videos.names.as_spoken import name_as_spoken, name_said_in_video
    from santa_videos.names.location import LexiconLocation, configured_location
    from santa_videos.resources.media_store import media_store

    if not order.child_name:
        return None  # erased
    media = media_store()
    said = name_said_in_video(media, order.order_id)
    if said is None:
        said = name_as_spoken(order, LexiconLocation(configured_location()).load(media.backend))
    return said.as_json()


def _deadline_fields(table: OrderTable, order) -> dict:
    expected = estimate(table, order)
    return {
        "deadline": iso(order.deadline) if order.deadline else None,
        "estimated_ready_at": iso(expected.ready_at) if expected.ready_at else None,
        "at_risk": expected.at_risk,
        "place_in_queue": expected.place,
    }


def cmd_demo(args: argparse.Namespace) -> int:
    from santa_videos.demo import run_demo

    require_instance("demo")
    return run_demo(Path(args.workspace), timeout_seconds=args.timeout, providers=args.providers)


def register(commands) -> None:
    submit = add_command(
        commands, "submit", help="validate and queue one order; prints its order id",
        description="Validate and queue one order and print its order id. A bad order prints every problem "
        f"and exits {EXIT_BAD_INPUT}; nothing is queued then.",
        examples=[
            'santa-videos submit --name "Zoë" --age 7 --language es --mention "ayudó a su hermano"',
            "santa-videos submit --json order.json",
        ],
    )
    submit.add_argument("--name", help="the child's name as it should be written (letters, spaces, ' - .)")
    submit.add_argument("--age", help="the child's age in years (0 to 17)")
    submit.add_argument("--language", help=f"language of the video: {', '.join(LANGUAGES)}")
    submit.add_argument("--phonetic-name", help="how to pronounce the name, if the spelling misleads")
    submit.add_argument(
        "--mention", dest="mentions", action="append", metavar="TEXT",
        help="something Santa should mention: a catalog key (see `santa-videos catalog`) or your own words, "
        f"to the child (\"you shared your toys\") or about them; repeat up to {MAX_MENTIONS} times",
    )
    submit.add_argument("--strategy", help=f"how Santa is shown: {', '.join(s.value for s in Strategy)} (default template)")
    submit.add_argument("--deadline", help="when the video is due: 2026-12-20 or 2026-12-20T18:00:00Z")
    submit.add_argument("--order-id", help="the order's id (ord_...), to make a retry safe: the same order sent again "
                        "changes nothing; the same id with other fields is refused (exit 2)")
    submit.add_argument("--json", dest="json_file", metavar="FILE",
                        help="read the order (an object) or orders (a list) from a JSON file with the same field names")
    submit.set_defaults(handler=cmd_submit)

    importer = add_command(
        commands, "import", help="validate and queue every order of a CSV file, or none",
        description="Queue the orders of a CSV file whose header names order fields (child_name, age, language, "
        "phonetic_name, mentions, strategy, deadline, order_id); several mentions share one cell, separated "
        f"by '|', each a catalog key (`santa-videos catalog`) or text. If any row is bad, every problem is printed, "
        f"nothing is queued, and the exit code is {EXIT_BAD_INPUT}.",
        examples=["santa-videos import orders.csv"],
    )
    importer.add_argument("csv_file", metavar="orders.csv")
    importer.set_defaults(handler=cmd_import)

    status = add_command(
        commands, "status",
        help="show where orders are (status, attempts, video or error, estimated ready time, deadline at risk)",
        description="Show each order's status, attempts and video or error. A waiting or rendering order also gets "
        "its estimated ready time, from its place in the queue and the pace of the last hour, and AT RISK when "
        "that misses its deadline. --names adds how Santa says the child's name and where that came from (the "
        "order's own respelling, the name lexicon, or the spelling); --json always has it, and adds what the order's renders were billed (speech characters, lip-sync "
        "generations and seconds, summed over every attempt) and its estimated cost at the configured prices.",
        examples=[f"santa-videos status {EXAMPLE_ORDER_ID}", f"santa-videos status {EXAMPLE_ORDER_ID} --json"],
    )
    status.add_argument("order_ids", nargs="+", metavar="ORDER_ID")
    status.add_argument("--json", action="store_true", help="print JSON instead of one line per order")
    status.add_argument("--names", action="store_true", help="also print how Santa says each child's name")
    status.set_defaults(handler=cmd_status)

    demo = add_command(
        commands, "demo", help="queue three sample orders and render them through the daemon, offline",
        description="Queue three sample orders, start dagster-daemon for this instance (unless one is running), "
        "wait until they are delivered, and print each video's path and wall time. Needs the Dagster instance "
        "(see santa-videos --help) and the workspace file.",
        examples=["santa-videos demo", "santa-videos demo --providers fake"],
    )
    demo.add_argument("--workspace", default="workspace.yaml", help="the workspace file (default: workspace.yaml)")
    demo.add_argument("--timeout", type=int, default=900, help="seconds to wait for the deliveries (default 900)")
    demo.add_argument(
        "--providers", choices=["local", "fake"], default="local",
        help="local: espeak-ng and local clips (default); fake: the paid path (ElevenLabs voice, Higgsfield "
        "lip-sync) against fake servers on 127.0.0.1, offline; needs the source tree",
    )
    demo.set_defaults(handler=cmd_demo)
