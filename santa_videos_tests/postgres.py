"""Throwaway PostgreSQL databases on the test server (SANTA_TEST_POSTGRES_URL, default 127.0.0.1:5432 as postgres)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from santa_videos.cluster.databases import temporary_database as shared_temporary_database
from santa_videos_tests.conftest import PROJECT_ROOT

ADMIN_URL = os.environ.get("SANTA_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
POSTGRES_INSTANCE_YAML = PROJECT_ROOT / "deploy" / "dagster.postgres.yaml"


def _admin() -> sa.Engine:
    return sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@contextmanager
def temporary_database(label: str) -> Iterator[str]:
    """A new, empty database named after the test; dropped afterwards even if connections are still open."""
    try:
        _admin().connect().close()
    except sa.exc.OperationalError as exc:
        raise RuntimeError(
            f"PostgreSQL is needed at {sa.make_url(ADMIN_URL).render_as_string(hide_password=True)} "
            "(set SANTA_TEST_POSTGRES_URL; .ci/run starts Debian's server)"
        ) from exc
    with shared_temporary_database(ADMIN_URL, f"santa_test_{label}") as name:
        yield name


def database_url(name: str) -> str:
    return sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def instance_env(name: str) -> dict[str, str]:
    """The variables deploy/dagster.postgres.yaml reads, pointing at database `name`."""
    url = sa.make_url(ADMIN_URL)
    return {
        "DAGSTER_PG_HOST": url.host or "127.0.0.1",
        "DAGSTER_PG_PORT": str(url.port or 5432),
        "DAGSTER_PG_USER": url.username or "postgres",
        "DAGSTER_PG_PASSWORD": url.password or "",
        "DAGSTER_PG_DB": name,
    }


def instance_overrides(name: str) -> dict:
    """The same storage as deploy/dagster.postgres.yaml, for dg.instance_for_test."""
    env = instance_env(name)
    return {
        "storage": {
            "postgres": {
                "postgres_db": {
                    "hostname": env["DAGSTER_PG_HOST"], "port": int(env["DAGSTER_PG_PORT"]),
                    "username": env["DAGSTER_PG_USER"], "password": env["DAGSTER_PG_PASSWORD"],
                    "db_name": name, "scheme": "postgresql+psycopg2",
                }
            }
        }
    }


# The storages a test runs on, as fixture params. The PostgreSQL variant needs the server, so it is never in the
# unit tier that `make test-fast` runs.
STORAGES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]


@contextmanager
def orders_database(kind: str, folder: Path, label: str = "orders") -> Iterator[str]:
    """The URL of an empty orders table: a SQLite file in `folder` for "sqlite", or a fresh PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'orders.db'}"
        return
    with temporary_database(label) as name:
        yield database_url(name)


@contextmanager
def storage(kind: str) -> Iterator[tuple[dict, str | None]]:
    """(Dagster instance overrides, orders table URL): SQLite files (the defaults) for "sqlite", or fresh
    PostgreSQL databases for "postgresql"."""
    if kind == "sqlite":
        yield {}, None
        return
    with temporary_database("dagster") as dagster_db, temporary_database("orders") as orders_db:
        yield instance_overrides(dagster_db), database_url(orders_db)
