"""Every command's `--help` ends with examples, and every example is a command line the parser accepts."""

import argparse
import shlex

import pytest

from santa_videos.cli import build_parser

pytestmark = pytest.mark.unit


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """(words, parser) of the program and of every subcommand at any depth."""
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += commands(sub, (*path, name))
    return found


def example_lines(help_text: str) -> list[str]:
    _, _, block = help_text.partition("\nexample")
    return [line.strip() for line in block.splitlines()[1:] if line.startswith("  santa-videos ")]


ALL = commands(build_parser())


def test_every_command_is_listed():
    names = {" ".join(words) for words, _ in ALL}
    assert {"submit", "import", "status", "demo", "serve-intake", "dlq", "dlq list", "dlq retry", "metrics", "health",
            "forget"} <= names


@pytest.mark.parametrize("words, parser", ALL, ids=[" ".join(words) or "santa-videos" for words, _ in ALL])
def test_the_help_shows_examples_the_parser_accepts(words, parser):
    lines = example_lines(parser.format_help())
    assert lines, f"santa-videos {' '.join(words)} --help has no example"
    if words:  # a subcommand's examples run that subcommand
        assert all(shlex.split(line)[1 : 1 + len(words)] == list(words) for line in lines), lines
    for line in lines:
        argv = shlex.split(line.split(" | ")[0])[1:]
        build_parser().parse_args(argv)  # argparse exits (SystemExit 2) on a line it does not accept


def test_descriptions_are_still_wrapped_and_examples_kept_line_by_line():
    help_text = dict(ALL)[("metrics",)].format_help()
    assert max(len(line) for line in help_text.split("\nexample")[0].splitlines()) <= 100
    assert "\n  santa-videos metrics\n  santa-videos metrics --json" in help_text
