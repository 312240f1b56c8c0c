"""What keeps one client from flooding the intake: a cap on request bodies and a per-client rate limit."""

import math
import time
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_FORM_FIELDS_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"the request body is larger than {limit} bytes")
        self.limit = limit


class BodySizeLimit:
    """Refuses a body over its cap, whether or not the client announced its length: a multipart form may carry
    a photo (`photo_bytes` plus room for the text fields), anything else `text_bytes`."""

    def __init__(self, app: ASGIApp, text_bytes: int, photo_bytes: int):
        self.app = app
        self.text_bytes = text_bytes
        self.photo_bytes = photo_bytes

    def limit_for(self, scope: Scope) -> int:
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        if content_type.startswith("multipart/form-data"):
            return self.photo_bytes + MAX_FORM_FIELDS_BYTES
        return self.text_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, capped_receive, send)


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"errors": ["the request is too large: at most {limit} bytes"]}}'.encode()
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """A token bucket per client address: `per_minute` orders, refilled evenly. Remembers the most recent
    `max_clients` addresses so memory stays bounded."""

    def __init__(self, per_minute: int, max_clients: int = 10_000, clock=time.monotonic):
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str) -> float:
        """Spend one token; returns 0 when allowed, else the seconds until the client may try again."""
        now = self.clock()
        tokens, last = self._buckets.pop(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.refill_per_second)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.refill_per_second
        self._buckets[client] = (tokens, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return float(math.ceil(wait))
