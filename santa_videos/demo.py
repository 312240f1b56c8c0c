"""`make demo`: three sample orders through the real path (intake sensor, run queue, daemon-launched runs)."""

import hashlib
import io
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
from PIL import Image, ImageDraw

from santa_videos.demo_providers import FakeProviders
from santa_videos.intake_http.orders import IntakeStore
from santa_videos.logs import daemon_log_args
from santa_videos.orders.model import Order, Status, parse_order
from santa_videos.orders.table import OrderTable
from santa_videos.processes import stop_process
from santa_videos.settings import Settings, load_settings

SAMPLE_ORDERS = [
    {"child_name": "Emma", "age": 6, "language": "en",
     "mentions": ["you helped your little brother learn to ride his bike", "you wished for a red sled"]},
    {"child_name": "Mateo", "age": 8, "language": "es",
     "mentions": ["ayudaste a tu abuela en el jardín", "quieres un telescopio para ver las estrellas"]},
    {"child_name": "Zoë O'Brien-Núñez", "age": 5, "language": "en", "phonetic_name": "Zoey O'Brien Noonyez",
     "mentions": ['100% "nice": shares {toys}, %{localtime} \\ [always]']},
]
SAMPLE_WITH_PHOTO = 0  # Emma's order comes with a photo, as the order form sends one
HEARTBEAT_FRESH_SECONDS = 30


def sample_photo() -> bytes:
    """A stand-in for a child's photo (the project ships no real one): a drawn portrait, as a JPEG."""
    image = Image.new("RGB", (480, 600), (120, 180, 220))
    draw = ImageDraw.Draw(image)
    draw.ellipse([-80, 430, 560, 900], fill=(70, 130, 90))
    draw.ellipse([110, 110, 370, 400], fill=(120, 70, 40))
    draw.ellipse([140, 150, 340, 390], fill=(245, 205, 175))
    draw.chord([130, 110, 350, 260], 180, 360, fill=(120, 70, 40))
    for x in (200, 280):
        draw.ellipse([x - 12, 250, x + 12, 274], fill=(50, 40, 40))
    draw.arc([195, 285, 285, 345], 20, 160, fill=(190, 70, 80), width=8)
    draw.rectangle([150, 420, 330, 600], fill=(220, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def queue_samples(orders: list[Order], settings: Settings, table: OrderTable) -> None:
    """Queue the samples, one with a photo through the intake's own store, as a landing page's form would."""
    photo = sample_photo()
    with_photo = orders[SAMPLE_WITH_PHOTO]
    IntakeStore(settings).queue(with_photo, photo, hashlib.sha256(photo).hexdigest())
    table.add([order for order in orders if order is not with_photo])


def _daemon_running(instance: dg.DagsterInstance) -> bool:
    newest = max((hb.timestamp for hb in instance.get_daemon_heartbeats().values()), default=0)
    return time.time() - newest < HEARTBEAT_FRESH_SECONDS


def _start_daemon(workspace: Path, log_path: Path) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    daemon = Path(sys.executable).with_name("dagster-daemon")
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [str(daemon), "run", "-w", str(workspace), *daemon_log_args()], stdout=log, stderr=subprocess.STDOUT
        )


def wait_for_orders(table: OrderTable, order_ids: list[str], timeout_seconds: float) -> dict:
    deadline = time.monotonic() + timeout_seconds
    while True:
        records = {oid: table.get(oid) for oid in order_ids}
        if all(r.status in (Status.DELIVERED, Status.FAILED) for r in records.values()):
            return records
        if time.monotonic() > deadline:
            return records
        time.sleep(1)


def run_demo(workspace: Path, timeout_seconds: float, providers: str = "local") -> int:
    if not workspace.exists():
        print(f"workspace file {workspace} not found: run the demo from the project folder", file=sys.stderr)
        return 1
    settings = load_settings()
    table = OrderTable(settings.orders_db_url)
    instance = dg.DagsterInstance.get()
    if providers == "fake" and _daemon_running(instance):
        print("a dagster-daemon already runs for this instance and would not see the fake providers: stop it first",
              file=sys.stderr)
        return 1
    fakes = FakeProviders(workspace.resolve().parent) if providers == "fake" else None
    daemon = None
    if not _daemon_running(instance):
        # Not $DAGSTER_HOME/logs: dagster-daemon's telemetry uploader moves that folder away on every start.
        log_path = settings.data_dir / "logs" / "daemon.log"
        daemon = _start_daemon(workspace, log_path)
        print(f"started dagster-daemon for this instance; its log: {log_path}", flush=True)
    try:
        # Against the fake providers every sample asks for lip-sync, so the whole paid path is shown.
        strategy = {"strategy": "lipsync"} if fakes else {}
        orders: list[Order] = [parse_order({**sample, **strategy}) for sample in SAMPLE_ORDERS]
        queue_samples(orders, settings, table)
        print(f"queued {len(orders)} sample orders; waiting for the intake sensor and the runs...", flush=True)
        records = wait_for_orders(table, [o.order_id for o in orders], timeout_seconds)
    finally:
        if daemon is not None:
            stop_process(daemon)
        if fakes is not None:
            print(f"fake providers counted: {fakes.stop()}", flush=True)
    failures = 0
    for order in orders:
        record = records[order.order_id]
        end = record.delivered_at or datetime.now(timezone.utc)
        wall = (end - record.created_at).total_seconds()
        if record.status == Status.DELIVERED:
            print(f"{order.order_id}  {order.language}  delivered in {wall:5.1f} s  {record.video_path}")
        else:
            failures += 1
            reason = record.last_error or f"still {record.status} after {timeout_seconds:.0f} s"
            print(f"{order.order_id}  {order.language}  NOT delivered ({reason})")
    return 1 if failures else 0
