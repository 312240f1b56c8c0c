import dagster as dg

from santa_videos.orders.table import OrderTable

_tables: dict[str, OrderTable] = {}


class OrdersResource(dg.ConfigurableResource):
    """The orders table (the system of record) at `db_url`: a SQLite file by default, PostgreSQL in production."""

    db_url: str

    def table(self) -> OrderTable:
        # One engine (and connection pool) per process and URL, however many steps ask for it.
        if self.db_url not in _tables:
            _tables[self.db_url] = OrderTable(self.db_url)
        return _tables[self.db_url]
