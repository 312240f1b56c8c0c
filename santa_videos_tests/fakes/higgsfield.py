"""A fake Higgsfield API (current, asynchronous generation) and the CDN its files live on, faithful to
../shared/provider-apis.md §2 and §3 (Higgsfield fake).

API routes: POST /files/generate-upload-url ("upload_url"), POST /{model path} ("submit"),
GET /requests/{id}/status ("status"), POST /requests/{id}/cancel ("cancel"). CDN routes: PUT /uploads/{name}
("upload"), GET /uploads/{name} ("input"), GET /videos/{id}.mp4 ("video"). The CDN is a second server, so output
URLs are on another host than the API, and it wants no credentials, like the real one.

Speak's limits (§2.4, §5) are enforced: `duration` is 5, 10 or 15 seconds, and the audio, a WAV uploaded to the CDN,
lasts at most that long. A generation's video lasts `duration` seconds and its picture is as bright as its audio is
loud, frame by frame (media.loudness_clip), so tests can tell whether a delivered picture moves with its sound.
"""

import json
import re
import secrets
import threading
import uuid
import wave
from collections.abc import Callable
from dataclasses import dataclass, field

from santa_videos_tests.fakes import media
from santa_videos_tests.fakes.server import FakeServer, Fault, Reply, Request, json_fault

UPLOAD_TYPES = {"image/jpeg", "image/jpg", "image/png", "image/webp", "image/gif", "audio/wav", "audio/x-wav", "video/mp4"}
STATUS_PATH = re.compile(r"^/requests/(?P<id>[0-9a-f-]{36})/(?P<action>status|cancel)$")
# The Speak model path and its fields on the current API are unconfirmed (§2.4): the fake follows the 3P probes.
SPEAK_MODEL = "higgsfield-ai/speak"
SPEAK_REQUIRED = ("image_url", "audio_url", "prompt")
SPEAK_DURATIONS = (5, 10, 15)
HANG_SECONDS = 20.0


@dataclass
class Job:
    request_id: str
    outcome: str  # completed | failed | nsfw | never
    duration: int = 5
    audio_seconds: float = 0.0
    audio: bytes = field(default=b"", repr=False)
    polls: int = 0
    status: str = "queued"
    video: bytes | None = field(default=None, repr=False)
    rendering: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def rendered_video(self) -> bytes:
        with self.rendering:
            if self.video is None:
                self.video = media.loudness_clip(self.audio, self.duration)
            return self.video


class Unprocessable(Exception):
    """A submission Speak refuses with 422: the field at fault and why."""

    def __init__(self, field_name: str, message: str, kind: str = "value_error"):
        super().__init__(message)
        self.detail = {"loc": ["body", field_name], "msg": message, "type": kind}


class FakeCdn(FakeServer):
    faults_by_name = {
        "truncated": Fault(0, truncate=True),
        "html": Fault(200, b"<!doctype html><html><body>Access denied</body></html>", "text/html"),
        "hang": Fault(0, delay_seconds=HANG_SECONDS),
        "server_error": Fault(500, b"Internal Server Error", "text/plain"),
    }

    def __init__(self, video_of: Callable[[str], bytes | None]):
        """`video_of(request_id)` is the MP4 of a completed generation, None for any other id."""
        super().__init__()
        self.video_of = video_of
        self.files: dict[str, tuple[str, bytes]] = {}

    def uploaded(self, url: str) -> tuple[str, bytes] | None:
        """The content type and bytes of an upload, by its public URL; None for any URL of another host or file."""
        prefix = f"{self.url}/uploads/"
        return self.files.get(url[len(prefix):]) if url.startswith(prefix) else None

    def route(self, method: str, path: str) -> str | None:
        if path.startswith("/uploads/"):
            return {"PUT": "upload", "GET": "input"}.get(method)
        if method == "GET" and path.startswith("/videos/") and path.endswith(".mp4"):
            return "video"
        return None

    def answer(self, route: str, request: Request) -> Reply:
        name = request.path.rsplit("/", 1)[-1]
        if route == "upload":
            self.files[name] = (request.headers.get("content-type", ""), request.body)
            return Reply(200, b"", "text/plain")
        if route == "input":
            if name not in self.files:
                return Reply(404, b"NoSuchKey", "text/plain")
            content_type, body = self.files[name]
            return Reply(200, body, content_type)
        video = self.video_of(name.removesuffix(".mp4"))
        if video is None:
            return Reply(404, b"NoSuchKey", "text/plain")
        return Reply(200, video, "video/mp4")


class FakeHiggsfield(FakeServer):
    faults_by_name = {
        "concurrency": json_fault(400, {"detail": "Maximum number of concurrent requests (4) has been reached"}),
        "credits": json_fault(403, {"detail": "Not enough credits"}),
        "invalid": json_fault(422, {"detail": [{"loc": ["body", "image_url"], "msg": "Field required", "type": "missing"}]}),
        "locked": json_fault(423, {"detail": "Model is temporarily blocked"}),
        "server_error": json_fault(500, {"detail": "Internal server error"}),
        "unavailable": json_fault(503, {"detail": "Model is not ready"}),
        "unauthorized": json_fault(401, {"detail": "Invalid credentials"}),
        "hang": Fault(0, delay_seconds=HANG_SECONDS),
    }

    def __init__(self, key_id: str = "hf-fake-id", key_secret: str = "hf-fake-secret", max_concurrent: int = 4,
                 queued_polls: int = 1, running_polls: int = 1):
        super().__init__()
        self.api_key = f"{key_id}:{key_secret}"
        self.max_concurrent = max_concurrent
        self.queued_polls = queued_polls
        self.running_polls = running_polls
        self.outcome = "completed"
        self.jobs: dict[str, Job] = {}
        self.peak_active = 0
        self.cdn = FakeCdn(self._video_of)
        self._state = threading.Lock()

    def start(self):
        self.cdn.start()
        return super().start()

    def stop(self) -> None:
        super().stop()
        self.cdn.stop()

    def active(self) -> int:
        return sum(1 for job in self.jobs.values() if job.status in ("queued", "in_progress"))

    def billed_seconds(self) -> int:
        """Seconds of video paid for: failed, nsfw and canceled generations are not charged (§2.6)."""
        return sum(job.duration for job in self.jobs.values() if job.status == "completed")

    def generations(self) -> int:
        return sum(1 for job in self.jobs.values() if job.status == "completed")

    def _video_of(self, request_id: str) -> bytes | None:
        job = self.jobs.get(request_id)
        return job.rendered_video() if job is not None and job.status == "completed" else None

    def route(self, method: str, path: str) -> str | None:
        match = STATUS_PATH.match(path)
        if match:
            return {"status": "status" if method == "GET" else None, "cancel": "cancel" if method == "POST" else None}[match["action"]]
        if method == "POST" and path == "/files/generate-upload-url":
            return "upload_url"
        if method == "POST" and path.count("/") >= 2:
            return "submit"
        return None

    def common_headers(self) -> dict:
        # Every answer carries a correlation id, and never Retry-After (§2.6).
        return {"X-Correlation-ID": str(uuid.uuid4())}

    def answer(self, route: str, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Key {self.api_key}":
            return self._json(401, {"detail": "Invalid credentials"})
        with self._state:
            return getattr(self, f"_{route}")(request)

    @staticmethod
    def _json(status: int, body) -> Reply:
        return Reply(status, json.dumps(body).encode())

    def _urls(self, request_id: str) -> dict:
        return {"status_url": f"{self.url}/requests/{request_id}/status", "cancel_url": f"{self.url}/requests/{request_id}/cancel"}

    def _upload_url(self, request: Request) -> Reply:
        content_type = (request.json() or {}).get("content_type")
        if content_type not in UPLOAD_TYPES:
            return self._json(400, {"detail": f"Unsupported content type: {content_type}"})
        name = f"{secrets.token_hex(8)}.{content_type.split('/')[-1]}"
        return self._json(200, {
            "public_url": f"{self.cdn.url}/uploads/{name}", "upload_url": f"{self.cdn.url}/uploads/{name}",
            "content_type": content_type,
            "upload_headers": {"Content-Type": content_type, "x-amz-tagging": "retention=temporary"},
        })

    def _submit(self, request: Request) -> Reply:
        model = request.path.strip("/")
        if model != SPEAK_MODEL:
            return self._json(404, {"detail": f"Model {model} not found"})
        body = request.json() if request.body else {}
        missing = [name for name in SPEAK_REQUIRED if not isinstance((body or {}).get(name), str)]
        if missing:
            return self._json(422, {"detail": [{"loc": ["body", name], "msg": "Field required", "type": "missing"} for name in missing]})
        try:
            duration = self._duration(body.get("duration", SPEAK_DURATIONS[0]))
            self._upload_of(body["image_url"], "image_url", "image/")
            audio = self._upload_of(body["audio_url"], "audio_url", "audio/")
            audio_seconds = self._audio_seconds(audio, duration)
        except Unprocessable as refusal:
            return self._json(422, {"detail": [refusal.detail]})
        if self.active() >= self.max_concurrent:
            return self._json(400, {"detail": f"Maximum number of concurrent requests ({self.max_concurrent}) has been reached"})
        job = Job(request_id=str(uuid.uuid4()), outcome=self.outcome, duration=duration, audio_seconds=audio_seconds,
                  audio=audio)
        self.jobs[job.request_id] = job
        self.peak_active = max(self.peak_active, self.active())
        # The submit status code is unconfirmed (§4.3): 200 as the 3P reports say.
        return self._json(200, {"status": "queued", "request_id": job.request_id, **self._urls(job.request_id)})

    @staticmethod
    def _duration(value) -> int:
        if type(value) is not int or value not in SPEAK_DURATIONS:
            raise Unprocessable("duration", f"Input should be 5, 10 or 15, got {value!r}", "literal_error")
        return value

    def _upload_of(self, url: str, field_name: str, kind: str) -> bytes:
        upload = self.cdn.uploaded(url)
        if upload is None:
            raise Unprocessable(field_name, f"{url} is not a file uploaded through files/generate-upload-url")
        content_type, body = upload
        if not content_type.startswith(kind):
            raise Unprocessable(field_name, f"the file is {content_type or 'untyped'}, not {kind.rstrip('/')}")
        return body

    @staticmethod
    def _audio_seconds(audio: bytes, duration: int) -> float:
        try:
            seconds = media.wav_seconds(audio)
        except (wave.Error, EOFError) as error:
            raise Unprocessable("audio_url", f"audio must be a WAV file ({error or 'cut short'})") from None
        if seconds > SPEAK_DURATIONS[-1]:
            raise Unprocessable("audio_url", f"audio must be at most {SPEAK_DURATIONS[-1]} seconds, got {seconds:.1f}")
        if seconds > duration:
            raise Unprocessable("audio_url",
                                f"audio of {seconds:.2f} seconds is longer than the requested duration {duration}")
        return seconds

    def _status(self, request: Request) -> Reply:
        job = self.jobs.get(STATUS_PATH.match(request.path)["id"])
        if job is None:
            return self._json(404, {"detail": "Request not found"})
        if job.status in ("queued", "in_progress"):
            job.polls += 1
            if job.polls > self.queued_polls:
                job.status = "in_progress"
            if job.polls > self.queued_polls + self.running_polls and job.outcome != "never":
                job.status = job.outcome
        body = {"status": job.status, "request_id": job.request_id, **self._urls(job.request_id)}
        if job.status == "completed":
            body["video"] = {"url": f"{self.cdn.url}/videos/{job.request_id}.mp4"}
        if job.status == "failed":
            body["error"] = "Generation failed"
        return self._json(200, body)

    def _cancel(self, request: Request) -> Reply:
        job = self.jobs.get(STATUS_PATH.match(request.path)["id"])
        if job is None:
            return self._json(404, {"detail": "Request not found"})
        if job.status != "queued":
            return self._json(400, {"detail": "Request cannot be canceled once processing has started"})
        job.status = "canceled"
        return Reply(202, b"", "text/plain")
