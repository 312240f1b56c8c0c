"""Where the bench's instances keep their data: SQLite files (the default), or PostgreSQL, where each instance
gets a fresh database of its own for Dagster's storage and the orders table, dropped when the bench ends."""

import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import yaml

from santa_videos.cluster.databases import temporary_database

STORAGES = ("sqlite", "postgres")
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "").strip() or "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


def postgres_instance_yaml(instance_yaml: Path, postgres_url: str) -> str:
    """`instance_yaml` with its storage moved to the database at `postgres_url`; everything else as it is."""
    config = yaml.safe_load(instance_yaml.read_text())
    config["storage"] = {"postgres": {"postgres_url": postgres_url}}
    return yaml.safe_dump(config, sort_keys=False)


@dataclass
class InstanceStorage:
    """The dagster.yaml an instance starts from, and the settings that point it (and its orders table) somewhere."""

    instance_yaml: Path
    env: dict[str, str] = field(default_factory=dict)


class BenchStorage:
    """Use as a context manager: on leaving it, every database it created is dropped, even after a failure."""

    def __init__(self, kind: str):
        if kind not in STORAGES:
            raise ValueError(f"storage must be one of {', '.join(STORAGES)} (got {kind!r})")
        self.kind = kind
        self._databases = ExitStack()

    def __enter__(self) -> "BenchStorage":
        return self

    def __exit__(self, *exc) -> None:
        self._databases.close()

    def for_instance(self, root: Path, instance_yaml: Path) -> InstanceStorage:
        """Storage for a new instance under `root`, from the dagster.yaml under test."""
        if self.kind == "sqlite":
            return InstanceStorage(instance_yaml)
        url = self._new_database()
        root.mkdir(parents=True, exist_ok=True)
        written = root / "dagster.postgres.yaml"
        written.write_text(postgres_instance_yaml(instance_yaml, url))
        return InstanceStorage(written, {"SANTA_ORDERS_DB_URL": url})

    def dagster_overrides(self) -> tuple[dict, str | None]:
        """(instance overrides for dg.instance_for_test, orders table URL or None for the data folder's SQLite)."""
        if self.kind == "sqlite":
            return {}, None
        url = self._new_database()
        return {"storage": {"postgres": {"postgres_url": url}}}, url

    def _new_database(self) -> str:
        name = self._databases.enter_context(temporary_database(POSTGRES_ADMIN_URL, "santa_bench"))
        return sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
