"""The orders table: the system of record for every order (SQLite file by default, PostgreSQL by URL)."""

import json
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from santa_videos import faults
from santa_videos.orders import queueing, status_rules
from santa_videos.orders.database import add_missing_columns, add_missing_indexes, create_tables, make_engine
from santa_videos.orders.model import Order, Status
from santa_videos.orders.status_rules import RunRef

metadata = sa.MetaData()

orders = sa.Table(
    "orders",
    metadata,
    # `seq` orders intake: the sensor's cursor is the last seq it handed to Dagster.
    sa.Column("seq", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("order_id", sa.String(40), nullable=False, unique=True),
    sa.Column("child_name", sa.Text, nullable=True),
    sa.Column("age", sa.Integer, nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("phonetic_name", sa.Text, nullable=True),
    sa.Column("mentions", sa.Text, nullable=False, default="[]"),
    sa.Column("strategy", sa.String(16), nullable=False),
    sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
    # When the order is due: its deadline, or its arrival + SANTA_DEFAULT_DEADLINE_HOURS. The intake order's key.
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    # The run that last moved the status, and its place in Dagster's run storage (a newer run has a larger
    # storage id): a late event of an older run can then be told from news (status_rules.py).
    sa.Column("run_id", sa.String(64), nullable=True),
    sa.Column("run_storage_id", sa.BigInteger, nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("video_path", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True, index=True),
    # From the delivering run's start to the delivery: the render time the estimated ready times use (estimates.py).
    sa.Column("render_seconds", sa.Float, nullable=True),
    sa.Column("has_photo", sa.Boolean, nullable=True),
    # SHA-256 of the photo as the customer sent it: a repeat of the order must bring the same photo (queueing.py).
    sa.Column("photo_sha256", sa.String(64), nullable=True),
    # What the shop's delivery webhook answered, e.g. "sent: HTTP 200 after 1 attempt".
    sa.Column("webhook_result", sa.Text, nullable=True),
    sa.Column("webhook_at", sa.DateTime(timezone=True), nullable=True),
    # The lip-sync provider's request id, saved before polling: a retry polls it instead of paying again.
    sa.Column("clip_request_id", sa.String(64), nullable=True),
    # What the order's renders were billed, summed over every attempt: speech characters, lip-sync generations and
    # the seconds those generations were billed for (shared sentences made for everyone are in no order's bill).
    sa.Column("characters_billed", sa.Integer, nullable=True),
    sa.Column("lipsync_generations", sa.Integer, nullable=True),
    sa.Column("lipsync_seconds_billed", sa.Float, nullable=True),
    # The machine (SANTA_HOST_NAME) whose run last worked on the order: for operators of several workers.
    sa.Column("render_host", sa.String(64), nullable=True),
    # Retention: when the order's Dagster runs, partition and working files were removed, and when the
    # child's data (name, mentions, photo, video) was erased. Neither touches updated_at, which ages the order.
    sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_orders_intake_order", "status", "due_at", "seq"),
)

# The intake order, the one order waiting orders are handed to Dagster in (the estimated ready times count places in
# it): earliest due first, then by arrival.
INTAKE_ORDER = (orders.c.due_at, orders.c.seq)


@dataclass(frozen=True)
class OrderRecord:
    seq: int
    order_id: str
    child_name: str | None
    age: int
    language: str
    phonetic_name: str | None
    mentions: list[str]
    strategy: str
    deadline: datetime | None
    status: str
    attempts: int
    run_id: str | None
    last_error: str | None
    video_path: str | None
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None
    has_photo: bool | None = None
    photo_sha256: str | None = None
    render_seconds: float | None = None
    webhook_result: str | None = None
    webhook_at: datetime | None = None
    clip_request_id: str | None = None
    render_host: str | None = None
    purged_at: datetime | None = None
    erased_at: datetime | None = None
    run_storage_id: int | None = None
    due_at: datetime | None = None
    characters_billed: int | None = None
    lipsync_generations: int | None = None
    lipsync_seconds_billed: float | None = None

    @property
    def spoken_name(self) -> str:
        return self.phonetic_name or self.child_name or ""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite hands datetimes back without their zone; they were written in UTC.
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def _record(row: sa.Row) -> OrderRecord:
    values = dict(row._mapping)
    values["mentions"] = json.loads(values["mentions"] or "[]")
    for key in ("deadline", "due_at", "created_at", "updated_at", "delivered_at", "webhook_at", "purged_at", "erased_at"):
        values[key] = _utc(values[key])
    return OrderRecord(**values)


class OrderNotFound(LookupError):
    pass


class OrderTable:
    """Reads and writes orders. Every write is one short transaction, safe from several processes at once."""

    def __init__(self, url: str):
        self.url = url
        self._engine: sa.Engine | None = None
        self._engine_lock = threading.Lock()

    @property
    def engine(self) -> sa.Engine:
        with self._engine_lock:
            if self._engine is None:
                engine = make_engine(self.url)
                create_tables(engine, metadata)
                add_missing_columns(engine, orders)
                add_missing_indexes(engine, orders)
                queueing.fill_missing_due_times(engine, orders)
                self._engine = engine
        return self._engine

    def add(self, orders_to_add: list[Order], photo_sha256: str | None = None) -> list[tuple[str, bool]]:
        """Queue orders in one transaction, all or none: (order id, whether this call added it) for each. An id
        already there with the same fields is a harmless repeat; with other fields, OrderConflict names them and
        nothing is added (queueing.py). `photo_sha256`: the digest of the photo sent with a single order, which is
        then `received` until accept_photo_order."""
        results, conflicts = [], []
        with self.engine.begin() as conn:
            for position, order in enumerate(orders_to_add):
                created = queueing.insert_once(conn, orders, order, photo_sha256)
                if not created:
                    stored = conn.execute(sa.select(orders).where(orders.c.order_id == order.order_id)).mappings().one()
                    if fields := queueing.differing_fields(order, photo_sha256, stored):
                        conflicts.append((position, order.order_id, fields))
                results.append((order.order_id, created))
            if conflicts:
                raise queueing.OrderConflict(conflicts)  # leaving the block rolls every insert back
        return results

    def accept_photo_order(self, order_id: str) -> bool:
        """The order's photo is stored: `received` becomes `queued` (False when it already was)."""
        return self._transition(order_id, status_rules.to_accepted(orders), status=Status.QUEUED)

    def get(self, order_id: str) -> OrderRecord:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(orders).where(orders.c.order_id == order_id)).first()
        if row is None:
            raise OrderNotFound(f"no order with id {order_id}")
        return _record(row)

    def existing_ids(self, order_ids: list[str]) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(orders.c.order_id).where(orders.c.order_id.in_(order_ids))).scalars())

    def has_orders_in_flight(self) -> bool:
        """Whether any order is queued or rendering: without one, no run of an order can be under way."""
        query = sa.select(orders.c.seq).where(orders.c.status.in_([Status.QUEUED, Status.RENDERING])).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def waiting_in_intake_order(self, limit: int, offset: int = 0) -> list[tuple[str, datetime]]:
        """(order_id, due_at) of queued orders, earliest due first, then by arrival; reads ids only."""
        query = (
            sa.select(orders.c.order_id, orders.c.due_at)
            .where(orders.c.status == Status.QUEUED)
            .order_by(*INTAKE_ORDER)
            .offset(offset)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            waiting = [(row.order_id, _utc(row.due_at)) for row in conn.execute(query)]
        faults.inject("intake")
        return waiting

    def unfinished(self, unchanged_since: datetime, limit: int) -> list[tuple[str, str, datetime]]:
        """(order_id, status, due_at) of orders not touched since then: those rendering, oldest first, then the
        first queued ones in the intake order (a backlog waits there; the orders handed to Dagster lead it)."""
        untouched = orders.c.updated_at < unchanged_since
        rendering = (sa.select(orders.c.order_id, orders.c.status, orders.c.due_at)
                     .where(orders.c.status == Status.RENDERING, untouched).order_by(orders.c.seq).limit(limit))
        queued = (sa.select(orders.c.order_id, orders.c.status, orders.c.due_at)
                  .where(orders.c.status == Status.QUEUED, untouched).order_by(*INTAKE_ORDER).limit(limit))
        with self.engine.connect() as conn:
            rows = [*conn.execute(rendering), *conn.execute(queued)]
        return [(row.order_id, row.status, _utc(row.due_at)) for row in rows]

    def mark_rendering(self, order_id: str, run: RunRef, host: str | None = None) -> bool:
        """Record that `run` works on the order (on `host`, when a step says so), unless the order has moved on
        (status_rules.py); a newer run counts one more attempt. False when the order's status was left as it is."""
        values = dict(
            status=Status.RENDERING, last_error=None, run_id=run.run_id, run_storage_id=run.storage_id,
            attempts=orders.c.attempts + sa.case((orders.c.run_id.is_distinct_from(run.run_id), 1), else_=0),
        )
        if host:
            values["render_host"] = host
        return self._transition(order_id, status_rules.to_rendering(orders, run), **values)

    def mark_delivered(self, order_id: str, video_path: Path) -> bool:
        values = dict(status=Status.DELIVERED, video_path=str(video_path), delivered_at=_now(), last_error=None)
        return self._transition(order_id, status_rules.to_delivered(orders), **values)

    def record_render_time(self, order_id: str, seconds: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(orders.update().where(orders.c.order_id == order_id).values(render_seconds=round(seconds, 3)))

    def record_webhook(self, order_id: str, result: str) -> None:
        self._update(order_id, webhook_result=result, webhook_at=_now())

    def mark_failed(self, order_id: str, reason: str, run: RunRef | None = None) -> bool:
        """The order failed: because of `run`, or (without one) by an operator's decision."""
        values = {"status": Status.FAILED, "last_error": reason}
        if run is not None:
            values.update(run_id=run.run_id, run_storage_id=run.storage_id)
        return self._transition(order_id, status_rules.to_failed(orders, run), **values)

    def add_costs(self, order_id: str, characters_billed: int = 0, lipsync_generations: int = 0,
                  lipsync_seconds_billed: float = 0.0) -> None:
        """Add what a step was billed to the order's bill (an attempt that pays adds; one served from caches adds 0)."""
        added = {"characters_billed": characters_billed, "lipsync_generations": lipsync_generations,
                 "lipsync_seconds_billed": lipsync_seconds_billed}
        values = {name: sa.func.coalesce(orders.c[name], 0) + amount for name, amount in added.items()}
        with self.engine.begin() as conn:
            conn.execute(orders.update().where(orders.c.order_id == order_id).values(**values))

    def set_clip_request(self, order_id: str, request_id: str | None) -> None:
        """Save (or, with None, forget) the lip-sync provider's request id of the order."""
        self._update(order_id, clip_request_id=request_id)

    def requeue(self, order_id: str) -> bool:
        """Back to `queued` for a manual re-run of a dead letter; its reason stays until a run starts. A delivered
        order stays delivered (re-running a failed resend of its notice changes nothing)."""
        return self._transition(order_id, status_rules.to_requeued(orders), status=Status.QUEUED)

    def past_retention(self, mark: str, delivered_before: datetime, failed_before: datetime, limit: int) -> list[str]:
        """Ids of terminal orders not yet `mark`ed (purged_at / erased_at): delivered before the first time, failed
        or rejected (dead letters, kept longer for the operator) before the second; oldest first."""
        unmarked = orders.c[mark].is_(None)
        delivered = sa.and_(orders.c.status == Status.DELIVERED, orders.c.updated_at < delivered_before)
        failed = sa.and_(orders.c.status.in_([Status.FAILED, Status.REJECTED]), orders.c.updated_at < failed_before)
        query = sa.select(orders.c.order_id).where(unmarked, sa.or_(delivered, failed)).order_by(orders.c.seq).limit(limit)
        with self.engine.connect() as conn:
            return [row.order_id for row in conn.execute(query)]

    def mark_purged(self, order_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(orders.update().where(orders.c.order_id == order_id).values(purged_at=_now()))

    def erase_personal_data(self, order_id: str, note: str | None = None) -> None:
        """Blank the child's name, phonetic name and mentions (and the error text, which may quote them; `note`
        replaces it); the row, its id, status and times stay as the record that the order existed and was erased."""
        values = dict(child_name=None, phonetic_name=None, mentions="[]", last_error=note, erased_at=_now())
        with self.engine.begin() as conn:
            result = conn.execute(orders.update().where(orders.c.order_id == order_id).values(**values))
        if result.rowcount == 0:
            raise OrderNotFound(f"no order with id {order_id}")
        if self.engine.dialect.name == "sqlite":
            # Old row versions live on in the write-ahead log until a checkpoint; secure_delete zeroed the page.
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def _transition(self, order_id: str, allowed: sa.ColumnElement, **values) -> bool:
        """One UPDATE whose WHERE holds the rule, so a concurrent writer cannot slip between a check and the
        write (SQLite and PostgreSQL alike). False when the rule kept the row as it was."""
        with self.engine.begin() as conn:
            result = conn.execute(
                orders.update().where(orders.c.order_id == order_id, allowed).values(updated_at=_now(), **values)
            )
            exists = result.rowcount or conn.execute(sa.select(orders.c.seq).where(orders.c.order_id == order_id)).first()
        if not exists:
            raise OrderNotFound(f"no order with id {order_id}")
        return result.rowcount == 1

    def _update(self, order_id: str, **values) -> None:
        with self.engine.begin() as conn:
            result = conn.execute(
                orders.update().where(orders.c.order_id == order_id).values(updated_at=_now(), **values)
            )
        if result.rowcount == 0:
            raise OrderNotFound(f"no order with id {order_id}")

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
