"""`santa-videos catalog [--language LANG] [--json]`: the achievements and wishes an order may name by key."""

import argparse
import json

from santa_videos.cli.help import add_command
from santa_videos.orders.model import LANGUAGES
from santa_videos.script.catalog import catalog_document


def cmd_catalog(args: argparse.Namespace) -> int:
    document = catalog_document(args.language)
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    for item in document["entries"]:
        labels = " · ".join(item["labels"].values())
        print(f"{item['kind']:<12} {item['key']:<24} {labels}")
    return 0


def register(commands) -> None:
    catalog = add_command(
        commands, "catalog", examples=["santa-videos catalog", "santa-videos catalog --language es --json"], help="list the achievements and wishes an order may name by key",
        description="List the catalog of common achievements and wishes: each entry's kind, key and label. An "
        "order names one by giving its key as a mention (santa-videos submit --mention helped_at_home, a CSV "
        "mentions cell, the JSON mentions list or the form's choices), beside mentions in its own words; Santa "
        "says a line written for the video's language and the child's age. The intake serves the same as JSON at "
        "GET /catalog.",
    )
    catalog.add_argument("--language", choices=list(LANGUAGES), help="show the labels of one language only")
    catalog.add_argument("--json", action="store_true", help="print the catalog as JSON, as GET /catalog does")
    catalog.set_defaults(handler=cmd_catalog)
