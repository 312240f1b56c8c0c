"""Queueing an order exactly once, however often and however concurrently it is sent.

The database decides, not a lock in one process (several intake processes and CLI calls may race): an INSERT that
cannot conflict (ON CONFLICT (order_id) DO NOTHING, on SQLite and PostgreSQL alike) either adds the row or leaves the
one already there, and then the stored order is compared with the one sent. The same order again changes nothing and
is no error (a shop's retry after a timeout); the same order id with other fields is a conflict that names them and
changes nothing either. A photo is compared by the SHA-256 of the bytes the customer sent.
"""

import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from santa_videos.orders.model import Order, Status
from santa_videos.orders.status_rules import UNFINISHED
from santa_videos.settings import load_settings

# The fields a customer sends, in the order they are named in a conflict.
COMPARED_FIELDS = ("child_name", "age", "language", "phonetic_name", "mentions", "strategy", "deadline", "photo")


class OrderConflict(ValueError):
    """Orders whose ids were already sent with other fields; nothing was queued. `conflicts` holds, per order,
    its position in the batch (from 0), its id and the fields that differ."""

    def __init__(self, conflicts: list[tuple[int, str, list[str]]]):
        self.conflicts = conflicts
        super().__init__("; ".join(describe(order_id, fields) for _position, order_id, fields in conflicts))


def describe(order_id: str, fields: list[str]) -> str:
    """What a customer is told about a conflict: the fields, never their values."""
    if fields == ["erased"]:
        return f"order_id: {order_id} was finished and its data erased; send a new order without an order_id"
    return (f"order_id: {order_id} was already sent with a different {_and(fields)}; nothing changed (send a new "
            "order without an order_id for a different video)")


def insert_once(conn: sa.Connection, table: sa.Table, order: Order, photo_sha256: str | None) -> bool:
    """Add the order as one row unless its id is taken; True when this call added it. An order with a photo is
    `received` until its photo is stored (see accept_photo_order), so no run starts without it."""
    now = datetime.now(timezone.utc)
    values = dict(
        order_id=order.order_id, child_name=order.child_name, age=order.age, language=order.language,
        phonetic_name=order.phonetic_name, mentions=json.dumps(order.mentions, ensure_ascii=False),
        strategy=str(order.strategy), deadline=order.deadline, due_at=due_time(order.deadline, now), attempts=0,
        status=Status.RECEIVED if photo_sha256 else Status.QUEUED,
        has_photo=photo_sha256 is not None, photo_sha256=photo_sha256, created_at=now, updated_at=now,
    )
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=["order_id"])
    return conn.execute(statement).rowcount == 1


def due_time(deadline: datetime | None, arrived: datetime) -> datetime:
    """When an order is due: its deadline, or SANTA_DEFAULT_DEADLINE_HOURS after it arrived."""
    return deadline or arrived + timedelta(hours=load_settings().default_deadline_hours)


def fill_missing_due_times(engine: sa.Engine, table: sa.Table) -> None:
    """Unfinished orders queued by a release without due times get theirs, so the intake order covers every order
    that may wait again. Every process that opens the table does this: the status index keeps it to those orders."""
    with engine.begin() as conn:
        missing = conn.execute(
            sa.select(table.c.seq, table.c.deadline, table.c.created_at)
            .where(table.c.status.in_(UNFINISHED), table.c.due_at.is_(None))
        ).all()
        for seq, deadline, created_at in missing:
            conn.execute(table.update().where(table.c.seq == seq, table.c.due_at.is_(None))
                         .values(due_at=due_time(deadline, created_at)))


def differing_fields(order: Order, photo_sha256: str | None, stored: Mapping[str, Any]) -> list[str]:
    """The fields of `order` (and its photo) that differ from the stored row; ["erased"] for an erased order."""
    if stored["erased_at"] is not None:
        return ["erased"]
    deadline = stored["deadline"]
    if deadline is not None and deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=timezone.utc)  # SQLite keeps no zone; it was written in UTC
    if stored["photo_sha256"] is None and stored["has_photo"]:
        same_photo = photo_sha256 is not None  # stored before digests were kept: whether there is one is all we know
    else:
        same_photo = stored["photo_sha256"] == photo_sha256
    sent = {
        "child_name": order.child_name == stored["child_name"],
        "age": order.age == stored["age"],
        "language": order.language == stored["language"],
        "phonetic_name": order.phonetic_name == stored["phonetic_name"],
        "mentions": order.mentions == json.loads(stored["mentions"] or "[]"),
        "strategy": str(order.strategy) == stored["strategy"],
        "deadline": order.deadline == deadline,
        "photo": same_photo,
    }
    return [field for field in COMPARED_FIELDS if not sent[field]]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
