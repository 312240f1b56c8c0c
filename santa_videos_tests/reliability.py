"""A real dagster-daemon on PostgreSQL (runs, events and the orders table) for the failure drills, and the checks
every drill ends with, per order: one delivered MP4 or a failed status with a reason, no live run, no leftovers."""

import os
import signal
import time
from pathlib import Path

import dagster as dg
import pytest

from santa_videos.daemon_harness import DaemonHarness, video_runs
from santa_videos.orders import OrderTable
from santa_videos.orders.model import Status
from santa_videos_tests.media_checks import ffprobe
from santa_videos_tests.postgres import POSTGRES_INSTANCE_YAML, database_url, instance_env, temporary_database

TERMINAL = (Status.DELIVERED, Status.FAILED)


class Drill:
    """The daemon harness plus the orders table, the data folder and the fault plan of one drill."""

    def __init__(self, harness: DaemonHarness, table: OrderTable, faults: Path):
        self.harness = harness
        self.table = table
        self.faults = faults
        self.data = harness.home.parent / "data"
        self.instance = harness.instance()

    def submit(self, count: int = 1, **fields) -> list[str]:
        order_ids = []
        for number in range(count):
            args = ["submit", "--name", fields.get("name", "Emma"), "--age", "6", "--language", "en"]
            args += ["--order-id", fields["order_id"]] if "order_id" in fields else []
            result = self.harness.cli(*args)
            assert result.returncode == 0, result.stderr
            order_ids.append(result.stdout.strip())
        return order_ids

    def wait_until(self, order_ids: list[str], statuses, timeout: float) -> dict:
        def reached():
            records = {oid: self.table.get(oid) for oid in order_ids}
            return records if all(r.status in statuses for r in records.values()) else None

        return self.harness.wait_for(reached, timeout, f"orders {statuses}")

    def runs(self, order_id: str | None = None) -> list[dg.DagsterRun]:
        return video_runs(self.instance, order_id)

    def leftovers(self) -> list[str]:
        temp = [str(p) for p in self.data.rglob("*.partial-*")] + [str(p) for p in self.data.rglob(".partial-*")]
        scratch = self.data / "media" / "tmp"
        return temp + ([str(p) for p in scratch.iterdir()] if scratch.exists() else [])

    def assert_invariants(self, order_ids: list[str], timeout: float = 60) -> dict:
        """Each order delivered once as a playable MP4, or failed with a reason; every run ended; no leftovers."""
        records = self.wait_until(order_ids, TERMINAL, timeout)
        delivered = sorted(p.name for p in (self.data / "deliveries").glob("*.mp4"))
        for order_id, record in records.items():
            if record.status == Status.DELIVERED:
                assert delivered.count(f"{order_id}.mp4") == 1
                assert ffprobe(self.data / "deliveries" / f"{order_id}.mp4")["format"]["format_name"].startswith("mov")
            else:
                assert record.last_error, f"{order_id} failed without a reason"
                assert f"{order_id}.mp4" not in delivered
        self.harness.wait_for_runs_to_end()
        # The run-status sensors tidy up shortly after a run ends.
        try:
            self.harness.wait_for(lambda: not self.leftovers(), 30, "no temp files or scratch folders")
        except AssertionError as exc:
            raise AssertionError(f"left behind: {self.leftovers()}") from exc
        return records

    def set_faults(self, plan: dict) -> None:
        from santa_videos.faults import write_plan

        write_plan(self.faults, plan)


@pytest.fixture
def drill(tmp_path, monkeypatch):
    """Storage and orders on fresh PostgreSQL databases; x264 `superfast`, the fastest preset within the spec."""
    with temporary_database("dagster") as dagster_db, temporary_database("orders") as orders_db:
        faults = tmp_path / "faults.json"
        faults.write_text("{}")
        env = {
            **instance_env(dagster_db),
            "SANTA_ORDERS_DB_URL": database_url(orders_db),
            "SANTA_MAX_CONCURRENT_RUNS": "2",
            "MAX_JOB_ATTEMPTS": "3",
            "SANTA_X264_PRESET": "superfast",
            "SANTA_FAULTS_FILE": str(faults),
            "SANTA_RECONCILE_INTERVAL_SECONDS": "5",
            "SANTA_RECONCILE_GRACE_SECONDS": "30",
        }
        harness = DaemonHarness(tmp_path, instance_yaml=POSTGRES_INSTANCE_YAML, **env)
        for name, value in {**env, "DAGSTER_HOME": str(harness.home), "SANTA_DATA_DIR": str(tmp_path / "data")}.items():
            monkeypatch.setenv(name, value)
        table = OrderTable(env["SANTA_ORDERS_DB_URL"])
        drill = Drill(harness, table, faults)
        try:
            yield drill
        finally:
            harness.stop()
            drill.instance.dispose()
            table.dispose()


def processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        found.append((int(entry.name), ppid, cmdline))
    return found


def encoding_ffmpeg(order_id: str) -> tuple[int, int] | None:
    """(FFmpeg pid, its parent: the run worker) of the final encode of an order, while it runs."""
    for pid, ppid, cmdline in processes():
        if cmdline.startswith("ffmpeg ") and f"/{order_id}/" in cmdline and "-video.mp4" in cmdline:
            return pid, ppid
    return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(f"/proc/{pid}").exists() else "X"
    return state not in ("Z", "X")


def kill9(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def step_events(instance: dg.DagsterInstance, run_id: str, event_type: dg.DagsterEventType) -> list:
    return [r.event_log_entry for r in instance.get_records_for_run(run_id, of_type=event_type).records]


def wait_seconds(start: float) -> float:
    return round(time.monotonic() - start, 1)


def most_at_once(records) -> int:
    """The largest number of runs that were in progress at the same moment."""
    # At equal times an end counts before a start: a slot freed and taken at once is not an overlap.
    moments = sorted([(r.start_time, 1) for r in records] + [(r.end_time, -1) for r in records])
    running = peak = 0
    for _moment, change in moments:
        running += change
        peak = max(peak, running)
    return peak
