"""What a paid provider's failure means for us: try again later (transient) or stop paying for it (permanent).

Messages are built from status codes and the provider's error fields only, never from request headers, so an
API key can never reach a log line, the event log or an exception text.
"""

from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

MAX_DETAIL_CHARS = 240


class ProviderError(Exception):
    """A provider could not serve a request. `reason` is a plain sentence; `retry_after` is the server's advice."""

    transient = False

    def __init__(self, provider: str, reason: str, retry_after: float | None = None):
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason
        self.retry_after = retry_after


class TransientProviderError(ProviderError):
    """Timeouts, lost connections, 429, 5xx and concurrency limits: the same request may succeed later."""

    transient = True


class PermanentProviderError(ProviderError):
    """The same request will fail again (bad key, unknown voice, rejected input, invalid media): never retried."""


class QuotaExceeded(PermanentProviderError):
    """The account has no credits left for this request."""


def retry_after_seconds(headers) -> float | None:
    """Retry-After as seconds or as an HTTP date; None when absent or unreadable."""
    raw = (headers or {}).get("retry-after") or (headers or {}).get("Retry-After")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def detail_text(body) -> str:
    """The human part of a FastAPI-style error body ({"detail": str | {message,...} | [{msg,...}]}), shortened."""
    detail = body.get("detail", body) if isinstance(body, dict) else body
    if isinstance(detail, dict):
        text = detail.get("message") or detail.get("status") or detail.get("code") or ""
    elif isinstance(detail, list):
        text = "; ".join(
            f"{'.'.join(str(p) for p in item.get('loc', []))}: {item.get('msg', '')}" if isinstance(item, dict) else str(item)
            for item in detail
        )
    else:
        text = str(detail or "")
    text = " ".join(text.split())
    if text.lstrip().startswith("<"):
        return "an HTML page instead of an API answer"
    return text[:MAX_DETAIL_CHARS] + ("…" if len(text) > MAX_DETAIL_CHARS else "")


def detail_status(body) -> str:
    """ElevenLabs' machine-readable error: `detail.code` (new envelope) or `detail.status` (legacy)."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        return str(detail.get("status") or detail.get("code") or "")
    return ""
