"""Santa's talking portrait from Higgsfield (lip-sync to the order's speech), over httpx.

The request id is saved on the order before polling starts, so a retried run polls the same paid generation
instead of submitting a second one. A terminated run cancels the generation while it is still queued.
"""

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import dagster as dg
import httpx
from pydantic import Field

from santa_videos.media.download import download_video
from santa_videos.media.speech import wav_duration
from santa_videos.providers.errors import (
    PermanentProviderError, ProviderError, TransientProviderError, detail_text,
)
from santa_videos.providers.retry import Attempts, RetryBudget, call_with_retries

PROVIDER = "Higgsfield"
SPEAK_DURATIONS = (5, 10, 15)
ENDED_WITHOUT_VIDEO = {
    "failed": "the generation failed",
    "nsfw": "moderation rejected the portrait or the audio (nsfw)",
    "canceled": "the generation was canceled",
}


class RequestLedger(Protocol):
    """Where the provider's request id of an order is kept between attempts (the orders table)."""

    def saved(self) -> str | None: ...
    def save(self, request_id: str) -> None: ...
    def clear(self) -> None: ...


@dataclass
class LipsyncResult:
    path: Path
    request_id: str
    resumed: bool
    calls: dict[str, int] = field(default_factory=dict)


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

    def missing_configuration(self) -> str:
        if ":" not in self.api_key:
            return "no API key (set HIGGSFIELD_API_KEY to KEY_ID:KEY_SECRET)"
        return ""

    def _timeout(self) -> httpx.Timeout:
        read = self.read_timeout_seconds
        return httpx.Timeout(connect=self.connect_timeout_seconds, read=read, write=read, pool=self.pool_timeout_seconds)

    def _api(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url.rstrip("/") + "/", timeout=self._timeout(),
            headers={"Authorization": f"Key {self.api_key}", "User-Agent": "santa-videos"},
        )

    def _budget(self) -> RetryBudget:
        return RetryBudget(self.max_attempts, self.retry_base_seconds, 30.0, self.retry_budget_seconds)

    def _call(self, send: Callable[[], httpx.Response], calls: dict, route: str, ambiguous_is_permanent=False):
        calls[route] = calls.get(route, 0) + 1
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

    def _upload(self, api: httpx.Client, path: Path, content_type: str, calls: dict, attempts: Attempts, log) -> str:
        def upload() -> str:
            target = self._call(lambda: api.post("files/generate-upload-url", json={"content_type": content_type}),
                                calls, "upload_url").json()
            # The storage URL is presigned: it gets the listed headers and never our credentials.
            self._call(lambda: httpx.put(target["upload_url"], content=path.read_bytes(),
                                         headers=target.get("upload_headers") or {"Content-Type": content_type},
                                         timeout=self._timeout()), calls, "upload")
            return target["public_url"]

        return call_with_retries(upload, self._budget(), attempts, log, f"upload of {path.name}")

    def _submit(self, api, order_id: str, image_url: str, audio_url: str, seconds: float, calls, attempts, log) -> str:
        body = {
            "image_url": image_url, "audio_url": audio_url, "prompt": self.prompt, "quality": self.quality,
            "duration": next((d for d in SPEAK_DURATIONS if d >= seconds), SPEAK_DURATIONS[-1]),
            "enhance_prompt": False, "seed": int(hashlib.sha256(order_id.encode()).hexdigest()[:6], 16) % 1_000_000 + 1,
        }
        # The docs disagree on whether submissions honour an idempotency key; it costs nothing to send one.
        headers = {"Idempotency-Key": order_id}
        submit = lambda: self._call(  # noqa: E731
            lambda: api.post(self.model_path.strip("/"), json=body, headers=headers), calls, "submit", True
        ).json()["request_id"]
        return call_with_retries(submit, self._budget(), attempts, log, "submission")

    def _cancel(self, api: httpx.Client, request_id: str, calls: dict) -> bool:
        calls["cancel"] = calls.get("cancel", 0) + 1
        try:
            return api.post(f"requests/{request_id}/cancel", timeout=5).status_code == 202
        except httpx.HTTPError:
            return False

    def _wait(self, api, request_id: str, ledger, calls, attempts, log) -> str:
        """Poll until the generation ends; returns the video URL."""
        deadline = time.monotonic() + self.deadline_seconds
        delay, rng = self.poll_first_seconds, random.Random()
        while True:
            try:
                status = call_with_retries(
                    lambda: self._call(lambda: api.get(f"requests/{request_id}/status"), calls, "status").json(),
                    self._budget(), attempts, log, "status poll",
                )
            except PermanentProviderError:
                ledger.clear()  # an unknown or refused request id will not become usable later
                raise
            state = status.get("status")
            if state == "completed":
                url = (status.get("video") or {}).get("url")
                if not url:
                    raise PermanentProviderError(PROVIDER, "the generation completed without a video URL")
                return url
            if state in ENDED_WITHOUT_VIDEO:
                ledger.clear()
                error = f": {status['error']}" if status.get("error") else ""
                raise PermanentProviderError(PROVIDER, ENDED_WITHOUT_VIDEO[state] + error)
            if state not in ("queued", "in_progress"):
                raise PermanentProviderError(PROVIDER, f"unknown request status {state!r}")
            if time.monotonic() + delay > deadline:
                canceled = self._cancel(api, request_id, calls)
                if canceled:
                    ledger.clear()
                raise TransientProviderError(
                    PROVIDER, f"the generation did not finish within {self.deadline_seconds:.0f} s "
                    f"({'canceled' if canceled else 'still running, kept for a later attempt'})",
                )
            time.sleep(delay * rng.uniform(0.8, 1.2))
            delay = min(delay * 1.5, self.poll_max_seconds)

    def _download(self, url: str, out: Path, calls: dict, attempts: Attempts, log) -> Path:
        cap = int(self.max_download_mb * 1024 * 1024)

        def download() -> Path:
            calls["download"] = calls.get("download", 0) + 1
            return download_video(url, out, self._timeout(), cap, PROVIDER, classify_status)

        return call_with_retries(download, self._budget(), attempts, log, "video download")

    def lipsync(
        self, order_id: str, audio: Path, portrait: Path, out: Path, ledger: RequestLedger,
        attempts: Attempts, log: Callable[[str], None], calls: dict[str, int] | None = None,
    ) -> LipsyncResult:
        """`calls` (route -> requests) is filled as requests go out, so a caller sees them even after a failure."""
        calls = {} if calls is None else calls
        with self._api() as api:
            request_id = ledger.saved()
            resumed = request_id is not None
            if resumed:
                log(f"{PROVIDER}: polling the generation an earlier attempt submitted ({request_id})")
            else:
                image_url = self._upload(api, portrait, "image/jpeg", calls, attempts, log)
                audio_url = self._upload(api, audio, "audio/wav", calls, attempts, log)
                request_id = self._submit(api, order_id, image_url, audio_url, wav_duration(audio), calls, attempts, log)
                ledger.save(request_id)
                log(f"{PROVIDER}: submitted generation {request_id}")
            try:
                url = self._wait(api, request_id, ledger, calls, attempts, log)
            except ProviderError:
                raise
            except BaseException:
                # A terminated run (Dagster raises its interrupt here): stop paying if the job is still queued.
                if self._cancel(api, request_id, calls):
                    ledger.clear()
                raise
        self._download(url, out, calls, attempts, log)
        ledger.clear()
        return LipsyncResult(path=out, request_id=request_id, resumed=resumed, calls=calls)
