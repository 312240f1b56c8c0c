import dagster as dg

from santa_videos.orders.table import OrderTable

_tables: dict[str, OrderTable] = {}


def table_at(db_url: str) -> OrderTable:
    """One engine (and connection pool) per process and URL, however many steps and sensors ask for it."""
    if db_url not in _tables:
        _tables[db_url] = OrderTable(db_url)
    return _tables[db_url]


class OrdersResource(dg.ConfigurableResource):
    """The orders table (the system of record) at `db_url`: a SQLite file by default, PostgreSQL in production."""

    db_url: str

    def table(self) -> OrderTable:
        return table_at(self.db_url)
