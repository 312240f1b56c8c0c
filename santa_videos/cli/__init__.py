"""The `santa-videos` command. Each module of this package registers its own subcommands."""

import argparse
import sys

from santa_videos.cli import dlq, forget, health, metrics, orders, serve
from santa_videos.settings import SettingsError

EXIT_BAD_INPUT = 2

# Subcommand modules, in the order `--help` lists them.
COMMAND_MODULES = [orders, serve, dlq, metrics, health, forget]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="santa-videos",
        description="Personalized Santa videos with Dagster. Orders go into the orders table "
        "(SANTA_ORDERS_DB_URL, default a SQLite file under SANTA_DATA_DIR); the intake sensor picks them up.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except SettingsError as exc:
        print(f"santa-videos: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
