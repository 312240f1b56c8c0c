"""What every command's `--help` shares: its description wrapped to the terminal, its examples line by line."""

import argparse

# An order id as the examples show it (any real one looks alike: ord_ and 26 letters or digits).
EXAMPLE_ORDER_ID = "ord_01m8n2j091y928kj6mpq6kq2t4"


class HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions as argparse does; prints the examples block (the epilog) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("example"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def format_examples(command_lines: list[str]) -> str:
    heading = "examples:" if len(command_lines) > 1 else "example:"
    return "\n".join([heading, *(f"  {line}" for line in command_lines)])


def add_command(commands, name: str, *, examples: list[str], **kwargs) -> argparse.ArgumentParser:
    """A subcommand whose help ends with `examples`, each a whole command line."""
    return commands.add_parser(name, formatter_class=HelpFormatter, epilog=format_examples(examples), **kwargs)
