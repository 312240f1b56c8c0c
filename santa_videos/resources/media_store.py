"""The one seam to storage: every file of an order goes through the media store, on a local folder or a bucket.

A step works in a scratch folder on its own machine, gets the files it needs from the store (read in place when
the store is this machine's disk, downloaded otherwise) and publishes what it made, whole or not at all. Keys:
`media/orders/ORDER_ID/NAME` for an order's working files, `deliveries/ORDER_ID.mp4` and `.jpg` for what is
delivered. The scratch folders and the clip library stay on each machine, under `work_dir`.
"""

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from santa_videos.media.files import TEMP_MARKER
from santa_videos.settings import StorageSettings, load_storage_settings
from santa_videos.storage import ObjectBackend, Removed, StoredObject, open_backend

CONTENT_TYPES = {".mp4": "video/mp4", ".jpg": "image/jpeg", ".wav": "audio/wav", ".json": "application/json"}
DELIVERED = {"video": ("mp4", "video.mp4"), "thumbnail": ("jpg", "thumbnail.jpg")}


class MediaMissing(LookupError):
    """An order's file is not in the store (never made, or removed by retention)."""

    def __init__(self, name: str):
        super().__init__(f"{name} is missing from the media store")
        self.name = name


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")


@dataclass(frozen=True)
class Delivered:
    """A delivered file: its path when the store is this machine's disk, else a short-lived link to it."""

    path: Path | None = None
    url: str | None = None


@functools.lru_cache(maxsize=8)
def _backend(url: str, *options) -> ObjectBackend:
    # One client per process and configuration: a run, a sensor or a Celery worker reuses its connections.
    return open_backend(url, *options)


@dataclass
class StepFolder:
    """A step's scratch folder on this machine, and the order's files in the store."""

    store: "MediaStore"
    order_id: str
    dir: Path

    def fetch(self, name: str) -> Path:
        """The order's file `name` on this machine (in place, or downloaded into this folder); MediaMissing if none."""
        found = self.store.fetch(self.order_id, name, self.dir)
        if found is None:
            raise MediaMissing(name)
        return found

    def publish(self, name: str, path: Path | None = None) -> str:
        """Publish `path` (default: `name` in this folder) as the order's file `name`; its location."""
        return self.store.publish(self.order_id, name, path or self.dir / name)


class MediaStore(dg.ConfigurableResource):
    """Where every file of an order lives (SANTA_MEDIA_URL: a local folder, or s3://BUCKET/PREFIX) and where this
    machine works on them (its scratch folders and clip library)."""

    url: str
    work_dir: str
    s3_endpoint_url: str = ""
    s3_public_endpoint_url: str = ""
    s3_region: str = ""
    aws_access_key_id: str = ""
    aws_secret_access_key: str = ""
    aws_session_token: str = ""
    link_seconds: int = 900
    retry_seconds: int = 60

    def backend(self) -> ObjectBackend:
        return _backend(
            self.url, self.s3_endpoint_url, self.s3_region, self.aws_access_key_id, self.aws_secret_access_key,
            self.aws_session_token, self.link_seconds, self.retry_seconds, self.s3_public_endpoint_url,
        )

    @property
    def is_s3(self) -> bool:
        return self.url.startswith("s3://")

    # This machine's folders.

    def scratch_root(self) -> Path:
        return Path(self.work_dir) / "tmp"

    def scratch_dir(self, order_id: str, step: str) -> Path:
        return self.scratch_root() / order_id / step

    def release_scratch(self, order_id: str, step: str) -> None:
        """Delete the step's scratch folder, and the order's once no step has one left: a delivered order must
        not depend on a sensor to be tidied."""
        shutil.rmtree(self.scratch_dir(order_id, step), ignore_errors=True)
        try:
            self.scratch_dir(order_id, step).parent.rmdir()
        except OSError:
            pass  # missing, or another step's folder is still in it

    @contextmanager
    def step_folder(self, order_id: str, step: str) -> Iterator[StepFolder]:
        """A fresh scratch folder for the step, removed when the step ends, however it ends."""
        folder = self.scratch_dir(order_id, step)
        shutil.rmtree(folder, ignore_errors=True)  # what an attempt killed outright left
        folder.mkdir(parents=True)
        try:
            yield StepFolder(self, order_id, folder)
        finally:
            self.release_scratch(order_id, step)

    def tidy_scratch(self, keep: Callable[[str], bool]) -> int:
        """Remove this machine's scratch folders of the orders `keep` refuses: what runs killed outright left here,
        where no sensor of another machine can reach."""
        removed = 0
        for folder in sorted(self.scratch_root().glob("*")):
            if not keep(folder.name):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    def scene_dir(self) -> Path:
        """The scene layers and template loops: made once per machine, on first use."""
        return Path(self.work_dir) / "scene"

    # An order's working files.

    @staticmethod
    def order_key(order_id: str, name: str) -> str:
        return f"media/orders/{order_id}/{name}"

    def location(self, order_id: str, name: str) -> str:
        return self.backend().location(self.order_key(order_id, name))

    def fetch(self, order_id: str, name: str, into: Path) -> Path | None:
        """The file on this machine: in place when the store is local, else downloaded into `into`."""
        backend, key = self.backend(), self.order_key(order_id, name)
        in_place = backend.local_path(key)
        if in_place is not None:
            return in_place if in_place.is_file() else None
        return into / name if backend.get_file(key, into / name) else None

    def publish(self, order_id: str, name: str, source: Path) -> str:
        """Store `source` as the order's file `name`, whole or not at all; `source` is moved, not copied."""
        key = self.order_key(order_id, name)
        self.backend().put_file(key, source, content_type(name))
        return self.backend().location(key)

    def publish_bytes(self, order_id: str, name: str, data: bytes) -> str:
        key = self.order_key(order_id, name)
        self.backend().put_bytes(key, data, content_type(name))
        return self.backend().location(key)

    def stat(self, order_id: str, name: str) -> StoredObject | None:
        return self.backend().stat(self.order_key(order_id, name))

    # Shared files, `shared/NAME`: made once for every order (e.g. lip-sync clips of shared sentences), they hold no
    # order's data, so retention of an order never touches them.

    @staticmethod
    def shared_key(name: str) -> str:
        return f"shared/{name}"

    def fetch_shared(self, name: str, into: Path) -> Path | None:
        """The shared file on this machine: in place when the store is local, else downloaded into `into`."""
        backend, key = self.backend(), self.shared_key(name)
        in_place = backend.local_path(key)
        if in_place is not None:
            return in_place if in_place.is_file() else None
        return into / name if backend.get_file(key, into / name) else None

    def publish_shared(self, name: str, source: Path) -> str:
        """Store `source` as the shared file `name`, whole or not at all; `source` is moved, not copied."""
        key = self.shared_key(name)
        self.backend().put_file(key, source, content_type(name))
        return self.backend().location(key)

    # Deliveries.

    @staticmethod
    def delivery_key(order_id: str, kind: str = "video") -> str:
        return f"deliveries/{order_id}.{DELIVERED[kind][0]}"

    def deliver(self, order_id: str) -> StoredObject:
        """Publish the order's video and thumbnail as deliveries; the video goes last, so a reader who finds it
        also finds its thumbnail. MediaMissing when the video step's files are not there."""
        backend = self.backend()
        for kind in ("thumbnail", "video"):
            source = DELIVERED[kind][1]
            if not backend.copy(self.order_key(order_id, source), self.delivery_key(order_id, kind), content_type(source)):
                raise MediaMissing(source)
        return backend.stat(self.delivery_key(order_id))

    def delivery_location(self, order_id: str, kind: str = "video") -> str:
        return self.backend().location(self.delivery_key(order_id, kind))

    def delivered(self, order_id: str, kind: str) -> Delivered | None:
        """How to serve a delivered file: its path, or a short-lived link; None when it is not (or no longer) kept."""
        backend, key = self.backend(), self.delivery_key(order_id, kind)
        in_place = backend.local_path(key)
        if in_place is not None:
            return Delivered(path=in_place) if in_place.is_file() else None
        if backend.stat(key) is None:
            return None
        return Delivered(url=backend.link(key, content_type(key)))

    # Retention.

    def remove_order_files(self, order_id: str) -> Removed:
        """The order's working files in the store (photo, script, audio, clip, unpublished video)."""
        return self.backend().delete_prefix(f"media/orders/{order_id}/")

    def remove_deliveries(self, order_id: str) -> Removed:
        removed = Removed()
        for kind in DELIVERED:
            found = self.backend().stat(self.delivery_key(order_id, kind))
            if found:
                self.backend().delete([found.key])
                removed += Removed(1, found.size)
        return removed

    def sweep_unfinished(self, older_than: float) -> Removed:
        """Half-written files (or multipart uploads) that writers which died before `older_than` left in the store."""
        backend = self.backend()
        return backend.sweep_unfinished("media/orders/", older_than) + backend.sweep_unfinished("deliveries/", older_than)

    def leftovers(self, order_id: str) -> list[Path]:
        """What interrupted attempts left on this machine: the order's scratch folder and half-written files."""
        found = [self.scratch_root() / order_id]
        if not self.is_s3:  # a bucket never holds half an object
            backend = self.backend()
            partial = backend.list_prefix(f"media/orders/{order_id}/{TEMP_MARKER}")
            partial += [obj for obj in backend.list_prefix(f"deliveries/{TEMP_MARKER}") if f"-{order_id}." in obj.key]
            found += [backend.local_path(obj.key) for obj in partial]
        return [path for path in found if path.exists()]

    def remove_leftovers(self, order_id: str) -> int:
        """Delete them; call only when no run of the order is live, or a running step would lose its files."""
        removed = self.leftovers(order_id)
        for path in removed:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return len(removed)


def _credentials(as_env_var: bool) -> dict:
    """The AWS_* credentials that are set: as EnvVar for Definitions, as values elsewhere."""
    found = {
        "aws_access_key_id": ("AWS_ACCESS_KEY_ID", os.getenv("AWS_ACCESS_KEY_ID", "")),
        "aws_secret_access_key": ("AWS_SECRET_ACCESS_KEY", os.getenv("AWS_SECRET_ACCESS_KEY", "")),
        "aws_session_token": ("AWS_SESSION_TOKEN", os.getenv("AWS_SESSION_TOKEN", "")),
    }
    return {
        field: dg.EnvVar(name) if as_env_var else value.strip() for field, (name, value) in found.items() if value.strip()
    }


def media_store(storage: StorageSettings | None = None, env_var_credentials: bool = False) -> MediaStore:
    """The store as the environment configures it. Definitions asks for the AWS_* credentials as EnvVar, so a run
    reads them from its own environment and no value is ever in run config; the CLI and the intake, which are no
    runs, take the values. Unset, boto3 finds credentials itself (a shared config file, the machine's role)."""
    storage = storage or load_storage_settings()
    return MediaStore(
        url=storage.media_url, work_dir=str(storage.work_dir), s3_endpoint_url=storage.s3_endpoint_url,
        s3_public_endpoint_url=storage.s3_public_endpoint_url, s3_region=storage.s3_region,
        link_seconds=storage.link_seconds, retry_seconds=storage.retry_seconds, **_credentials(env_var_credentials),
    )
