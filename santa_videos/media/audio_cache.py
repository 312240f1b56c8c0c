"""Synthesized speech shared by every run, one sentence an entry: content-addressed, safe across processes, capped
by size.

An entry is a folder named by the hash of everything that changes the audio. It is built under a private name and
renamed into place in one step, so a reader sees a whole entry or none; the folders themselves are the index, so no
index file can be lost or torn. When the cache grows past its cap, the least recently used entries are renamed away
and deleted, one process at a time (an advisory lock). Entries hold no text, only audio, timings and the ids of the
orders that used them, so erasing an order's data can find its entries.
"""

import fcntl
import hashlib
import json
import os
import shutil
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from santa_videos.media.files import atomic_path

KEY_VERSION = 3
AUDIO_FILE = "audio"
TIMINGS_FILE = "timings.json"
USED_MARKER = "used"
ORDERS_DIR = "orders"


def normalize_text(text: str) -> str:
    """NFC with single spaces on each line; line breaks are kept because each line gets its own timing."""
    lines = unicodedata.normalize("NFC", text).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def cache_key(
    provider: str, voice: str, model: str, voice_settings: dict, output_format: str, text: str
) -> str:
    payload = {
        "v": KEY_VERSION,
        "provider": provider,
        "voice": voice,
        "model": model,
        "voice_settings": voice_settings,
        "output_format": output_format,
        "text": normalize_text(text),
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    key: str
    path: Path | None  # None for an entry in an object store (media/store_audio_cache.py)
    size_bytes: int
    last_used_ns: int


@dataclass(frozen=True)
class Removed:
    entries: int = 0
    bytes: int = 0


_last_stamp_ns = 0


def _stamp_ns() -> int:
    # Strictly increasing within a process, so two uses in quick succession keep their order.
    global _last_stamp_ns
    _last_stamp_ns = max(time.time_ns(), _last_stamp_ns + 1)
    return _last_stamp_ns


class AudioCache:
    def __init__(self, root: Path, max_bytes: int):
        self.root = Path(root)
        self.max_bytes = max_bytes

    @property
    def entries_dir(self) -> Path:
        return self.root / "entries"

    def _entry_dir(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"not an audio cache key: {key!r}")
        return self.entries_dir / key[:2] / key

    def get(self, key: str, out: Path, order_id: str | None = None) -> dict | None:
        """Copy the cached audio to `out` and return its timings, or None on a miss (nothing written then)."""
        entry = self._entry_dir(key)
        try:
            # Both files are opened before anything is written: an entry evicted meanwhile is a clean miss.
            with (entry / AUDIO_FILE).open("rb") as audio:
                timings = json.loads((entry / TIMINGS_FILE).read_text(encoding="utf-8"))
                with atomic_path(out) as temp, temp.open("wb") as target:
                    shutil.copyfileobj(audio, target)
        except FileNotFoundError:
            return None
        self._mark_used(entry, order_id)
        return timings

    def contains(self, key: str) -> bool:
        return (self._entry_dir(key) / TIMINGS_FILE).exists()

    def put(self, key: str, audio: Path, timings: dict, order_id: str | None = None) -> bool:
        """Store a copy of `audio` with its timings; False when it alone is larger than the cap (not stored)."""
        entry = self._entry_dir(key)
        if audio.stat().st_size > self.max_bytes:
            return False
        staging = self.root / "staging" / uuid.uuid4().hex
        staging.mkdir(parents=True)
        try:
            shutil.copyfile(audio, staging / AUDIO_FILE)
            (staging / TIMINGS_FILE).write_text(json.dumps(timings, ensure_ascii=False), encoding="utf-8")
            (staging / ORDERS_DIR).mkdir()
            if order_id:
                (staging / ORDERS_DIR / order_id).touch()
            stamp = _stamp_ns()
            (staging / USED_MARKER).touch()
            os.utime(staging / USED_MARKER, ns=(stamp, stamp))
            entry.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(staging, entry)
            except OSError:
                # Another process stored the same key first: same key, same audio; keep theirs.
                self._mark_used(entry, order_id)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.enforce_cap()
        return True

    def _mark_used(self, entry: Path, order_id: str | None) -> None:
        stamp = _stamp_ns()
        try:
            os.utime(entry / USED_MARKER, ns=(stamp, stamp))
            if order_id:
                (entry / ORDERS_DIR / order_id).touch()
        except FileNotFoundError:
            pass  # evicted meanwhile

    def entries(self) -> list[CacheEntry]:
        found = []
        for shard in _listdir(self.entries_dir):
            for entry in _listdir(shard):
                try:
                    size = (entry / AUDIO_FILE).stat().st_size + (entry / TIMINGS_FILE).stat().st_size
                    used = (entry / USED_MARKER).stat().st_mtime_ns
                except FileNotFoundError:
                    continue
                found.append(CacheEntry(key=entry.name, path=entry, size_bytes=size, last_used_ns=used))
        return found

    def size_bytes(self) -> int:
        return sum(entry.size_bytes for entry in self.entries())

    def enforce_cap(self) -> Removed:
        """Evict least recently used entries until the total fits the cap."""
        with self._lock():
            entries = sorted(self.entries(), key=lambda e: (e.last_used_ns, e.key))
            total = sum(e.size_bytes for e in entries)
            removed = Removed()
            for entry in entries:
                if total <= self.max_bytes:
                    break
                self._remove(entry.path)
                total -= entry.size_bytes
                removed = Removed(removed.entries + 1, removed.bytes + entry.size_bytes)
            return removed

    def forget_order(self, order_id: str) -> Removed:
        """Remove every entry that order `order_id` produced or used (its audio speaks the child's name)."""
        with self._lock():
            removed = Removed()
            for entry in self.entries():
                if (entry.path / ORDERS_DIR / order_id).exists():
                    self._remove(entry.path)
                    removed = Removed(removed.entries + 1, removed.bytes + entry.size_bytes)
            return removed

    def remove_stale_staging(self, max_age_seconds: float) -> Removed:
        """Staging folders of writers that died mid-write."""
        removed, cutoff = Removed(), time.time() - max_age_seconds
        for staging in _listdir(self.root / "staging"):
            try:
                if staging.stat().st_mtime < cutoff:
                    size = sum(f.stat().st_size for f in staging.rglob("*") if f.is_file())
                    shutil.rmtree(staging, ignore_errors=True)
                    removed = Removed(removed.entries + 1, removed.bytes + size)
            except FileNotFoundError:
                continue
        return removed

    def _remove(self, entry: Path) -> None:
        trash = self.root / "trash" / uuid.uuid4().hex
        trash.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(entry, trash)
        except FileNotFoundError:
            return
        shutil.rmtree(trash, ignore_errors=True)

    def _lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        return _FileLock(self.root / "evict.lock")

    def claim(self, key: str):
        """Held while one process makes the entry `key`: another that wants the same entry waits, then finds it.
        One lock file per first two hex digits, so the folder holds at most 256 of them."""
        self._entry_dir(key)  # refuses what is not a key
        folder = self.root / "claims"
        folder.mkdir(parents=True, exist_ok=True)
        return _FileLock(folder / f"{key[:2]}.lock")


class _FileLock:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.handle = self.path.open("a")
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _listdir(folder: Path) -> list[Path]:
    try:
        return [folder / name for name in os.listdir(folder)]
    except FileNotFoundError:
        return []
