"""Which Dagster instance a command works on. DAGSTER_HOME when it is set; otherwise the instance `make demo` and
`make dev` create, `.dagster_home/` in the project folder, found from the current folder or any folder below the
project's. Either way the environment then holds what the Makefile would export, so the daemon, the run workers
and this process agree on the instance, the data folder (SANTA_DATA_DIR, default `$DAGSTER_HOME/santa`) and the
orders table."""

import os
from pathlib import Path

from santa_videos.settings import apply_instance_env_defaults

INSTANCE_FOLDER = ".dagster_home"
WORKSPACE_FILE = "workspace.yaml"
WHAT_TO_DO = (
    "run `make demo` or `make dev` in the project folder (they create .dagster_home/ there) and run santa-videos "
    "from that folder, or set DAGSTER_HOME to your instance's folder"
)


class NoInstance(Exception):
    """The command needs a Dagster instance (or an orders table) and none was given or found."""


def find_project_instance(start: Path) -> Path | None:
    """From `start` up: the first `.dagster_home/` holding a dagster.yaml. The search ends at the project folder
    (the first folder with a workspace.yaml), so an instance outside the project is never picked up."""
    for folder in (start, *start.parents):
        home = folder / INSTANCE_FOLDER
        if (home / "dagster.yaml").is_file():
            return home
        if (folder / WORKSPACE_FILE).is_file():
            return None
    return None


def use_project_instance(start: Path | None = None) -> Path | None:
    """Set DAGSTER_HOME to the project's instance when it is unset, and the instance defaults dagster.yaml reads.
    Returns the instance folder now in use, if any. Variables already set are never changed."""
    if not os.environ.get("DAGSTER_HOME", "").strip():
        found = find_project_instance((start or Path.cwd()).resolve())
        if found is not None:
            os.environ["DAGSTER_HOME"] = str(found)
    apply_instance_env_defaults()
    home = os.environ.get("DAGSTER_HOME", "").strip()
    return Path(home) if home else None


def require_instance(command: str) -> Path:
    """The instance folder, or NoInstance saying what to do."""
    home = os.environ.get("DAGSTER_HOME", "").strip()
    if not home:
        raise NoInstance(f"{command} needs a Dagster instance and found none from {Path.cwd()}: {WHAT_TO_DO}.")
    if not Path(home).is_dir():
        raise NoInstance(f"{command}: DAGSTER_HOME={home} is not a folder: {WHAT_TO_DO}.")
    apply_instance_env_defaults()  # dagster.yaml reads some settings with {env: ...}
    return Path(home)


def open_instance(command: str):
    """The Dagster instance (a context manager that disposes it)."""
    require_instance(command)
    import dagster as dg  # only the commands that read the instance pay for importing dagster

    return dg.DagsterInstance.get()


def require_orders_table(command: str) -> None:
    """The orders table lives in the instance's data folder unless SANTA_DATA_DIR or SANTA_ORDERS_DB_URL says
    where: without any of them an order would go where no daemon reads it."""
    if any(os.environ.get(name, "").strip() for name in ("SANTA_ORDERS_DB_URL", "SANTA_DATA_DIR")):
        return
    if not os.environ.get("DAGSTER_HOME", "").strip():
        raise NoInstance(
            f"{command} needs the orders table of a Dagster instance and found none from {Path.cwd()}: {WHAT_TO_DO} "
            "(or SANTA_ORDERS_DB_URL to the orders database)."
        )
