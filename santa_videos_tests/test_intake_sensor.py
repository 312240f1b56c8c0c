"""The intake sensor hands waiting orders to Dagster earliest due first, only while Dagster's queue is short, each
once (run_key = order id), and only reads the orders table."""

import threading
import time
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest
from dagster._core.utils import make_new_run_id

from santa_videos.orders.status_rules import RunRef
from santa_videos.orders.table import OrderTable, orders
from santa_videos.sensors.intake import intake_sensor
from santa_videos_tests.conftest import make_order

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def two_slots(settings, monkeypatch):
    monkeypatch.setenv("SANTA_MAX_CONCURRENT_RUNS", "2")
    monkeypatch.setenv("SANTA_INTAKE_QUEUED_RUNS_PER_SLOT", "2")  # Dagster's queue holds 4 runs


def tick(instance, settings, cursor=None):
    return intake_sensor(dg.build_sensor_context(instance=instance, cursor=cursor))


def requested(result) -> list[str]:
    return [request.partition_key for request in result.run_requests]


def add_runs(instance, order_ids, status=dg.DagsterRunStatus.NOT_STARTED):
    """What the daemon does with a tick's requests: a run per order, waiting to start (a queued run needs a code
    location to come from; not-started ones count as waiting alike)."""
    for order_id in order_ids:
        instance.add_run(dg.DagsterRun(job_name="video_job", run_id=make_new_run_id(), status=status,
                                       tags={"dagster/partition": order_id}))


def test_only_a_few_runs_per_slot_reach_dagster_and_the_backlog_waits(instance, settings, table):
    orders = [make_order() for _ in range(30)]
    table.add(orders)
    first = tick(instance, settings)
    ids = [order.order_id for order in orders]
    assert requested(first) == ids[:4]
    assert [request.run_key for request in first.run_requests] == ids[:4]
    assert list(first.dynamic_partitions_requests[0].partition_keys) == ids[:4]
    add_runs(instance, ids[:4])

    full = tick(instance, settings)
    assert isinstance(full, dg.SkipReason) and "queue is full" in full.skip_message

    # Two runs leave the queue for their slots: two more orders are handed over, the next in line.
    for run in instance.get_runs(dg.RunsFilter(tags={"dagster/partition": ids[:2]})):
        instance.delete_run(run.run_id)
    add_runs(instance, ids[:2], dg.DagsterRunStatus.STARTED)
    assert requested(tick(instance, settings)) == ids[4:6]


def test_an_urgent_order_overtakes_the_backlog_and_the_runs_already_queued(instance, settings, table):
    backlog = [make_order() for _ in range(10)]
    table.add(backlog)
    first = tick(instance, settings)
    add_runs(instance, requested(first)[:2])
    urgent = make_order(deadline=datetime.now(timezone.utc) + timedelta(hours=2))
    table.add([urgent])

    second = tick(instance, settings)
    assert requested(second)[0] == urgent.order_id
    priorities = {r.partition_key: int(r.tags["dagster/priority"]) for r in [*first.run_requests, *second.run_requests]}
    assert priorities[urgent.order_id] > max(p for key, p in priorities.items() if key != urgent.order_id)


def test_orders_without_a_deadline_are_taken_by_arrival(instance, settings, table):
    orders = [make_order() for _ in range(3)]
    for order in orders:
        table.add([order])
    assert requested(tick(instance, settings)) == [order.order_id for order in orders]


def test_a_repeated_tick_requests_the_same_runs_and_keeps_no_cursor(instance, settings, table):
    """A tick evaluated again before its runs exist (a restart, a duplicate tick) asks for the same run keys, which
    Dagster launches once; the sensor has no cursor to lose or reset."""
    table.add([make_order(), make_order()])
    first, again = tick(instance, settings), tick(instance, settings)
    assert [r.run_key for r in first.run_requests] == [r.run_key for r in again.run_requests]
    assert first.cursor is None and again.cursor is None
    add_runs(instance, requested(first))
    assert isinstance(tick(instance, settings), dg.SkipReason)


def test_run_requests_carry_no_personal_data(instance, settings, table):
    order = make_order(child_name="Quillonia Vantwerp", phonetic_name="Kwill Onia")
    table.add([order])
    result = tick(instance, settings)
    request = result.run_requests[0]
    assert request.partition_key == order.order_id
    text = repr(request.tags) + repr(request.run_config) + repr(result.cursor)
    assert "Quillonia" not in text and "Kwill" not in text
    assert request.tags["dagster/max_retries"] == str(settings.max_job_attempts - 1)


def test_the_sensor_only_reads(instance, settings, table):
    order = make_order()
    table.add([order])
    before = table.get(order.order_id)
    tick(instance, settings)
    assert table.get(order.order_id) == before
    assert instance.get_dynamic_partitions("videos") == []
    assert instance.get_runs() == []


def test_orders_already_picked_up_are_not_requested_again(instance, settings, table):
    waiting, started = make_order(), make_order()
    table.add([waiting, started])
    table.mark_rendering(started.order_id, RunRef("run-1", 1))
    assert requested(tick(instance, settings)) == [waiting.order_id]


def test_an_idle_evaluation_returns_with_the_order_that_arrives_while_it_listens(instance, settings, table, monkeypatch):
    monkeypatch.setenv("SANTA_INTAKE_LISTEN_SECONDS", "30")
    outcome = {}
    listening = threading.Thread(target=lambda: outcome.update(result=tick(instance, settings)), daemon=True)
    listening.start()
    time.sleep(0.5)
    assert listening.is_alive(), "an evaluation with nothing to hand over returned instead of listening"
    order = make_order()
    table.add([order])
    listening.join(25)
    assert not listening.is_alive(), "the listening evaluation did not return with the new order"
    assert requested(outcome["result"]) == [order.order_id]


def test_orders_queued_before_due_times_existed_get_theirs_when_the_table_is_opened(settings, table):
    order = make_order()
    table.add([order])
    with table.engine.begin() as conn:
        conn.execute(orders.update().values(due_at=None))
    reopened = OrderTable(settings.orders_db_url)
    try:
        record = reopened.get(order.order_id)
        assert record.due_at == record.created_at + timedelta(hours=settings.default_deadline_hours)
    finally:
        reopened.dispose()
