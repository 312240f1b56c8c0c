"""dagster-postgres's storage, with connections kept open between storage calls.

dagster-postgres 0.29.27 gives its run, event log and schedule storages SQLAlchemy's `NullPool` (only the
webserver holds a connection open): every storage call opens a connection and closes it, and each connection is a
new PostgreSQL backend process that authenticates and loads its catalog caches before its one statement. A video
on the cluster makes about 400 of them. Here each storage keeps a few connections for as long as its process (or,
in a worker, its run) lives, each checked with a ping before use, so one that a restarted server dropped is
replaced instead of failing the call. Everything else is dagster-postgres's own.
"""

from dagster._core.storage.base_storage import DagsterStorage
from dagster_postgres import DagsterPostgresStorage, PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage
from dagster_postgres.utils import create_pg_engine, get_token_provider_from_config, pg_url_from_config

# Per storage and process: the daemon's threads and a run's event writes rarely need more than two at once.
POOL = {"pool_size": 2, "max_overflow": 8, "pool_recycle": 3600, "pool_pre_ping": True}


class _KeepsConnections:
    """Mixed into each of dagster-postgres's three storages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._engine.dispose()
        self._engine = create_pg_engine(self.postgres_url, self._token_provider, isolation_level="AUTOCOMMIT", **POOL)

    def dispose(self) -> None:
        super().dispose()
        self._engine.dispose()


class PooledRunStorage(_KeepsConnections, PostgresRunStorage):
    pass


class PooledEventLogStorage(_KeepsConnections, PostgresEventLogStorage):
    pass


class PooledScheduleStorage(_KeepsConnections, PostgresScheduleStorage):
    pass


class PooledPostgresStorage(DagsterPostgresStorage):
    """`storage: postgres:`'s configuration, given under `storage: custom:` (deploy/dagster.cluster.yaml)."""

    def __init__(self, postgres_url: str, should_autocreate_tables: bool = True, inst_data=None, token_provider=None):
        self.postgres_url = postgres_url
        self.should_autocreate_tables = should_autocreate_tables
        self._inst_data = inst_data
        parts = (postgres_url, should_autocreate_tables)
        self._run_storage = PooledRunStorage(*parts, token_provider=token_provider)
        self._event_log_storage = PooledEventLogStorage(*parts, token_provider=token_provider)
        self._schedule_storage = PooledScheduleStorage(*parts, token_provider=token_provider)
        DagsterStorage.__init__(self)

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(pg_url_from_config(config_value), config_value.get("should_autocreate_tables", True), inst_data,
                   get_token_provider_from_config(config_value))
