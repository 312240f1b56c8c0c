"""The audio cache in a shared object store, for several machines: content-addressed objects, with the size cap and
least-recently-used eviction kept in an index in the orders database (an object store keeps no access time).

An entry is two objects, `audio_cache/KK/KEY.wav` (the audio) and `.json` (its timings), written in that order, so a
reader who finds the timings finds the audio. Machines that write the same entry at once write the same bytes (the
key is the hash of everything that changes the audio), so no conditional write is needed. The index row is written
before the objects, so erasing an order always finds its entries; a row whose objects never arrived is only a miss.
Eviction deletes a row only while its last use is still the one it saw, then the objects: a reader who loses that
race gets a clean miss, never half an entry.
"""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from santa_videos.media.audio_cache import CacheEntry, Removed, _stamp_ns
from santa_videos.storage import ObjectBackend

PREFIX = "audio_cache/"

metadata = sa.MetaData()
entries_table = sa.Table(
    "audio_cache_entries",
    metadata,
    sa.Column("cache_key", sa.String(64), primary_key=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("last_used_ns", sa.BigInteger, nullable=False, index=True),
)
# Which orders produced or used an entry (its audio speaks the child's name): what erasure removes.
uses_table = sa.Table(
    "audio_cache_uses",
    metadata,
    sa.Column("cache_key", sa.String(64), primary_key=True),
    sa.Column("order_id", sa.String(40), primary_key=True, index=True),
)


# A machine making an entry holds its row; others wait for the entry. A claim older than this is a dead claimer's.
claims_table = sa.Table(
    "audio_cache_claims",
    metadata,
    sa.Column("cache_key", sa.String(64), primary_key=True),
    sa.Column("claimed_at_ns", sa.BigInteger, nullable=False),
)
CLAIM_STALE_SECONDS = 300
CLAIM_POLL_SECONDS = 0.2


def _insert(conn: sa.Connection, table: sa.Table):
    return (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(table)


class StoreAudioCache:
    """The same interface as AudioCache (media/audio_cache.py), on an object store with a database index."""

    def __init__(self, backend: ObjectBackend, max_bytes: int, engine: sa.Engine):
        self.backend, self.max_bytes, self.engine = backend, max_bytes, engine
        try:
            metadata.create_all(engine)
        except sa.exc.DBAPIError:
            # Machines starting at once on a fresh database race to create the tables (PostgreSQL then reports a
            # duplicate type): the loser finds them made.
            metadata.create_all(engine)

    @staticmethod
    def _keys(key: str) -> tuple[str, str]:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"not an audio cache key: {key!r}")
        base = f"{PREFIX}{key[:2]}/{key}"
        return f"{base}.wav", f"{base}.json"

    def get(self, key: str, out: Path, order_id: str | None = None) -> dict | None:
        """Write the cached audio to `out` and return its timings, or None on a miss (nothing written then)."""
        audio_key, timings_key = self._keys(key)
        timings = self.backend.get_bytes(timings_key)
        if timings is None or not self.backend.get_file(audio_key, out):
            return None
        self._mark_used(key, out.stat().st_size + len(timings), order_id)
        return json.loads(timings)

    def contains(self, key: str) -> bool:
        return self.backend.stat(self._keys(key)[1]) is not None

    def put(self, key: str, audio: Path, timings: dict, order_id: str | None = None) -> bool:
        """Store a copy of `audio` with its timings; False when it alone is larger than the cap (not stored)."""
        audio_key, timings_key = self._keys(key)
        if audio.stat().st_size > self.max_bytes:
            return False
        encoded = json.dumps(timings, ensure_ascii=False).encode("utf-8")
        self._mark_used(key, audio.stat().st_size + len(encoded), order_id, add=True)
        self.backend.put_bytes(audio_key, audio.read_bytes(), "audio/wav")
        self.backend.put_bytes(timings_key, encoded, "application/json")
        self.enforce_cap()
        return True

    def _mark_used(self, key: str, size: int, order_id: str | None, add: bool = False) -> None:
        """Stamp the entry's use (and by whom); `add` writes its row when there is none. A reader never adds one:
        an entry evicted while it was read stays evicted rather than come back without its objects."""
        stamp = _stamp_ns()
        with self.engine.begin() as conn:
            if add:
                entry = _insert(conn, entries_table).values(cache_key=key, size_bytes=size, last_used_ns=stamp)
                conn.execute(entry.on_conflict_do_update(
                    index_elements=["cache_key"], set_={"size_bytes": size, "last_used_ns": stamp}
                ))
            else:
                used = entries_table.update().where(entries_table.c.cache_key == key).values(last_used_ns=stamp)
                if conn.execute(used).rowcount == 0:
                    return
            if order_id:
                use = _insert(conn, uses_table).values(cache_key=key, order_id=order_id)
                conn.execute(use.on_conflict_do_nothing(index_elements=["cache_key", "order_id"]))

    @contextmanager
    def claim(self, key: str) -> Iterator[None]:
        """Held while this machine makes the entry `key`; another machine that wants it waits, then finds it."""
        self._keys(key)  # refuses what is not a key
        while not self._try_claim(key):
            time.sleep(CLAIM_POLL_SECONDS)
        try:
            yield
        finally:
            with self.engine.begin() as conn:
                conn.execute(claims_table.delete().where(claims_table.c.cache_key == key))

    def _try_claim(self, key: str) -> bool:
        now = time.time_ns()
        with self.engine.begin() as conn:
            stale = sa.and_(claims_table.c.cache_key == key,
                            claims_table.c.claimed_at_ns < now - CLAIM_STALE_SECONDS * 1_000_000_000)
            conn.execute(claims_table.delete().where(stale))
            claimed = _insert(conn, claims_table).values(cache_key=key, claimed_at_ns=now)
            return conn.execute(claimed.on_conflict_do_nothing(index_elements=["cache_key"])).rowcount == 1

    def entries(self) -> list[CacheEntry]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(entries_table)).all()
        return [CacheEntry(row.cache_key, None, row.size_bytes, row.last_used_ns) for row in rows]

    def size_bytes(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(entries_table.c.size_bytes), 0))).scalar())

    def enforce_cap(self) -> Removed:
        """Evict least recently used entries until the total fits the cap."""
        total, removed = self.size_bytes(), Removed()
        if total <= self.max_bytes:
            return removed
        for entry in sorted(self.entries(), key=lambda e: (e.last_used_ns, e.key)):
            if total <= self.max_bytes:
                break
            if self._remove(entry, only_if_used_at=entry.last_used_ns):
                total -= entry.size_bytes
                removed = Removed(removed.entries + 1, removed.bytes + entry.size_bytes)
        return removed

    def forget_order(self, order_id: str) -> Removed:
        """Remove every entry that order `order_id` produced or used (its audio speaks the child's name)."""
        with self.engine.connect() as conn:
            keys = conn.execute(sa.select(uses_table.c.cache_key).where(uses_table.c.order_id == order_id)).scalars().all()
        removed = Removed()
        for entry in [e for e in self.entries() if e.key in set(keys)]:
            self._remove(entry)
            removed = Removed(removed.entries + 1, removed.bytes + entry.size_bytes)
        # A use whose entry row is gone already still names objects that may be there.
        self.backend.delete([name for key in keys for name in self._keys(key)])
        with self.engine.begin() as conn:
            conn.execute(uses_table.delete().where(uses_table.c.order_id == order_id))
        return removed

    def _remove(self, entry: CacheEntry, only_if_used_at: int | None = None) -> bool:
        condition = entries_table.c.cache_key == entry.key
        if only_if_used_at is not None:
            condition = sa.and_(condition, entries_table.c.last_used_ns == only_if_used_at)
        with self.engine.begin() as conn:
            if conn.execute(entries_table.delete().where(condition)).rowcount == 0:
                return False  # used again meanwhile: it stays
            conn.execute(uses_table.delete().where(uses_table.c.cache_key == entry.key))
        self.backend.delete(list(self._keys(entry.key)))
        return True

    def remove_stale_staging(self, max_age_seconds: float) -> Removed:
        """Objects no index row names, older than `max_age_seconds`: what writers that died, or lost a race with
        an eviction, left."""
        cutoff = time.time() - max_age_seconds
        stale = [obj for obj in self.backend.list_prefix(PREFIX) if obj.modified < cutoff]
        with self.engine.connect() as conn:
            indexed = set(conn.execute(sa.select(entries_table.c.cache_key)).scalars())
        orphans = [obj for obj in stale if Path(obj.key).stem not in indexed]
        self.backend.delete([obj.key for obj in orphans])
        return Removed(len(orphans), sum(obj.size for obj in orphans))
