"""Telling the shop a video is ready: a signed POST to SANTA_DELIVERY_WEBHOOK_URL, retried on transient errors.

The body is JSON (`event`, `order_id`, `status`, `video_url`, `delivered_at`). The shop checks
`X-Santa-Signature: sha256=<hex>`, an HMAC-SHA256 with SANTA_WEBHOOK_SECRET over `<X-Santa-Timestamp>.<body>`;
signing the timestamp lets it refuse replays of old deliveries. The same order may be notified twice (a re-run
of `delivery`): the order id is the idempotency key.
"""

import hashlib
import hmac
import json
import random
import time
from dataclasses import dataclass
from datetime import datetime

import dagster as dg
import httpx

from santa_videos.settings import Settings

SIGNATURE_HEADER = "X-Santa-Signature"
TIMESTAMP_HEADER = "X-Santa-Timestamp"
TRANSIENT_STATUSES = {408, 425, 429, 500, 502, 503, 504}
MAX_WAIT_SECONDS = 60


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, max_age_seconds: float = 300) -> bool:
    """What a shop runs on a delivery it receives: a valid signature on a recent timestamp."""
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        return False
    return age <= max_age_seconds and hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True)
class WebhookOutcome:
    sent: bool
    attempts: int
    detail: str

    @property
    def summary(self) -> str:
        plural = "" if self.attempts == 1 else "s"
        return f"{'sent' if self.sent else 'failed'}: {self.detail} after {self.attempts} attempt{plural}"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return min(float(value), MAX_WAIT_SECONDS) if value.isdigit() else None


class DeliveryWebhook(dg.ConfigurableResource):
    """The shop's delivery webhook. With no `url` nothing is sent. The URL and secret come from EnvVar: they may
    carry credentials, so neither is ever logged nor put in an error message."""

    url: str = ""
    secret: str = ""
    video_base_url: str = "http://127.0.0.1:8080"
    max_attempts: int = 4
    backoff_seconds: float = 1.0
    timeout_seconds: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    def video_link(self, order_id: str) -> str:
        return f"{self.video_base_url.rstrip('/')}/videos/{order_id}.mp4"

    def notify(self, order_id: str, delivered_at: datetime, log) -> WebhookOutcome:
        body = json.dumps(
            {
                "event": "video.delivered",
                "order_id": order_id,
                "status": "delivered",
                "video_url": self.video_link(order_id),
                "delivered_at": delivered_at.isoformat(),
            },
            separators=(",", ":"),
        ).encode("utf-8")
        detail = "not sent"
        with httpx.Client(timeout=self.timeout_seconds, follow_redirects=False) as client:
            for attempt in range(1, self.max_attempts + 1):
                timestamp = str(int(time.time()))
                headers = {
                    "Content-Type": "application/json",
                    TIMESTAMP_HEADER: timestamp,
                    SIGNATURE_HEADER: sign(self.secret, timestamp, body),
                }
                wait = None
                try:
                    response = client.post(self.url, content=body, headers=headers)
                except httpx.TimeoutException:
                    detail = f"no answer within {self.timeout_seconds:g} s"
                except httpx.TransportError as exc:
                    detail = f"could not connect ({type(exc).__name__})"
                else:
                    detail = f"HTTP {response.status_code}"
                    if response.is_success:
                        return WebhookOutcome(True, attempt, detail)
                    if response.status_code not in TRANSIENT_STATUSES:
                        return WebhookOutcome(False, attempt, detail)
                    wait = _retry_after(response)
                if attempt < self.max_attempts:
                    if wait is None:
                        wait = min(self.backoff_seconds * 2 ** (attempt - 1) * random.uniform(0.5, 1.5), MAX_WAIT_SECONDS)
                    log.warning(f"delivery webhook for order {order_id}: {detail}; retrying in {wait:.1f} s")
                    time.sleep(wait)
        return WebhookOutcome(False, self.max_attempts, detail)


def delivery_webhook(settings: Settings) -> DeliveryWebhook:
    if not settings.delivery_webhook_enabled:
        return DeliveryWebhook(video_base_url=settings.public_url)
    return DeliveryWebhook(
        url=dg.EnvVar("SANTA_DELIVERY_WEBHOOK_URL"),
        secret=dg.EnvVar("SANTA_WEBHOOK_SECRET"),
        video_base_url=settings.public_url,
    )
