"""The intake sensor hands each queued order to Dagster once: bounded batches, run_key = order id, reads only."""

import dagster as dg
import pytest

from santa_videos.orders.status_rules import RunRef
from santa_videos.resources.orders import OrdersResource
from santa_videos.sensors.intake import intake_sensor
from santa_videos_tests.conftest import make_order

pytestmark = pytest.mark.unit


def tick(instance, settings, cursor=None):
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"orders": OrdersResource(db_url=settings.orders_db_url)}
    )
    return intake_sensor(context), context


def test_a_backlog_larger_than_a_batch_is_split_across_ticks(instance, settings, table):
    orders = [make_order() for _ in range(450)]
    table.add(orders)
    seen, cursor, sizes = [], None, []
    for _ in range(3):
        result, _ = tick(instance, settings, cursor)
        assert isinstance(result, dg.SensorResult)
        keys = [request.partition_key for request in result.run_requests]
        assert [request.run_key for request in result.run_requests] == keys
        assert result.dynamic_partitions_requests[0].partition_keys == keys
        assert result.dynamic_partitions_requests[0].partitions_def_name == "videos"
        sizes.append(len(keys))
        seen.extend(keys)
        cursor = result.cursor
    assert sizes == [200, 200, 50]
    assert seen == [order.order_id for order in orders]
    result, _ = tick(instance, settings, cursor)
    assert isinstance(result, dg.SkipReason)


def test_run_requests_carry_no_personal_data(instance, settings, table):
    order = make_order(child_name="Quillonia Vantwerp", phonetic_name="Kwill Onia")
    table.add([order])
    result, _ = tick(instance, settings)
    request = result.run_requests[0]
    assert request.partition_key == order.order_id
    text = repr(request.tags) + repr(request.run_config) + repr(result.cursor)
    assert "Quillonia" not in text and "Kwill" not in text
    assert request.tags["dagster/max_retries"] == str(settings.max_job_attempts - 1)


def test_cursor_after_the_last_order_requests_nothing(instance, settings, table):
    table.add([make_order(), make_order()])
    first, _ = tick(instance, settings)
    assert len(first.run_requests) == 2
    again, _ = tick(instance, settings, first.cursor)
    assert isinstance(again, dg.SkipReason)


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
    result, _ = tick(instance, settings)
    assert [request.partition_key for request in result.run_requests] == [waiting.order_id]
