"""The store as a folder on this machine's disk: one file per key, written under a temporary name and renamed."""

import errno
import os
import shutil
import time
import uuid
from pathlib import Path

from santa_videos.media.files import TEMP_MARKER, atomic_path, publish_copy
from santa_videos.storage.objects import Removed, StoredObject


class LocalBackend:
    def __init__(self, root: Path):
        self.root = root

    def path(self, key: str) -> Path:
        parts = key.split("/")
        if not key or key.startswith("/") or any(part in ("", ".", "..") for part in parts[:-1]) or parts[-1] in (".", ".."):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root.joinpath(*parts)

    def location(self, key: str) -> str:
        return str(self.path(key))

    def local_path(self, key: str) -> Path | None:
        return self.path(key)

    def put_file(self, key: str, source: Path, content_type: str) -> None:
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, final)  # the scratch folder is usually on the same disk: a rename, nothing copied
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            with atomic_path(final) as temp:
                shutil.copyfile(source, temp)
            source.unlink(missing_ok=True)

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        with atomic_path(self.path(key)) as temp:
            temp.write_bytes(data)

    def get_file(self, key: str, dest: Path) -> bool:
        try:
            publish_copy(self.path(key), dest)
        except FileNotFoundError:
            return False
        return True

    def get_bytes(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def copy(self, source_key: str, key: str, content_type: str) -> bool:
        return self.get_file(source_key, self.path(key))

    def stat(self, key: str) -> StoredObject | None:
        try:
            found = self.path(key).stat()
        except FileNotFoundError:
            return None
        return StoredObject(key, found.st_size, found.st_mtime)

    def list_prefix(self, prefix: str) -> list[StoredObject]:
        """Every file whose key starts with `prefix`, half-written ones included."""
        folder, _, start = prefix.rpartition("/")
        base = self.path(folder + "/x").parent if folder else self.root
        found = []
        for directory, _dirs, files in os.walk(base):
            for name in files:
                path = Path(directory) / name
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                found.append(StoredObject(key, stat.st_size, stat.st_mtime))
        return found

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            self.path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> Removed:
        """Delete everything under `prefix`; a folder prefix (ending in /) goes with its folder."""
        found = self.list_prefix(prefix)
        self.delete([obj.key for obj in found])
        if prefix.endswith("/"):
            shutil.rmtree(self.path(prefix.rstrip("/")), ignore_errors=True)
        return Removed(len(found), sum(obj.size for obj in found))

    def link(self, key: str, content_type: str) -> str | None:
        return None

    def sweep_unfinished(self, prefix: str, older_than: float) -> Removed:
        stale = [obj for obj in self.list_prefix(prefix) if TEMP_MARKER in obj.key and obj.modified < older_than]
        self.delete([obj.key for obj in stale])
        return Removed(len(stale), sum(obj.size for obj in stale))

    def check_writable(self) -> str:
        probe = f".health-{uuid.uuid4().hex[:12]}"
        self.root.mkdir(parents=True, exist_ok=True)
        self.put_bytes(probe, str(time.time()).encode(), "text/plain")
        self.delete([probe])
        return f"{self.root} writable"
