"""What the intake reads and writes: orders queued in the orders table, photos in the media store, and the
status a customer may see (their order id, where it is, the video's link; no internal error text)."""

from datetime import datetime

from starlette.requests import Request

from santa_videos.media.photo_card import PHOTO_FILE
from santa_videos.orders.estimates import iso
from santa_videos.orders.model import Order, Status
from santa_videos.orders.table import OrderNotFound, OrderRecord, OrderTable
from santa_videos.resources.media_store import Delivered, media_store
from santa_videos.settings import Settings

CUSTOMER_STATUS = {Status.RECEIVED: "received", Status.QUEUED: "received", Status.REJECTED: "failed"}
FAILED_REASON = "We could not finish this video yet. Our studio has been told and will make it again for you."


class IntakeStore:
    def __init__(self, settings: Settings):
        self.table = OrderTable(settings.orders_db_url)
        self.media = media_store()

    def queue(self, order: Order, photo: bytes | None, photo_sha256: str | None) -> bool:
        """Queue the order; False when the same order was already sent, which changes nothing. The same order id
        with other fields (or another photo) raises OrderConflict. An order with a photo waits as `received` until
        the photo is in place, so no run starts without it; a repeat of the order finishes that if a first attempt
        was cut short (the photo is the same: its digest matched)."""
        [(_order_id, created)] = self.table.add([order], photo_sha256=photo_sha256 if photo is not None else None)
        if photo is not None and self.table.get(order.order_id).status == Status.RECEIVED:
            self.media.publish_bytes(order.order_id, PHOTO_FILE, photo)
            self.table.accept_photo_order(order.order_id)
        return created

    def find(self, order_id: str) -> OrderRecord | None:
        try:
            return self.table.get(order_id)
        except OrderNotFound:
            return None

    def delivered_file(self, record: OrderRecord, kind: str) -> Delivered | None:
        if record.status != Status.DELIVERED:
            return None
        return self.media.delivered(record.order_id, kind)

    def delivered_video(self, record: OrderRecord) -> Delivered | None:
        return self.delivered_file(record, "video")


def public_status(record: OrderRecord, video: Delivered | None, ready_at: datetime | None, request: Request) -> dict:
    status = CUSTOMER_STATUS.get(record.status, str(record.status))
    result = {
        "order_id": record.order_id,
        "status": status,
        "created_at": record.created_at.isoformat(),
        "estimated_ready_at": iso(ready_at) if ready_at else None,
        "delivered_at": record.delivered_at.isoformat() if record.delivered_at else None,
        "video_url": None,
        "thumbnail_url": None,
        "reason": None,
    }
    if status == "delivered" and video is not None:
        result["video_url"] = str(request.url_for("video", order_id=record.order_id))
        result["thumbnail_url"] = str(request.url_for("thumbnail", order_id=record.order_id))
    elif status == "delivered":
        result["reason"] = "The video is no longer kept here."
    elif status == "failed":
        result["reason"] = FAILED_REASON
    return result
