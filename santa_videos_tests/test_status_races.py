"""A status write held between reading a run and writing the order's status, while the order moves on: the late
write changes nothing. The status sensor, the steps and the runs are real (a Dagster instance and the orders table on
SQLite and on PostgreSQL, runs of the real `delivery` step); drill holds (santa_videos/faults.py) order the race, not
timing luck.
"""

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from santa_videos.definitions import build_definitions
from santa_videos.faults import is_held, release, write_plan
from santa_videos.orders import OrderTable
from santa_videos.settings import load_settings
from santa_videos.sensors.run_status import order_status_sensor
from santa_videos_tests.conftest import make_order
from santa_videos_tests.postgres import STORAGES, storage

pytestmark = pytest.mark.integration

HOLD = {"kind": "hold", "times": 1}


@dataclass
class World:
    instance: dg.DagsterInstance
    definitions: dg.Definitions
    table: OrderTable
    faults: Path

    def order_ready_to_deliver(self) -> str:
        """An order whose video and thumbnail are made: a run of `delivery` alone publishes it."""
        order = make_order(age=0, mentions=[])
        self.table.add([order])
        self.instance.add_dynamic_partitions("videos", [order.order_id])
        media = self.definitions.resources["media"]
        for name in ("video.mp4", "thumbnail.jpg"):
            media.publish_bytes(order.order_id, name, b"made by an earlier step")
        return order.order_id

    def deliver(self, order_id: str) -> dg.ExecuteInProcessResult:
        return self.definitions.resolve_job_def("video_job").execute_in_process(
            instance=self.instance, partition_key=order_id, asset_selection=[dg.AssetKey("delivery")],
            raise_on_error=False,
        )

    def status_sensor_reads(self, run_id: str, event_type: dg.DagsterEventType):
        """Evaluate the status sensor from just before the run's event, as the daemon would: returns the call."""
        (event,) = [record for record in self.instance.fetch_run_status_changes(event_type, limit=20).records
                    if record.event_log_entry.run_id == run_id]
        context = dg.build_sensor_context(instance=self.instance, cursor=str(event.storage_id - 1))
        return lambda: order_status_sensor(context)

    def wait_held(self, point: str) -> None:
        deadline = time.monotonic() + 60
        while not is_held(self.faults, point):
            assert time.monotonic() < deadline, f"nothing reached the hold at {point}"
            time.sleep(0.05)


class Background(threading.Thread):
    """Calls `work` in a thread and keeps what it returned."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None
        self.start()

    def run(self):
        try:
            self.result = self.work()
        except BaseException as exc:  # handed to the test in outcome()
            self.error = exc

    def outcome(self):
        self.join(120)
        assert not self.is_alive(), "still running"
        if self.error:
            raise self.error
        return self.result


@pytest.fixture(params=STORAGES)
def world(request, tmp_path, monkeypatch):
    faults = tmp_path / "faults.json"
    faults.write_text("{}")
    monkeypatch.setenv("SANTA_FAULTS_FILE", str(faults))
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    with storage(request.param) as (overrides, orders_url):
        if orders_url:
            monkeypatch.setenv("SANTA_ORDERS_DB_URL", orders_url)
        else:
            monkeypatch.delenv("SANTA_ORDERS_DB_URL", raising=False)
        settings = load_settings()
        table = OrderTable(settings.orders_db_url)
        (tmp_path / "dagster_home").mkdir()
        with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home"), overrides=overrides) as instance:
            yield World(instance, build_definitions(settings), table, faults)
        table.dispose()


def test_a_rendering_write_of_an_older_run_read_before_a_newer_run_delivered_does_not_undo_it(world):
    """The race that once rendered an order twice: a status write read a run as working on the order, a newer run
    delivered it, and the late write put `rendering` over `delivered` (the reconciler then requested the order
    again). Here the first run's step has read its run and is held before its write while a second run delivers."""
    order_id = world.order_ready_to_deliver()
    write_plan(world.faults, {"status:rendering": HOLD})
    older = Background(lambda: world.deliver(order_id))
    world.wait_held("status:rendering")  # the older run's step has read its run and not yet written
    (first,) = world.instance.get_runs()

    newer = world.deliver(order_id)
    assert newer.success and world.table.get(order_id).status == "delivered"
    release(world.faults, "status:rendering")
    assert older.outcome().success  # its delivery publishes the same video again; the order stays delivered

    record = world.table.get(order_id)
    assert record.status == "delivered" and record.run_id == newer.run_id != first.run_id
    assert record.attempts == 1


def test_a_dead_letter_read_before_a_newer_run_delivered_stays_delivered(world):
    """The failure sensor read the run as the order's final failure; a re-run from the UI then delivered it."""
    order_id = world.order_ready_to_deliver()
    write_plan(world.faults, {"step:delivery": {"kind": "permanent", "times": 1}, "status:failed": HOLD})
    failed = world.deliver(order_id)
    assert not failed.success and world.table.get(order_id).status == "rendering"
    world.instance.add_run_tags(failed.run_id, {"dagster/will_retry": "false"})
    sensing = Background(world.status_sensor_reads(failed.run_id, dg.DagsterEventType.RUN_FAILURE))
    world.wait_held("status:failed")  # the sensor found the failed run to be the order's latest attempt

    rerun = world.deliver(order_id)
    assert rerun.success and world.table.get(order_id).status == "delivered"
    release(world.faults, "status:failed")
    outcome = sensing.outcome()

    record = world.table.get(order_id)
    assert (record.status, record.attempts, record.run_id) == ("delivered", 2, rerun.run_id)
    assert record.last_error is None
    assert isinstance(outcome, dg.SkipReason) and "0 orders marked failed" in outcome.skip_message
