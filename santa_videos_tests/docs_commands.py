"""The commands the docs show, read out of the Markdown and checked against the real tools without running them.

Every line of a fenced `bash`/`sh`/`shell`/`console` block is a command line, and so is an inline code span that
starts with one of INLINE_TOOLS and a word more. Each command is checked by its tool:
- `santa-videos`: parsed by the real argparse parser (subcommand, options, choices and types);
- `make`: every target is a target of the Makefile, every VAR=value names a variable the Makefile uses;
- `dagster`, `dagster-daemon`, `dagster-webserver`: subcommands and options looked up in the click commands their
  `--help` is printed from;
- HELP_CHECKED tools: every option appears in the tool's own `--help` output;
- ALLOWED tools: not checked, for the reason given;
- a path such as `.ci/run`: the file exists in the project.
Anything else is a problem, so a new tool in the docs gets a checker or an allow-list entry with its reason.
"""

import contextlib
import functools
import importlib
import io
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHELL_LANGUAGES = {"bash", "sh", "shell", "console"}
INLINE_TOOLS = {"santa-videos", "make", "dagster", "dagster-daemon", "dagster-webserver"}
CLICK_COMMANDS = {
    "dagster": "dagster._cli:cli",
    "dagster-daemon": "dagster._daemon.cli:cli",
    "dagster-webserver": "dagster_webserver.cli:cli",
}
# Tools whose options are checked against their own help text: the arguments that print it.
HELP_CHECKED = {
    "createdb": ["--help"],
    "curl": ["--help", "all"],
    "mkdir": ["--help"],
    "cp": ["--help"],
    "pytest": ["--noconftest", "--help"],
}
ALLOWED = {
    "export": "a shell builtin with no options shown: it only sets the variables the following lines use",
    "redis-server": "its options are redis.conf directives, which its --help does not list; the cluster drills and "
    "`make cluster-demo` start it with the same ones (santa_videos/cluster/services.py)",
}
SEPARATORS = {";", "&&", "||", "|", "&"}
REDIRECTIONS = {">", ">>", "<", ">&", "<&"}
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
FENCE = re.compile(r"^\s*```\s*([\w+-]*)")
INLINE_CODE = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True)
class Command:
    where: str  # file:line
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.where}: {shlex.join(self.words)}"


def _split_commands(line: str) -> list[list[str]]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands, words, skip_next = [], [], False
    for token in lexer:
        if skip_next:
            skip_next = False
        elif token in SEPARATORS:
            commands.append(words)
            words = []
        elif token in REDIRECTIONS:
            skip_next = True
        else:
            words.append(token)
    commands.append(words)
    return [words for words in commands if words]


def commands_in(path: Path) -> list[Command]:
    """The command lines of one Markdown file: fenced shell blocks, and inline spans of INLINE_TOOLS."""
    found, fence, pending, pending_at = [], None, "", 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        opening = FENCE.match(line)
        if opening:
            fence = None if fence is not None else opening.group(1).lower()
            continue
        if fence is None:
            for span in INLINE_CODE.findall(line):
                if span.split()[0] in INLINE_TOOLS and len(span.split()) > 1:
                    found += [Command(f"{path.name}:{number}", tuple(w)) for w in _split_commands(span)]
        elif fence in SHELL_LANGUAGES:
            text = line.strip().removeprefix("$ ") if fence == "console" else line.strip()
            if text.endswith("\\"):
                pending, pending_at = pending + text[:-1] + " ", pending_at or number
                continue
            text, where = pending + text, pending_at or number
            pending, pending_at = "", 0
            found += [Command(f"{path.name}:{where}", tuple(w)) for w in _split_commands(text)]
    return found


def problem(command: Command) -> str | None:
    """Why the command would not work as shown, or None."""
    words = list(command.words)
    while words and ASSIGNMENT.match(words[0]):
        words.pop(0)
    if not words:
        return None
    program, args = words[0], words[1:]
    if program.startswith(".venv/bin/"):
        program = program.removeprefix(".venv/bin/")
    elif "/" in program:
        return None if (PROJECT_ROOT / program).is_file() else f"{program} is not a file of the project"
    if program == "santa-videos":
        return _santa_videos_problem(args)
    if program == "make":
        return _make_problem(args)
    if program in CLICK_COMMANDS:
        return _click_problem(program, args)
    if program in HELP_CHECKED:
        return _help_problem(program, args)
    if program in ALLOWED:
        return None
    return f"nothing checks `{program}`: give it a checker, or allow-list it with its reason, in {Path(__file__).name}"


@functools.cache
def _santa_videos_parser():
    from santa_videos.cli import build_parser

    return build_parser()


def _santa_videos_problem(args: list[str]) -> str | None:
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
            _santa_videos_parser().parse_args(args)
    except SystemExit as exc:
        if exc.code not in (0, None):
            return errors.getvalue().strip().splitlines()[-1]
    return None


@functools.cache
def _makefile() -> tuple[set[str], str]:
    text = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set()
    for line in text.splitlines():
        rule = re.match(r"^([A-Za-z0-9_.\- ]+):(?![:=])", line)
        if rule:
            targets.update(rule.group(1).split())
    return targets, text


def _make_problem(args: list[str]) -> str | None:
    targets, text = _makefile()
    for arg in args:
        if arg.startswith("-"):
            return f"make options are not checked: show `make TARGET [VAR=value]` only (got {arg})"
        if ASSIGNMENT.match(arg):
            name = arg.split("=", 1)[0]
            if not re.search(rf"\$\({name}\)|^{name}\s*[?:]?=", text, re.MULTILINE):
                return f"the Makefile does not use the variable {name}"
        elif arg not in targets:
            return f"the Makefile has no target {arg}"
    return None


def _click_problem(program: str, args: list[str]) -> str | None:
    import click

    module, attribute = CLICK_COMMANDS[program].split(":")
    command = getattr(importlib.import_module(module), attribute)
    context, path = click.Context(command, info_name=program), [program]
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--":
            break
        if word.startswith("-") and word != "-":
            flag = word.split("=", 1)[0]
            options = {
                name: param
                for param in command.get_params(context) if isinstance(param, click.Option)
                for name in (*param.opts, *param.secondary_opts)
            }
            if flag not in options:
                return f"`{' '.join(path)}` has no option {flag} (see `{' '.join(path)} --help`)"
            takes_value = not (options[flag].is_flag or options[flag].count)
            index += 2 if takes_value and "=" not in word else 1
            continue
        if isinstance(command, click.Group):
            subcommand = command.get_command(context, word)
            if subcommand is None:
                return f"`{' '.join(path)}` has no subcommand {word}"
            command, path = subcommand, [*path, word]
            context = click.Context(command, info_name=word, parent=context)
        index += 1
    if isinstance(command, click.Group) and not command.invoke_without_command:
        return f"`{' '.join(path)}` needs a subcommand"
    return None


@functools.cache
def _help_text(program: str) -> str:
    argv = [sys.executable, "-m", "pytest"] if program == "pytest" else [program]
    result = subprocess.run([*argv, *HELP_CHECKED[program]], capture_output=True, text=True, timeout=60,
                            cwd=PROJECT_ROOT)
    return result.stdout + result.stderr


def _help_problem(program: str, args: list[str]) -> str | None:
    help_text = _help_text(program)
    for word in args:
        if word == "--":
            break
        if word.startswith("-") and word != "-":
            flag = word.split("=", 1)[0]
            if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", help_text):
                return f"`{program} {' '.join(HELP_CHECKED[program])}` does not list {flag}"
    return None
