"""The orders database: an engine for its URL (SQLite file by default, PostgreSQL by URL) and a schema that builds and
upgrades itself, safely when several processes start at once."""

from pathlib import Path

import sqlalchemy as sa


def make_engine(url: str) -> sa.Engine:
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    database = sa.engine.make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # WAL lets the sensor read while a run worker writes; busy_timeout waits instead of failing.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Erased personal data is overwritten with zeros, not left in free pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return engine


def create_tables(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """create_all, safe when several processes create the tables at once: one that loses the race finds them made."""
    try:
        metadata.create_all(engine)
    except sa.exc.DBAPIError:
        if not all(sa.inspect(engine).has_table(name) for name in metadata.tables):
            raise


def add_missing_columns(engine: sa.Engine, table: sa.Table) -> None:
    """create_all makes missing tables only: a table from an older release gets its new (nullable) columns here,
    so upgrading needs no manual migration."""
    present = {column["name"] for column in sa.inspect(engine).get_columns(table.name)}
    for column in table.columns:
        if column.name in present or not column.nullable:
            continue
        kind = column.type.compile(dialect=engine.dialect)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
        except sa.exc.DBAPIError:
            # Several processes may upgrade at once: only a column that is still missing is an error.
            if column.name not in {c["name"] for c in sa.inspect(engine).get_columns(table.name)}:
                raise


def add_missing_indexes(engine: sa.Engine, table: sa.Table) -> None:
    """Indexes added by a later release to a table that already exists (create_all skips them)."""
    present = {index["name"] for index in sa.inspect(engine).get_indexes(table.name)}
    for index in table.indexes:
        if index.name in present:
            continue
        try:
            index.create(engine)
        except sa.exc.DBAPIError:
            if index.name not in {i["name"] for i in sa.inspect(engine).get_indexes(table.name)}:
                raise
