"""Honest deadlines: when an order will be ready, from its place in the intake queue and the pace the pipeline kept,
and whether that misses its deadline (`at_risk`).

The pace, read from the orders table:
- render time, one video from its run's start to its delivery: the median of the last RECENT_DELIVERIES, or
  SANTA_EXPECTED_RENDER_SECONDS before there are any;
- throughput: the deliveries of the last hour, once there were at least MIN_DELIVERIES_PER_HOUR. Fewer (the start
  of the day, a quiet hour) and the pipeline's capacity stands in: SANTA_MAX_CONCURRENT_RUNS videos per render time.

- start-up: what an order waits besides rendering when nothing is ahead of it (the intake sensor's tick, the run's
  launch): the least of (delivered - received - render time) over the same recent deliveries; 0 before any.

An order with k orders rendering and p - 1 waiting before it is the (k + p)-th to be delivered, so it is ready at
now + start-up + max(render time, (k + p) / throughput): never sooner than one render. A rendering order is ready
one render time after its run started. The pace is read at most every PACE_TTL_SECONDS per process: status pages are polled.
"""

import math
import statistics
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from santa_videos.orders.model import Order, Status
from santa_videos.orders.table import INTAKE_ORDER, OrderRecord, OrderTable, orders
from santa_videos.settings import load_settings

HOUR = timedelta(hours=1)
MIN_DELIVERIES_PER_HOUR = 5
RECENT_DELIVERIES = 50
PACE_TTL_SECONDS = 30


@dataclass(frozen=True)
class Pace:
    render_seconds: float
    seconds_per_video: float
    deliveries_last_hour: int
    measured: bool  # throughput from the last hour's deliveries, rather than the capacity
    startup_seconds: float = 0.0

    def ready_at(self, ahead: int, now: datetime) -> datetime:
        """When an order is ready that is the `ahead`-th to be delivered (1: nothing before it)."""
        return now + timedelta(seconds=self.startup_seconds + max(self.render_seconds, ahead * self.seconds_per_video))

    def rendering_ready_at(self, started: datetime, now: datetime) -> datetime:
        return max(now, started + timedelta(seconds=self.render_seconds))

    def earliest_ready_at(self, now: datetime) -> datetime:
        """The soonest an order sent now could be ready: nothing waiting before it."""
        return self.ready_at(1, now)

    def describe(self) -> str:
        if self.measured:
            return f"{self.deliveries_last_hour} videos delivered in the last hour, {self.startup_seconds:.0f} s start-up"
        return (f"capacity: a video takes {self.render_seconds:.0f} s after {self.startup_seconds:.0f} s start-up, "
                f"fewer than {MIN_DELIVERIES_PER_HOUR} delivered in the last hour")


def read_pace(table: OrderTable, concurrency: int, expected_render_seconds: float, now: datetime) -> Pace:
    with table.engine.connect() as conn:
        recent = conn.execute(
            sa.select(orders.c.render_seconds, orders.c.created_at, orders.c.delivered_at)
            .where(orders.c.render_seconds.is_not(None))
            .order_by(orders.c.delivered_at.desc()).limit(RECENT_DELIVERIES)
        ).all()
        delivered = conn.execute(
            sa.select(sa.func.count()).select_from(orders).where(orders.c.delivered_at >= now - HOUR)
        ).scalar_one()
    render = statistics.median(row.render_seconds for row in recent) if recent else expected_render_seconds
    startup = max(0.0, min(
        ((_utc(row.delivered_at) - _utc(row.created_at)).total_seconds() - row.render_seconds for row in recent),
        default=0.0,
    ))
    if delivered >= MIN_DELIVERIES_PER_HOUR:
        return Pace(render, HOUR.total_seconds() / delivered, delivered, True, startup)
    return Pace(render, render / max(concurrency, 1), delivered, False, startup)


def pace_at(table: OrderTable, now: datetime) -> Pace:
    settings = load_settings()
    return read_pace(table, settings.max_concurrent_runs, settings.expected_render_seconds, now)


def current_pace(table: OrderTable) -> Pace:
    """The pace of the pipeline the table belongs to, read at most every PACE_TTL_SECONDS in this process."""
    return _caches.setdefault(table.url, PaceCache()).get(lambda: pace_at(table, datetime.now(timezone.utc)))


class PaceCache:
    """One pace, read again after PACE_TTL_SECONDS."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pace: Pace | None = None
        self._read_at = 0.0

    def get(self, read) -> Pace:
        with self._lock:
            if self._pace is None or time.monotonic() - self._read_at > PACE_TTL_SECONDS:
                self._pace, self._read_at = read(), time.monotonic()
            return self._pace


@dataclass(frozen=True)
class Estimate:
    ready_at: datetime | None  # None once the order is delivered or failed
    at_risk: bool
    place: int | None  # in the intake queue: 1 = the next to start; None unless queued


def estimate(table: OrderTable, record: OrderRecord, now: datetime | None = None) -> Estimate:
    """When this order will be ready: two indexed counts and the cached pace, cheap enough for a polled page."""
    if record.status not in (Status.RECEIVED, Status.QUEUED, Status.RENDERING):
        return Estimate(None, False, None)
    now, pace = now or datetime.now(timezone.utc), current_pace(table)
    if record.status == Status.RENDERING:
        ready, place = pace.rendering_ready_at(record.updated_at, now), None
    else:
        with table.engine.connect() as conn:
            rendering = _count(conn, orders.c.status == Status.RENDERING)
            place = 1 + _count(conn, orders.c.status == Status.QUEUED, _before(conn, record.order_id))
        ready = pace.ready_at(rendering + place, now)
    return Estimate(ready, record.deadline is not None and ready > record.deadline, place)


def at_risk_orders(table: OrderTable, now: datetime | None = None, pace: Pace | None = None) -> list[str]:
    """Ids of the unfinished orders that will miss their deadline at the current pace, soonest due first."""
    now, pace = now or datetime.now(timezone.utc), pace or current_pace(table)
    late: list[tuple[datetime, str]] = []
    with table.engine.connect() as conn:
        rendering = conn.execute(
            sa.select(orders.c.order_id, orders.c.deadline, orders.c.updated_at)
            .where(orders.c.status == Status.RENDERING)
        ).all()
        queued = conn.execute(
            sa.select(orders.c.order_id, orders.c.deadline).where(orders.c.status == Status.QUEUED).order_by(*INTAKE_ORDER)
        ).all()
    for order_id, deadline, started in rendering:
        if deadline is not None and pace.rendering_ready_at(_utc(started), now) > _utc(deadline):
            late.append((_utc(deadline), order_id))
    for place, (order_id, deadline) in enumerate(queued, start=1):
        if deadline is not None and pace.ready_at(len(rendering) + place, now) > _utc(deadline):
            late.append((_utc(deadline), order_id))
    return [order_id for _deadline, order_id in sorted(late)]


def _before(conn: sa.Connection, order_id: str) -> sa.ColumnElement:
    """Orders ahead of this one in the intake order (a row comparison, whatever columns the order has)."""
    mine = conn.execute(sa.select(*INTAKE_ORDER).where(orders.c.order_id == order_id)).one()
    return sa.tuple_(*INTAKE_ORDER) < sa.tuple_(*[sa.literal(v, column.type) for v, column in zip(mine, INTAKE_ORDER)])


def _count(conn: sa.Connection, *conditions) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(orders).where(*conditions)).scalar_one()


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def unreachable_deadlines(table: OrderTable, batch: list[Order]) -> list[tuple[int, str]]:
    """(position, why) of each new order of the batch whose deadline cannot be met even with an empty queue. An
    order already sent is left to the idempotent intake: a retry of it is no new promise."""
    with_deadline = [(position, order) for position, order in enumerate(batch) if order.deadline is not None]
    if not with_deadline:
        return []
    known = table.existing_ids([order.order_id for _position, order in with_deadline])
    pace, now = current_pace(table), datetime.now(timezone.utc)
    found = [(position, unreachable_deadline(order, pace, now)) for position, order in with_deadline
             if order.order_id not in known]
    return [(position, why) for position, why in found if why]


def unreachable_deadline(order: Order, pace: Pace, now: datetime) -> str | None:
    """Why the order's deadline cannot be met even with no other order waiting, naming the earliest it could."""
    earliest = pace.earliest_ready_at(now)
    if order.deadline is None or order.deadline >= earliest:
        return None
    # A whole minute, with a minute to spare: the same deadline sent again a moment later must be accepted.
    minutes = math.ceil((earliest - now).total_seconds() / 60) + 1
    shown = iso((now + timedelta(minutes=minutes)).replace(second=0, microsecond=0))
    return f"deadline: cannot be met even with no other order waiting; the earliest it could be ready is {shown}"


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


_caches: dict[str, PaceCache] = {}
