"""A shop's webhook endpoint on 127.0.0.1 for tests: records every delivery and answers from a script."""

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict
    body: bytes


class FakeShop:
    """`answers` are (status, headers) pairs used in turn; after the last, every request gets 200."""

    def __init__(self, answers: list[tuple[int, dict]] | None = None):
        self.answers = list(answers or [])
        self.received: list[Received] = []
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                shop.received.append(Received(self.path, dict(self.headers), body))
                status, headers = shop.answers.pop(0) if shop.answers else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/santa?token=shop-token-123"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeShop":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
