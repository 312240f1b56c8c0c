"""Where files live: a folder on this machine's disk, or a bucket of an S3-compatible object store.

Both backends speak in object keys (`media/orders/ORDER_ID/audio.wav`, `deliveries/ORDER_ID.mp4`), write whole
objects or nothing, and are chosen by SANTA_MEDIA_URL (see `open_backend`).
"""

from santa_videos.storage.objects import MediaUrlInvalid, ObjectBackend, Removed, StoredObject, open_backend

__all__ = ["MediaUrlInvalid", "ObjectBackend", "Removed", "StoredObject", "open_backend"]
