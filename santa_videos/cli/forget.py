"""`santa-videos forget ORDER_ID`: erase a child's data at once, on request."""

import argparse
import sys

from santa_videos.cli.help import EXAMPLE_ORDER_ID, add_command
from santa_videos.instance_home import open_instance, require_instance
from santa_videos.orders.model import Status
from santa_videos.orders.table import OrderNotFound, OrderTable
from santa_videos.settings import load_operations_settings, load_settings

TERMINAL = (Status.DELIVERED, Status.FAILED, Status.REJECTED)
ERASED_NOTE = "canceled: the child's data was erased on request before the video was made"


def cmd_forget(args: argparse.Namespace) -> int:
    from santa_videos.cleanup import OrderBusy, Tally, erase
    from santa_videos.resources.audio_cache import open_audio_cache
    from santa_videos.resources.media_store import media_store

    require_instance("forget")  # before anything is erased: the order's runs must go too
    settings, operations = load_settings(), load_operations_settings()
    table = OrderTable(settings.orders_db_url)
    media = media_store()
    cache = open_audio_cache(media, operations.audio_cache_dir, operations.audio_cache_max_bytes, settings.orders_db_url)
    code = 0
    with open_instance("forget") as instance:
        for order_id in args.order_ids:
            try:
                order = table.get(order_id)
                tally = Tally()
                waiting = order.status not in TERMINAL
                erase(instance, table, media, cache, order_id, tally, note=ERASED_NOTE if waiting else None)
                if waiting:
                    # Never rendered now: a run that already read the id finds no name and stops.
                    table.mark_failed(order_id, ERASED_NOTE)
            except (OrderNotFound, OrderBusy) as exc:
                print(f"{order_id}: {exc}", file=sys.stderr)
                code = 1
                continue
            files = tally["working_folders"] + tally["published_files"] + tally["temp_files"]
            print(f"{order_id}  erased: {files} files or folders, {tally['cache_entries']} cached speech entries, "
                  f"{tally['runs']} runs, {tally['partitions']} partition")
    return code


def register(commands) -> None:
    forget = add_command(
        commands, "forget", help="erase a child's data now (name, mentions, photo, video, cached speech, runs)",
        description="Erase the order's personal data at once: the name, phonetic name and mentions in the orders "
        "table, every file of the order (photo, script, audio, clip, published video and thumbnail), the cached "
        "speech it used, and its Dagster runs, compute logs and partition. The order id, status and times stay. "
        "An order that was not finished is never rendered afterwards. Refused (exit 1) while a run of the order "
        "is queued or running. Needs the Dagster instance (see santa-videos --help).",
        examples=[f"santa-videos forget {EXAMPLE_ORDER_ID}"],
    )
    forget.add_argument("order_ids", nargs="+", metavar="ORDER_ID")
    forget.set_defaults(handler=cmd_forget)
