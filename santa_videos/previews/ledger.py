"""Name previews by UTC day, in the orders database: the characters they billed (what the daily cap counts, shared
by every intake process) and whether the day's previews have been erased from the audio cache.

A preview reserves the characters it may bill before it speaks and settles the reservation with what was billed,
so intake processes previewing at the same moment cannot together pass the cap.
"""

from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from santa_videos.orders.database import create_tables

metadata = sa.MetaData()

preview_days = sa.Table(
    "name_preview_days",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("characters_billed", sa.BigInteger, nullable=False),
    sa.Column("previews", sa.Integer, nullable=False),
    # When the day's previews left the audio cache (retention); a day with previews after that is erased again.
    sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
)


def preview_owner(day: date) -> str:
    """What the audio cache records as the user of a day's preview sentences (where an order records its id)."""
    return f"preview-{day:%Y%m%d}"


def seconds_until_next_day(now: datetime) -> int:
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc)
    return max(1, int((tomorrow - now).total_seconds() + 0.999))


class PreviewLedger:
    def __init__(self, engine: sa.Engine):
        self.engine = engine
        create_tables(engine, metadata)

    def reserve(self, day: date, characters: int, cap: int) -> bool:
        """Count one preview of `day` and reserve `characters` of its cap; False (nothing counted) when they do not
        fit. A preview that bills nothing always fits: a cached one plays past the cap."""
        with self.engine.begin() as conn:
            insert = (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(preview_days)
            conn.execute(insert.values(day=day, characters_billed=0, previews=0, erased_at=None)
                         .on_conflict_do_nothing(index_elements=["day"]))
            fits = preview_days.c.characters_billed + characters <= cap if characters else sa.true()
            counted = preview_days.update().where(preview_days.c.day == day, fits).values(
                characters_billed=preview_days.c.characters_billed + characters,
                previews=preview_days.c.previews + 1, erased_at=None,
            )
            return conn.execute(counted).rowcount == 1

    def settle(self, day: date, reserved: int, billed: int) -> None:
        """Replace a reservation with what was billed (less for a cheaper model or a voice that bills nothing)."""
        if billed != reserved:
            with self.engine.begin() as conn:
                conn.execute(preview_days.update().where(preview_days.c.day == day).values(
                    characters_billed=preview_days.c.characters_billed + (billed - reserved)))

    def billed(self, day: date) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(preview_days.c.characters_billed).where(preview_days.c.day == day)).scalar()
        return int(found or 0)

    def days_to_erase(self, before: date) -> list[date]:
        """Days before `before` whose previews may still be in the audio cache."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(preview_days.c.day).where(
                preview_days.c.day < before, preview_days.c.erased_at.is_(None)).order_by(preview_days.c.day))
            return list(rows.scalars())

    def mark_erased(self, day: date) -> None:
        with self.engine.begin() as conn:
            conn.execute(preview_days.update().where(preview_days.c.day == day).values(
                erased_at=datetime.now(timezone.utc)))
