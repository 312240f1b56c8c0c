"""A real HTTP server on 127.0.0.1 (random port) that counts every request and plays scripted faults.

Subclasses map (method, path) to a route name and answer it; tests read `count(route)` and `requests(route)`,
and call `fail(route, fault, times)` to make the next requests of a route misbehave.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    received_at: float = 0.0  # time.monotonic() when the request arrived

    def json(self):
        return json.loads(self.body or b"null")


@dataclass(frozen=True)
class Fault:
    """A scripted answer: a status with a body, an optional pause first, and optionally a body cut short.
    Status 0 means the route's normal answer, after the pause (a slow server rather than a broken one)."""

    status: int = 500
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)
    delay_seconds: float = 0.0
    truncate: bool = False


def json_fault(status: int, body, **options) -> Fault:
    return Fault(status=status, body=json.dumps(body).encode(), **options)


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)


class FakeServer:
    faults_by_name: dict[str, Fault] = {}

    def __init__(self):
        self._lock = threading.Lock()
        self._requests: list[tuple[str, Request]] = []
        self._faults: dict[str, list[list]] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- what tests use -------------------------------------------------------------------------------------
    def fail(self, route: str, fault: str | Fault, times: int | None = 1) -> None:
        """The next `times` requests to `route` get `fault` (a name from `faults_by_name`); None means always."""
        resolved = self.faults_by_name[fault] if isinstance(fault, str) else fault
        with self._lock:
            self._faults.setdefault(route, []).append([resolved, times])

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def count(self, route: str | None = None) -> int:
        return len(self.requests(route))

    def requests(self, route: str | None = None) -> list[Request]:
        with self._lock:
            return [request for name, request in self._requests if route is None or name == route]

    # --- what subclasses implement --------------------------------------------------------------------------
    def route(self, method: str, path: str) -> str | None:
        raise NotImplementedError

    def answer(self, route: str, request: Request) -> Reply:
        raise NotImplementedError

    # --- plumbing -------------------------------------------------------------------------------------------
    def _next_fault(self, route: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(route, [])
            while queue:
                fault, times = queue[0]
                if times is None:
                    return fault
                if times > 0:
                    queue[0][1] -= 1
                    if queue[0][1] == 0:
                        queue.pop(0)
                    return fault
                queue.pop(0)
        return None

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    method=self.command, path=parts.path, query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()}, body=body, received_at=time.monotonic(),
                )
                route = server.route(self.command, parts.path) or "unknown"
                with server._lock:
                    server._requests.append((route, request))
                fault = server._next_fault(route)
                if fault is not None:
                    if fault.delay_seconds:
                        time.sleep(fault.delay_seconds)
                    if fault.status:
                        reply = Reply(fault.status, fault.body, fault.content_type, dict(fault.headers))
                    else:
                        reply = server.answer(route, request)
                elif route == "unknown":
                    reply = Reply(404, json.dumps({"detail": "Not Found"}).encode())
                else:
                    reply = server.answer(route, request)
                self._send(reply, truncate=bool(fault and fault.truncate))

            def _send(self, reply: Reply, truncate: bool) -> None:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                for name, value in {**server.common_headers(), **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                if truncate:
                    self.send_header("Connection", "close")
                self.end_headers()
                try:
                    self.wfile.write(reply.body[: len(reply.body) // 3] if truncate else reply.body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if truncate:
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        return Handler

    def common_headers(self) -> dict:
        return {}
