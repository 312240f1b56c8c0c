"""A newcomer runs `santa-videos` from the project folder after `make demo` or `make dev`, with nothing exported:
every command finds the instance the Makefile made, the environment still overrides it, a folder without one
gets told what to do, and output cut short by `head` ends quietly."""

import json
import os
import shutil
import signal
import subprocess

import pytest

from santa_videos.daemon_harness import BIN, PROJECT_ROOT

pytestmark = pytest.mark.integration

VENV = BIN.parent
NAME = ["--name", "Emma", "--age", "6", "--language", "en"]


def clean_env(**extra) -> dict:
    """A shell with nothing of the project exported (not even what `make test` exports)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SANTA_", "DAGSTER_")) and k not in ("MAX_JOB_ATTEMPTS", "MAKEFLAGS", "MAKELEVEL")}
    return {**env, **extra}


def santa(cwd, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "santa-videos"), *args], cwd=cwd, env=clean_env(**env),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project folder's layout on which the Makefile has made its instance (`make instance`, the
    step `make demo` and `make dev` start with)."""
    folder = tmp_path_factory.mktemp("checkout") / "santa-videos"
    folder.mkdir()
    for name in ("Makefile", "dagster.yaml", "workspace.yaml"):
        shutil.copy(PROJECT_ROOT / name, folder / name)
    (folder / "docs").mkdir()
    made = subprocess.run(["make", "instance", f"VENV={VENV}"], cwd=folder, env=clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    assert (folder / ".dagster_home" / "dagster.yaml").is_file()
    return folder


@pytest.fixture(scope="module")
def order_id(project):
    submitted = santa(project, "submit", *NAME)
    assert submitted.returncode == 0, submitted.stderr
    return submitted.stdout.strip()


def test_orders_go_to_the_instance_the_makefile_made(project, order_id):
    assert (project / ".dagster_home" / "santa" / "orders.db").is_file()
    assert not (project / "var").exists()
    status = santa(project, "status", order_id, "--json")
    assert status.returncode == 0, status.stderr
    assert [o["status"] for o in json.loads(status.stdout)] == ["queued"]


def test_the_instance_commands_read_it_with_nothing_exported(project, order_id):
    letters = santa(project, "dlq", "list", "--json")
    assert (letters.returncode, json.loads(letters.stdout)) == (0, []), letters.stderr
    metrics = santa(project, "metrics", "--json")
    assert metrics.returncode == 0, metrics.stderr
    assert json.loads(metrics.stdout)["orders_received"] >= 1  # an instance that never saw the order says 0
    health = santa(project, "health", "--json")
    checks = {check["name"]: check for check in json.loads(health.stdout)["checks"]}
    assert checks["dagster instance"]["ok"], checks["dagster instance"]
    assert str(project / ".dagster_home" / "santa" / "media") in checks["media folder"]["detail"]
    assert not checks["daemon"]["ok"]  # none runs here: health says so, and exits 1
    assert health.returncode == 1


def test_a_folder_inside_the_project_finds_it_too(project, order_id):
    status = santa(project / "docs", "status", order_id)
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith(f"{order_id}  queued")


def test_the_environment_overrides_the_project_instance(project, order_id, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    status = santa(project, "status", order_id, DAGSTER_HOME=str(elsewhere))
    assert status.returncode == 1 and order_id in status.stderr  # not in that instance's orders table
    assert (elsewhere / "santa" / "orders.db").is_file()
    own_data = santa(project, "status", order_id, SANTA_DATA_DIR=str(tmp_path / "data"))
    assert own_data.returncode == 1 and (tmp_path / "data" / "orders.db").is_file()


@pytest.mark.parametrize("command", [
    ["dlq", "list", "--json"], ["dlq", "retry", "--all"], ["metrics", "--json"], ["forget", "ord_x"],
    ["demo", "--providers", "fake"], ["submit", *NAME], ["status", "ord_x"],
])
def test_without_an_instance_each_command_says_what_to_do(command, tmp_path):
    (tmp_path / "workspace.yaml").write_text("load_from: []\n")  # a project folder that never ran make
    done = santa(tmp_path, *command)
    assert done.returncode == 1
    assert "make demo" in done.stderr and "DAGSTER_HOME" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workspace.yaml"]  # nothing was created


def test_health_without_an_instance_fails_that_check_and_says_what_to_do(tmp_path):
    (tmp_path / "workspace.yaml").write_text("load_from: []\n")
    health = santa(tmp_path, "health", "--json")
    checks = {check["name"]: check for check in json.loads(health.stdout)["checks"]}
    assert health.returncode == 1
    assert not checks["dagster instance"]["ok"] and "make demo" in checks["dagster instance"]["detail"]


def test_output_cut_short_by_head_ends_quietly_as_a_unix_tool(project, tmp_path):
    # More than a pipe holds (64 KiB), so the command is still writing when head goes away.
    rows = "\n".join(f"Child,{n % 17},en" for n in range(400))
    (tmp_path / "orders.csv").write_text(f"child_name,age,language\n{rows}\n")
    imported = santa(project, "import", str(tmp_path / "orders.csv"))
    assert imported.returncode == 0, imported.stderr
    ids = " ".join(imported.stdout.split())
    piped = subprocess.run(["bash", "-c", f"set -o pipefail; {BIN / 'santa-videos'} status {ids} --json | head -3"],
                           cwd=project, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert piped.stdout.splitlines()[:2] == ["[", "  {"]
    assert piped.stderr == ""
    assert piped.returncode == 128 + signal.SIGPIPE  # what `yes | head` gives, so scripts tell it apart
