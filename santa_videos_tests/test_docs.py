"""The docs cannot drift: every command they show is checked against the real tools, every relative link and image
points at a file that exists, and the configuration reference lists every environment variable the code reads."""

import ast
import re
from pathlib import Path

import pytest

from santa_videos_tests.docs_commands import PROJECT_ROOT, Command, commands_in, problem

pytestmark = pytest.mark.unit

DOCS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
CONFIGURATION = PROJECT_ROOT / "docs" / "configuration.md"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<img\s[^>]*src=\"([^\"]+)\"")
ENV_READERS = {"_int", "_float", "_flag", "_env", "_number", "_chain", "EnvVar", "getenv"}
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def all_commands() -> list[Command]:
    return [command for path in DOCS for command in commands_in(path)]


def test_every_command_shown_in_the_docs_exists_as_shown():
    problems = [f"{command}\n    {why}" for command in all_commands() if (why := problem(command))]
    assert not problems, "commands in the docs that would not work as shown:\n" + "\n".join(problems)


def test_the_readme_shows_the_two_commands():
    shown = {" ".join(command.words) for command in commands_in(PROJECT_ROOT / "README.md")}
    assert {"make demo", "make test"} <= shown


def test_the_checker_refuses_what_does_not_exist(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Run `santa-videos dlq list --jsn` or `make demoo`.\n\n```bash\n"
        "santa-videos submit --nme Emma\n"
        "dagster-daemon run --workspace-file workspace.yaml\n"
        "dagster instance migrat\n"
        "make bench BENCH_M=4\n"
        "curl --no-such-flag http://127.0.0.1:8080/\n"
        "sudo make demo\n"
        "santa-videos serve-intake --port 8080 && make test\n"
        "```\n",
        encoding="utf-8",
    )
    verdicts = {" ".join(command.words): problem(command) for command in commands_in(page)}
    passing = {"santa-videos serve-intake --port 8080", "make test"}
    assert {line for line, why in verdicts.items() if why is None} == passing
    assert len(verdicts) == 10
    assert "--jsn" in verdicts["santa-videos dlq list --jsn"]
    assert "--workspace-file" in verdicts["dagster-daemon run --workspace-file workspace.yaml"]
    assert "migrat" in verdicts["dagster instance migrat"]
    assert "BENCH_M" in verdicts["make bench BENCH_M=4"]


def _relative_links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    targets = [a or b for a, b in LINK.findall(text)]
    return [t for t in targets if not re.match(r"^[a-z]+:", t)]


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+\s+(.*)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def test_every_relative_link_and_image_points_at_something_that_exists():
    broken = []
    for path in DOCS:
        for target in _relative_links(path):
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists():
                broken.append(f"{path.name}: {target} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{path.name}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)
    assert sum(len(_relative_links(path)) for path in DOCS) > 20  # the links were found at all


def _constant(node: ast.AST, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return constants.get(node.id) if isinstance(node, ast.Name) else None


def _is_os_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def environment_variables_read() -> set[str]:
    """Names the code reads from the environment: the settings helpers, os.environ / os.getenv, EnvVar, and the
    `{env: NAME}` values of the instance files."""
    names = set()
    for path in [*PROJECT_ROOT.glob("santa_videos/**/*.py"), *PROJECT_ROOT.glob("bench/*.py"),
                 *PROJECT_ROOT.glob("santa_videos_tests/**/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if called in ENV_READERS or (called == "get" and _is_os_environ(func.value)):
                    name = _constant(node.args[0], constants)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_os_environ(node.value):
                name = _constant(node.slice, constants)
            if name and ENV_NAME.match(name):
                names.add(name)
    for instance_file in [PROJECT_ROOT / "dagster.yaml", *PROJECT_ROOT.glob("deploy/*.yaml")]:
        settings = re.sub(r"#.*", "", instance_file.read_text(encoding="utf-8"))
        names.update(re.findall(r"\{env:\s*([A-Z][A-Z0-9_]*)\s*\}", settings))
    return names


def test_the_configuration_reference_lists_every_variable_the_code_reads_once():
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", CONFIGURATION.read_text(encoding="utf-8"), flags=re.MULTILINE)
    read = environment_variables_read()
    assert {"SANTA_DATA_DIR", "ELEVENLABS_API_KEY", "DAGSTER_PG_HOST", "SANTA_FAULTS_FILE"} <= read
    assert not read - set(rows), f"read by the code but not in docs/configuration.md: {sorted(read - set(rows))}"
    assert not set(rows) - read, f"in docs/configuration.md but read nowhere: {sorted(set(rows) - read)}"
    assert len(rows) == len(set(rows)), "a variable is listed twice in docs/configuration.md"
