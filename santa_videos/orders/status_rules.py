"""Which status writes the orders table accepts: an order's status moves forward only.

Run events reach the orders table late and out of order (a sensor reads a run, then writes; the run may have moved on
in between), so every status write is a guarded transition, an UPDATE whose WHERE clause holds the rule below:

    to rendering  from queued or failed for a run newer than the one the order records (never the run that failed
                  it, never a run from before an operator queued it again); from rendering for that run or a newer one
    to failed     for a run: from rendering or failed for that run or a newer one, from queued for a newer run only;
                  without a run (an operator's decision, e.g. erasure): from any unfinished status
    to delivered  from queued, rendering, failed or delivered: a run that published the video is the truth
    to queued     (an operator's `dlq retry`) from rendering, failed or queued; (the intake, once an order's photo
                  is stored) from received

Delivered is never left, and received (not yet accepted) and rejected orders never take a run's status. "Newer"
compares Dagster's run storage ids, which grow with every run the instance creates; an order that records no
storage id (written before they were kept) counts every run as newer.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from santa_videos.orders.model import Status

UNFINISHED = (Status.RECEIVED, Status.QUEUED, Status.RENDERING, Status.FAILED)


@dataclass(frozen=True)
class RunRef:
    """A Dagster run as the orders table records it: its id and its storage id (RunRecord.storage_id)."""

    run_id: str
    storage_id: int

    @classmethod
    def of(cls, record) -> "RunRef":
        """From a Dagster RunRecord (read without importing Dagster here: the CLI's order commands use this module)."""
        return cls(record.dagster_run.run_id, record.storage_id)


def _newer(orders: sa.Table, run: RunRef) -> sa.ColumnElement:
    return sa.or_(orders.c.run_storage_id.is_(None), orders.c.run_storage_id < run.storage_id)


def _same_or_newer(orders: sa.Table, run: RunRef) -> sa.ColumnElement:
    return sa.or_(orders.c.run_storage_id.is_(None), orders.c.run_storage_id <= run.storage_id)


def to_rendering(orders: sa.Table, run: RunRef) -> sa.ColumnElement:
    return sa.or_(
        sa.and_(orders.c.status.in_([Status.QUEUED, Status.FAILED]), _newer(orders, run)),
        sa.and_(orders.c.status == Status.RENDERING, _same_or_newer(orders, run)),
    )


def to_failed(orders: sa.Table, run: RunRef | None) -> sa.ColumnElement:
    if run is None:
        return orders.c.status.in_(UNFINISHED)
    return sa.or_(
        sa.and_(orders.c.status.in_([Status.RENDERING, Status.FAILED]), _same_or_newer(orders, run)),
        sa.and_(orders.c.status == Status.QUEUED, _newer(orders, run)),
    )


def to_delivered(orders: sa.Table) -> sa.ColumnElement:
    return orders.c.status.in_([Status.QUEUED, Status.RENDERING, Status.FAILED, Status.DELIVERED])


def to_requeued(orders: sa.Table) -> sa.ColumnElement:
    return orders.c.status.in_([Status.QUEUED, Status.RENDERING, Status.FAILED])


def to_accepted(orders: sa.Table) -> sa.ColumnElement:
    return orders.c.status == Status.RECEIVED
