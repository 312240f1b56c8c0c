"""An order's status moves forward only: every status write is a guarded transition in the orders table, so a late
run event (a sensor that read a run, then wrote after the run had moved on) cannot undo a delivery or resurrect a
failure, on SQLite and PostgreSQL alike. Operators' own actions (`dlq retry`, erasure) stay possible."""

import pytest

from santa_videos.orders import OrderNotFound, OrderTable
from santa_videos.orders.status_rules import RunRef
from santa_videos_tests.conftest import make_order
from santa_videos_tests.postgres import STORAGES, storage

pytestmark = pytest.mark.unit

OLD, RUN, NEW, NEWER = RunRef("run-old", 7), RunRef("run-a", 8), RunRef("run-b", 9), RunRef("run-c", 10)


@pytest.fixture(params=STORAGES)
def orders(request, tmp_path):
    with storage(request.param) as (_overrides, url):
        table = OrderTable(url or f"sqlite:///{tmp_path / 'orders.db'}")
        yield table
        table.dispose()


def new_order(table: OrderTable) -> str:
    order = make_order()
    table.add([order])
    return order.order_id


def test_a_delivered_order_is_never_moved_back(orders, tmp_path):
    order_id = new_order(orders)
    assert orders.mark_rendering(order_id, RUN)
    assert orders.mark_delivered(order_id, tmp_path / "v.mp4")
    assert not orders.mark_rendering(order_id, RUN), "the STARTED event of the run that delivered it"
    assert not orders.mark_rendering(order_id, NEW), "a re-run (e.g. to resend the notice) of a delivered order"
    assert not orders.mark_failed(order_id, "step delivery: webhook", NEW)
    assert not orders.mark_failed(order_id, "erased")
    assert not orders.requeue(order_id)
    record = orders.get(order_id)
    assert (record.status, record.attempts, record.run_id, record.last_error) == ("delivered", 1, RUN.run_id, None)
    assert orders.mark_delivered(order_id, tmp_path / "again.mp4"), "delivering again updates the delivery"
    assert orders.get(order_id).video_path == str(tmp_path / "again.mp4")


def test_a_failed_order_renders_again_only_for_a_newer_run(orders):
    order_id = new_order(orders)
    orders.mark_rendering(order_id, RUN)
    assert orders.mark_failed(order_id, "step video: broken", RUN)
    assert not orders.mark_rendering(order_id, RUN), "a late event of the run that failed it"
    assert not orders.mark_rendering(order_id, OLD), "a late event of an older run"
    assert orders.get(order_id).status == "failed"
    assert orders.mark_rendering(order_id, NEW), "a re-execution from the UI"
    record = orders.get(order_id)
    assert (record.status, record.run_id, record.attempts, record.last_error) == ("rendering", NEW.run_id, 2, None)


def test_a_late_failure_of_an_older_run_does_not_fail_a_newer_one(orders):
    order_id = new_order(orders)
    orders.mark_rendering(order_id, NEW)
    assert not orders.mark_failed(order_id, "canceled", RUN)
    assert orders.get(order_id).status == "rendering"
    assert orders.mark_rendering(order_id, NEW) and orders.get(order_id).attempts == 1, "the same run counts once"
    assert orders.mark_failed(order_id, "crashed before its first step", NEWER), "a newer run failed early"
    assert (orders.get(order_id).status, orders.get(order_id).run_id) == ("failed", NEWER.run_id)


def test_dlq_retry_requeues_and_a_late_failure_of_the_old_run_does_not_undo_it(orders):
    order_id = new_order(orders)
    orders.mark_rendering(order_id, RUN)
    orders.mark_failed(order_id, "step audio: quota", RUN)
    assert orders.requeue(order_id)
    assert not orders.mark_failed(order_id, "step audio: quota", RUN), "the failure event seen late"
    assert orders.get(order_id).status == "queued"
    assert orders.mark_failed(order_id, "failed at launch", NEW), "the re-execution itself failed"
    assert orders.requeue(order_id) and orders.mark_rendering(order_id, NEWER)
    assert orders.get(order_id).status == "rendering"


def test_operators_may_fail_any_unfinished_order(orders):
    waiting, rendering = new_order(orders), new_order(orders)
    orders.mark_rendering(rendering, RUN)
    assert orders.mark_failed(waiting, "erased on request") and orders.mark_failed(rendering, "erased on request")
    assert orders.get(waiting).status == orders.get(rendering).status == "failed"


def test_unknown_orders_are_an_error_not_a_silent_refusal(orders, tmp_path):
    for write in (lambda: orders.mark_rendering("nope", RUN), lambda: orders.mark_failed("nope", "x", RUN),
                  lambda: orders.mark_delivered("nope", tmp_path / "v.mp4"), lambda: orders.requeue("nope")):
        with pytest.raises(OrderNotFound):
            write()
