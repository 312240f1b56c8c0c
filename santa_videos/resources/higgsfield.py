"""Santa's talking portrait from Higgsfield's Speak model, over httpx: the uploads, submission, status polls,
cancellation and download of a generation. resources/lipsync_generations.py drives the generations of a clip
(saving each request id before polling it, so a retried run polls what it paid for instead of paying again).
"""

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import httpx
from pydantic import Field

from santa_videos.media.download import download_video
from santa_videos.media.lipsync_segments import SPEAK_DURATIONS
from santa_videos.providers.errors import (
    PermanentProviderError, ProviderError, TransientProviderError, detail_text,
)
from santa_videos.providers.retry import Attempts, RetryBudget, call_with_retries

PROVIDER = "Higgsfield"
ENDED_WITHOUT_VIDEO = {
    "failed": "the generation failed",
    "nsfw": "moderation rejected the portrait or the audio (nsfw)",
    "canceled": "the generation was canceled",
}


class RequestGone(PermanentProviderError):
    """The provider will never complete this request id (it ended without a video, or is unknown): forget it."""


def classify_status(status: int, body) -> ProviderError:
    text = detail_text(body)
    # Higgsfield answers a full concurrency quota with 400 and this sentence only (no 429, no Retry-After):
    # the message is the one way to tell it from a rejected input.
    if status == 400 and "concurrent requests" in text.lower():
        return TransientProviderError(PROVIDER, f"concurrency limit reached ({text})")
    if status in (408, 423, 429) or status >= 500:
        return TransientProviderError(PROVIDER, f"HTTP {status}: {text or 'no message'}")
    if status == 401:
        return PermanentProviderError(PROVIDER, "the API key was refused (HTTP 401): check HIGGSFIELD_API_KEY")
    if status == 403:
        return PermanentProviderError(PROVIDER, f"not enough credits (HTTP 403: {text})")
    return PermanentProviderError(PROVIDER, f"HTTP {status}: {text or 'no message'}")


def _body(response: httpx.Response):
    try:
        return response.json()
    except ValueError:
        return response.text


class HiggsfieldClips(dg.ConfigurableResource):
    """Lip-sync clips from Higgsfield. The key ("KEY_ID:KEY_SECRET") comes from EnvVar("HIGGSFIELD_API_KEY")."""

    api_key: str = Field(default="", description="KEY_ID:KEY_SECRET; set it with EnvVar, never as a literal")
    base_url: str = "https://api.higgsfield.ai"
    # The Speak model's path and fields on the current API are known from third-party probes only: configurable.
    model_path: str = "higgsfield-ai/speak"
    prompt: str = "Santa Claus speaks warmly and joyfully to the camera"
    quality: str = "high"
    connect_timeout_seconds: float = 5
    read_timeout_seconds: float = 30
    pool_timeout_seconds: float = 5
    poll_first_seconds: float = 2
    poll_max_seconds: float = 10
    deadline_seconds: float = 900
    max_download_mb: float = 200
    max_attempts: int = 4
    retry_base_seconds: float = 1.0
    retry_budget_seconds: float = 90
    # Generations one run keeps in flight: the account's concurrency quota is shared with every other run.
    max_in_flight: int = 3
    # A claim on a segment that its run stopped refreshing this long ago (the run died) is taken over.
    claim_stale_seconds: float = 120

    def missing_configuration(self) -> str:
        if ":" not in self.api_key:
            return "no API key (set HIGGSFIELD_API_KEY to KEY_ID:KEY_SECRET)"
        return ""

    def timeout(self) -> httpx.Timeout:
        read = self.read_timeout_seconds
        return httpx.Timeout(connect=self.connect_timeout_seconds, read=read, write=read, pool=self.pool_timeout_seconds)

    def budget(self) -> RetryBudget:
        return RetryBudget(self.max_attempts, self.retry_base_seconds, 30.0, self.retry_budget_seconds)

    @contextmanager
    def session(
        self, calls: dict[str, int], attempts: Attempts, log: Callable[[str], None]
    ) -> Iterator["HiggsfieldSession"]:
        """One connection pool for the generations of a clip. `calls` (route -> requests) is filled as requests
        go out, so a caller sees them even after a failure."""
        api = httpx.Client(
            base_url=self.base_url.rstrip("/") + "/", timeout=self.timeout(),
            headers={"Authorization": f"Key {self.api_key}", "User-Agent": "santa-videos"},
        )
        with api:
            yield HiggsfieldSession(self, api, calls, attempts, log)


class HiggsfieldSession:
    """Requests to Higgsfield, each retried by the resource's policy and counted in `calls`."""

    def __init__(self, config: HiggsfieldClips, api: httpx.Client, calls: dict[str, int], attempts: Attempts,
                 log: Callable[[str], None]):
        self.config, self.api, self.calls, self.attempts, self.log = config, api, calls, attempts, log

    def _call(self, send: Callable[[], httpx.Response], route: str, ambiguous_is_permanent=False) -> httpx.Response:
        self.calls[route] = self.calls.get(route, 0) + 1
        try:
            response = send()
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientProviderError(PROVIDER, f"could not connect ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            if ambiguous_is_permanent:
                # The request may have been accepted and paid for; submissions take no idempotency key for sure,
                # so a second POST could pay twice.
                raise PermanentProviderError(
                    PROVIDER, f"the submission's outcome is unknown ({type(exc).__name__}); not sent again"
                ) from None
            raise TransientProviderError(PROVIDER, f"no complete answer ({type(exc).__name__})") from None
        if response.status_code >= 400:
            raise classify_status(response.status_code, _body(response))
        return response

    def _retrying(self, call: Callable, what: str):
        return call_with_retries(call, self.config.budget(), self.attempts, self.log, what)

    def upload(self, path: Path, content_type: str) -> str:
        """Upload a file through a presigned URL; its public URL."""
        def upload() -> str:
            target = self._call(lambda: self.api.post("files/generate-upload-url", json={"content_type": content_type}),
                                "upload_url").json()
            # The storage URL is presigned: it gets the listed headers and never our credentials.
            self._call(lambda: httpx.put(target["upload_url"], content=path.read_bytes(),
                                         headers=target.get("upload_headers") or {"Content-Type": content_type},
                                         timeout=self.config.timeout()), "upload")
            return target["public_url"]

        return self._retrying(upload, f"upload of {path.name}")

    def submit(self, segment_key: str, image_url: str, audio_url: str, duration: int) -> str:
        """Pay for a generation of `duration` seconds; its request id."""
        if duration not in SPEAK_DURATIONS:
            raise ValueError(f"Speak generations last {SPEAK_DURATIONS} seconds, not {duration}")
        seed = int(hashlib.sha256(segment_key.encode()).hexdigest()[:6], 16) % 1_000_000 + 1
        body = {
            "image_url": image_url, "audio_url": audio_url, "prompt": self.config.prompt,
            "quality": self.config.quality, "duration": duration, "enhance_prompt": False, "seed": seed,
        }
        # The docs disagree on whether submissions honour an idempotency key; it costs nothing to send one.
        headers = {"Idempotency-Key": segment_key}
        path = self.config.model_path.strip("/")
        send = lambda: self.api.post(path, json=body, headers=headers)  # noqa: E731
        return self._retrying(lambda: self._call(send, "submit", True).json()["request_id"], "submission")

    def poll(self, request_id: str) -> str | None:
        """The video URL once the generation completed, None while it is queued or running. RequestGone when the
        provider will never complete it."""
        try:
            status = self._retrying(
                lambda: self._call(lambda: self.api.get(f"requests/{request_id}/status"), "status").json(),
                "status poll",
            )
        except RequestGone:
            raise
        except PermanentProviderError as exc:
            raise RequestGone(PROVIDER, exc.reason) from None  # an unknown or refused id will not become usable
        state = status.get("status")
        if state == "completed":
            url = (status.get("video") or {}).get("url")
            if not url:
                raise PermanentProviderError(PROVIDER, "the generation completed without a video URL")
            return url
        if state in ENDED_WITHOUT_VIDEO:
            error = f": {status['error']}" if status.get("error") else ""
            raise RequestGone(PROVIDER, ENDED_WITHOUT_VIDEO[state] + error)
        if state not in ("queued", "in_progress"):
            raise PermanentProviderError(PROVIDER, f"unknown request status {state!r}")
        return None

    def cancel(self, request_id: str) -> bool:
        """True when the generation was canceled (it was still queued, and is not charged)."""
        self.calls["cancel"] = self.calls.get("cancel", 0) + 1
        try:
            return self.api.post(f"requests/{request_id}/cancel", timeout=5).status_code == 202
        except httpx.HTTPError:
            return False

    def download(self, url: str, out: Path) -> Path:
        cap = int(self.config.max_download_mb * 1024 * 1024)

        def download() -> Path:
            self.calls["download"] = self.calls.get("download", 0) + 1
            return download_video(url, out, self.config.timeout(), cap, PROVIDER, classify_status)

        return self._retrying(download, "video download")
