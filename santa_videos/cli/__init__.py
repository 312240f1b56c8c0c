"""The `santa-videos` command. Each module of this package registers its own subcommands."""

import argparse
import os
import signal
import sys

from santa_videos.cli import catalog, dlq, forget, health, metrics, names, orders, say_name, serve, warm_cache, worker
from santa_videos.cli.help import HelpFormatter, format_examples
from santa_videos.instance_home import NoInstance, use_project_instance
from santa_videos.settings import SettingsError

EXIT_BAD_INPUT = 2
EXIT_NO_INSTANCE = 1

# Subcommand modules, in the order `--help` lists them.
COMMAND_MODULES = [orders, catalog, names, say_name, serve, worker, dlq, metrics, health, forget, warm_cache]
EXAMPLES = [
    "santa-videos demo",
    "santa-videos submit --name Emma --age 6 --language en --mention \"you fed the birds\"",
    "santa-videos dlq list --json",
    "santa-videos metrics --json | head",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="santa-videos", formatter_class=HelpFormatter, epilog=format_examples(EXAMPLES),
        description="Personalized Santa videos with Dagster. Orders go into the orders table "
        "(SANTA_ORDERS_DB_URL, default a SQLite file under SANTA_DATA_DIR); the intake sensor picks them up. "
        "The Dagster instance is DAGSTER_HOME, or else the project's .dagster_home/ that `make demo` and `make "
        "dev` create, found from the project folder or any folder in it; SANTA_DATA_DIR defaults to "
        "$DAGSTER_HOME/santa.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command in this process's environment as it is (the console script finds the instance first)."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except SettingsError as exc:
        print(f"santa-videos: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NoInstance as exc:
        print(f"santa-videos: {exc}", file=sys.stderr)
        return EXIT_NO_INSTANCE


def run() -> None:
    """The console script: the project's instance when DAGSTER_HOME is unset, then the command. When the reader
    of the output goes away (`santa-videos metrics --json | head`) it ends as a Unix tool does, by SIGPIPE,
    without a traceback."""
    use_project_instance()
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
        code = 128 + signal.SIGPIPE
    sys.exit(code)


if __name__ == "__main__":
    run()
