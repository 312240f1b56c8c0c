"""The lip-sync segments being generated, in the orders database: one row per segment from its claim until its clip
is stored, holding the provider's request id once it is paid for.

A row is a claim: the run that inserts it submits the generation; any other run that needs the same segment finds
the row and waits for its request id, then polls that id itself (polling is free). A claimer refreshes its claim
while it works; a claim with no request id that nobody refreshed for `stale_seconds` belonged to a run that died,
and the next run that needs the segment takes it over. Shared segments (made once for every order) have no order
id; an order's own segments carry it, so a retried run finds what an earlier attempt paid for.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from santa_videos.orders.database import create_tables

metadata = sa.MetaData()

segments_table = sa.Table(
    "lipsync_segments",
    metadata,
    # A shared segment's content key, or ORDER_ID/KEY for an order's own.
    sa.Column("segment_key", sa.String(128), primary_key=True),
    sa.Column("order_id", sa.String(40), nullable=True, index=True),
    sa.Column("request_id", sa.String(64), nullable=True),
    sa.Column("claimed_by", sa.String(200), nullable=False),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Claim:
    """A segment's row as one run sees it: `mine` when this run holds the claim."""

    segment_key: str
    order_id: str | None
    request_id: str | None
    claimed_by: str
    mine: bool


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _insert(conn: sa.Connection):
    return (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(segments_table)


class LipsyncLedger:
    """Claims and request ids of lip-sync segments, for the claimer `claimer` (its run and machine)."""

    def __init__(self, engine: sa.Engine, claimer: str, stale_seconds: float = 120):
        self.engine, self.claimer, self.stale_seconds = engine, claimer, stale_seconds
        create_tables(engine, metadata)

    def _row(self, conn: sa.Connection, key: str) -> Claim | None:
        row = conn.execute(sa.select(segments_table).where(segments_table.c.segment_key == key)).first()
        if row is None:
            return None
        return Claim(row.segment_key, row.order_id, row.request_id, row.claimed_by, row.claimed_by == self.claimer)

    def get(self, key: str) -> Claim | None:
        with self.engine.connect() as conn:
            return self._row(conn, key)

    def claim(self, key: str, order_id: str | None) -> Claim:
        """Claim the segment: a new row, or a stale claim without a request id taken over. Either way the row as it
        now stands (`mine` says whether this run holds it)."""
        with self.engine.begin() as conn:
            fresh = _insert(conn).values(
                segment_key=key, order_id=order_id, request_id=None, claimed_by=self.claimer, claimed_at=_now()
            )
            conn.execute(fresh.on_conflict_do_nothing(index_elements=["segment_key"]))
        cutoff = _now() - timedelta(seconds=self.stale_seconds)
        take_over = segments_table.update().where(
            segments_table.c.segment_key == key, segments_table.c.request_id.is_(None),
            segments_table.c.claimed_at < cutoff, segments_table.c.claimed_by != self.claimer,
        ).values(claimed_by=self.claimer, claimed_at=_now())
        with self.engine.begin() as conn:
            conn.execute(take_over)
            return self._row(conn, key)

    def save(self, key: str, request_id: str) -> None:
        """The request id of the generation this run just submitted for the segment (before polling it)."""
        with self.engine.begin() as conn:
            conn.execute(segments_table.update().where(segments_table.c.segment_key == key).values(
                request_id=request_id, claimed_by=self.claimer, claimed_at=_now()
            ))

    def refresh(self, keys: list[str]) -> None:
        """This run is still working on these segments: its claims on them are not stale."""
        if not keys:
            return
        with self.engine.begin() as conn:
            conn.execute(segments_table.update().where(
                segments_table.c.segment_key.in_(keys), segments_table.c.claimed_by == self.claimer
            ).values(claimed_at=_now()))

    def release(self, key: str) -> None:
        """Give up this run's claim of a segment it never submitted, so another run may claim it at once."""
        with self.engine.begin() as conn:
            conn.execute(segments_table.delete().where(
                segments_table.c.segment_key == key, segments_table.c.claimed_by == self.claimer,
                segments_table.c.request_id.is_(None),
            ))

    def forget_request(self, key: str, request_id: str) -> None:
        """The provider will never complete `request_id`: nobody polls it again, the segment is free to claim."""
        with self.engine.begin() as conn:
            conn.execute(segments_table.delete().where(
                segments_table.c.segment_key == key, segments_table.c.request_id == request_id
            ))

    def done(self, key: str) -> None:
        """The segment's clip is stored: its row is no longer needed."""
        with self.engine.begin() as conn:
            conn.execute(segments_table.delete().where(segments_table.c.segment_key == key))

    def of_order(self, order_id: str) -> list[Claim]:
        with self.engine.connect() as conn:
            keys = conn.execute(
                sa.select(segments_table.c.segment_key).where(segments_table.c.order_id == order_id)
            ).scalars().all()
            return [self._row(conn, key) for key in keys]

    def forget_order(self, order_id: str) -> int:
        """Remove the rows of an order's own segments (retention); shared ones belong to no order."""
        with self.engine.begin() as conn:
            return conn.execute(segments_table.delete().where(segments_table.c.order_id == order_id)).rowcount
