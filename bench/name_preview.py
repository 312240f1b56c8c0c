"""The name preview as a parent waits for it: from sending POST /name-preview to the intake (a real server on
loopback, ElevenLabs the fake one) to the first byte of audio, for a name never heard (cold) and for one heard
before (a cache hit). The intake has answered one preview before, as a running intake has.

    python -m bench.name_preview [--names 5]    prints the rows and the figures as JSON
"""

import argparse
import json
import shutil
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
import uvicorn

from bench.sentences import fake_providers
from bench.speech_orders import NAMES
from bench.stats import Row, Spread, fmt_spread, format_table, spread
from santa_videos.intake_http import create_app
from santa_videos.orders.ids import new_order_id
from santa_videos.settings import load_settings

FIGURE = "name preview: request -> first audio byte"
WARM_UP_NAME = "Nicolás"


@dataclass(frozen=True)
class PreviewFigures:
    cold_s: Spread
    cache_hit_s: Spread
    characters_billed: int


@contextmanager
def intake_on_loopback():
    """The intake app served by uvicorn in a thread of this process; yields its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(load_settings()), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def first_byte_seconds(client: httpx.Client, url: str, body: dict) -> float:
    started = time.perf_counter()
    with client.stream("POST", f"{url}/name-preview", json=body) as answer:
        chunks = answer.iter_raw()
        next(chunks)
        waited = time.perf_counter() - started
        if answer.status_code != 200 or answer.headers["content-type"] != "audio/wav":
            raise RuntimeError(f"the preview failed: HTTP {answer.status_code}")
        for _rest in chunks:
            pass
    return waited


def preview_figures(root: Path, names: int = 5) -> PreviewFigures:
    with fake_providers(root / "data", root / "audio_cache") as (voice, _clips), intake_on_loopback() as url:
        # Each sample from its own address: the per-client rate limit is not what is measured.
        def measured(body: dict, number: int) -> float:
            transport = httpx.HTTPTransport(local_address=f"127.0.0.{number + 2}")
            with httpx.Client(transport=transport, timeout=60) as client:
                return first_byte_seconds(client, url, body)

        measured({"child_name": WARM_UP_NAME, "language": "en"}, 0)
        bodies = [{"child_name": name, "language": "en", "order_id": new_order_id()} for name in NAMES[:names]]
        cold = [measured(body, number) for number, body in enumerate(bodies, start=1)]
        hits = [measured(body, number) for number, body in enumerate(bodies, start=names + 1)]
        return PreviewFigures(spread(cold), spread(hits), voice.characters_used)


def preview_rows(figures: PreviewFigures | dict) -> list[Row]:
    if isinstance(figures, dict):
        figures = PreviewFigures(Spread(**figures["cold_s"]), Spread(**figures["cache_hit_s"]),
                                 figures["characters_billed"])
    return [Row(FIGURE, fmt_spread(figures.cold_s, "s", 3), "<= 0.5 s; a name never heard"),
            Row(f"{FIGURE}, cache hit", fmt_spread(figures.cache_hit_s, "s", 3), "<= 0.05 s; the same name again")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.name_preview", description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=5, help="new names previewed, then previewed again")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="santa-bench-preview-"))
    try:
        figures = preview_figures(root, args.names)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(format_table(preview_rows(figures)))
    print(json.dumps(asdict(figures), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
