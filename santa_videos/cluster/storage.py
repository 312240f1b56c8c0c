"""dagster-postgres's storage, with connections kept open between storage calls.

dagster-postgres 0.29.27 gives its run, event log and schedule storages SQLAlchemy's `NullPool` (only the
webserver holds a connection open): every storage call opens a connection and closes it, and each connection is a
new PostgreSQL backend process that authenticates and loads its catalog caches before its one statement. A video
on the cluster makes about 500 of them. Here a process keeps a small pool per database for as long as it lives,
shared by every DagsterInstance it makes (the code server makes one per sensor evaluation, a worker one per run),
each connection checked with a ping before use, so one that a restarted server dropped is replaced instead of
failing the call. Everything else is dagster-postgres's own.
"""

import os

import sqlalchemy as sa
from dagster._core.storage.base_storage import DagsterStorage
from dagster_postgres import (
    DagsterPostgresStorage, PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage,
)
from dagster_postgres.utils import create_pg_engine, get_token_provider_from_config, pg_url_from_config

# Per database and process: the daemon's threads and a run's event writes rarely need more than two at once.
POOL = {"pool_size": 2, "max_overflow": 8, "pool_recycle": 3600, "pool_pre_ping": True}
_engines: dict[tuple[str, int], sa.Engine] = {}
_tables_checked: set[str] = set()


def process_engine(postgres_url: str, token_provider) -> sa.Engine:
    """One pooled engine per database and process, shared by every instance the process makes: the code server
    makes one per sensor evaluation and a worker one per run, each of which would otherwise connect anew. Keyed by
    process too, so a forked process never uses its parent's connections."""
    key = (postgres_url, os.getpid())
    if key not in _engines:
        _engines[key] = create_pg_engine(postgres_url, token_provider, isolation_level="AUTOCOMMIT", **POOL)
    return _engines[key]


class _KeepsConnections:
    """Mixed into each of dagster-postgres's three storages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._engine.dispose()
        self._engine = process_engine(self.postgres_url, self._token_provider)


class PooledRunStorage(_KeepsConnections, PostgresRunStorage):
    pass


class PooledEventLogStorage(_KeepsConnections, PostgresEventLogStorage):
    pass


class PooledScheduleStorage(_KeepsConnections, PostgresScheduleStorage):
    """dagster's schedule storage asks whether its `instigators` table exists, by reading the whole catalog, on
    nearly every call (each sensor tick's writes and purge). `dagster instance migrate` makes it and nothing drops
    it, so once seen it is not looked up again."""

    _instigators_table_seen = False

    def has_instigators_table(self) -> bool:
        return self._instigators_table_seen or super().has_instigators_table()

    def _has_instigators_table(self, conn) -> bool:
        if not self._instigators_table_seen:
            self._instigators_table_seen = super()._has_instigators_table(conn)
        return self._instigators_table_seen


class PooledPostgresStorage(DagsterPostgresStorage):
    """`storage: postgres:`'s configuration, given under `storage: custom:` (deploy/dagster.cluster.yaml)."""

    def __init__(self, postgres_url: str, should_autocreate_tables: bool = True, inst_data=None, token_provider=None):
        self.postgres_url = postgres_url
        self.should_autocreate_tables = should_autocreate_tables
        self._inst_data = inst_data
        # Whether the tables exist is asked once per process, not by every instance it makes.
        parts = (postgres_url, should_autocreate_tables and postgres_url not in _tables_checked)
        self._run_storage = PooledRunStorage(*parts, token_provider=token_provider)
        self._event_log_storage = PooledEventLogStorage(*parts, token_provider=token_provider)
        self._schedule_storage = PooledScheduleStorage(*parts, token_provider=token_provider)
        _tables_checked.add(postgres_url)
        DagsterStorage.__init__(self)

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(pg_url_from_config(config_value), config_value.get("should_autocreate_tables", True), inst_data,
                   get_token_provider_from_config(config_value))
