"""What every storage backend offers, and how SANTA_MEDIA_URL picks one."""

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse


class MediaUrlInvalid(ValueError):
    """SANTA_MEDIA_URL names no folder or bucket the project can use."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: float  # seconds since the epoch


@dataclass(frozen=True)
class Removed:
    count: int = 0
    bytes: int = 0

    def __add__(self, other: "Removed") -> "Removed":
        return Removed(self.count + other.count, self.bytes + other.bytes)


class ObjectBackend(Protocol):
    """Whole objects under keys: a reader sees an object complete or not at all."""

    def location(self, key: str) -> str:
        """Where the object is, for people: a path, or an s3:// URL."""

    def local_path(self, key: str) -> Path | None:
        """The object's own file when the store is on this machine's disk (read it in place), else None."""

    def put_file(self, key: str, source: Path, content_type: str) -> None:
        """Store `source` under `key`; `source` may be moved, not copied, so do not use it afterwards."""

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None: ...

    def get_file(self, key: str, dest: Path) -> bool:
        """Write the object to `dest` (whole or not at all); False when there is none."""

    def get_bytes(self, key: str) -> bytes | None: ...

    def copy(self, source_key: str, key: str, content_type: str) -> bool:
        """Copy within the store; False when the source is missing."""

    def stat(self, key: str) -> StoredObject | None: ...

    def list_prefix(self, prefix: str) -> list[StoredObject]: ...

    def delete(self, keys: list[str]) -> None:
        """Delete these keys; missing ones are no error."""

    def delete_prefix(self, prefix: str) -> Removed:
        """Delete every object under `prefix`."""

    def link(self, key: str, content_type: str) -> str | None:
        """A short-lived URL anyone can GET the object from (the object store answers range requests itself), or
        None when the store has no such thing (a local folder: serve the file)."""

    def sweep_unfinished(self, prefix: str, older_than: float) -> Removed:
        """Half-written objects under `prefix` left by writers that died before `older_than` (epoch seconds)."""

    def check_writable(self) -> str:
        """Write and delete a probe object; a description of the store, or an exception saying why not."""


def open_backend(
    url: str, endpoint_url: str = "", region: str = "", access_key_id: str = "", secret_access_key: str = "",
    session_token: str = "", link_seconds: int = 900, retry_seconds: float = 60, link_endpoint_url: str = "",
) -> ObjectBackend:
    """A folder (a path or file:// URL) or a bucket (s3://BUCKET/PREFIX); credentials left empty come from boto3's
    own chain (environment, shared config, instance or pod role)."""
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        from santa_videos.storage.s3 import S3Backend  # boto3 is imported only when a bucket is used

        if not parsed.netloc:
            raise MediaUrlInvalid(f"SANTA_MEDIA_URL {url!r} names no bucket: use s3://BUCKET/PREFIX")
        return S3Backend(
            bucket=parsed.netloc, prefix=parsed.path.strip("/"), endpoint_url=endpoint_url, region=region,
            access_key_id=access_key_id, secret_access_key=secret_access_key, session_token=session_token,
            link_seconds=link_seconds, retry_seconds=retry_seconds, link_endpoint_url=link_endpoint_url,
        )
    if parsed.scheme in ("", "file"):
        from santa_videos.storage.local import LocalBackend

        path = parsed.path if parsed.scheme == "file" else url
        if not path:
            raise MediaUrlInvalid("SANTA_MEDIA_URL is empty")
        return LocalBackend(Path(path).resolve())
    raise MediaUrlInvalid(f"SANTA_MEDIA_URL {url!r}: use a folder path, file:///PATH or s3://BUCKET/PREFIX")
