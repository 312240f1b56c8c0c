"""The order's status follows its runs: `rendering` with the run id when a run starts, `failed` with the failing step
and reason when its last attempt failed or was terminated. `delivered` is written by the delivery step itself.

Each sensor fires once per run event, in any order and possibly late: each acts only while the run it saw is still
the order's latest, and the orders table refuses a write the order has moved past (orders/status_rules.py), however
late it comes; seen twice, the same event writes the same thing.
"""

import dagster as dg

from santa_videos import faults
from santa_videos.orders.status_rules import RunRef
from santa_videos.orders.table import OrderNotFound
from santa_videos.order_runs import (
    describe_failure, failed_step_and_reason, is_latest_attempt, live_runs, order_of, will_retry,
)
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource

STATUS_SENSOR_INTERVAL_SECONDS = 5


def _tidy(context: dg.RunStatusSensorContext, media: MediaStore, order_id: str) -> None:
    # Scratch folders and half-written files of ended attempts; never while another attempt is working.
    if not live_runs(context.instance, order_id):
        media.remove_leftovers(order_id)


def _mark_dead_letter(context: dg.RunStatusSensorContext, orders: OrdersResource, media: MediaStore):
    record = context.instance.get_run_record_by_id(context.dagster_run.run_id)
    if record is None:
        return dg.SkipReason(f"run {context.dagster_run.run_id} was deleted")
    run = record.dagster_run
    order_id = order_of(run)
    if not order_id:
        return dg.SkipReason(f"run {run.run_id} renders no order")
    if will_retry(run, context.instance):
        return dg.SkipReason(f"run {run.run_id} will be retried: not a dead letter yet")
    if not is_latest_attempt(context.instance, run):
        return dg.SkipReason(f"run {run.run_id} is no longer the latest attempt of {order_id}")
    reason = describe_failure(*failed_step_and_reason(context.instance, run))
    faults.inject("status:failed")
    try:
        marked = orders.table().mark_failed(order_id, reason, RunRef.of(record))
    except OrderNotFound:
        return dg.SkipReason(f"order {order_id} is no longer in the orders table")
    _tidy(context, media, order_id)
    return None if marked else dg.SkipReason(f"order {order_id} has moved past run {run.run_id}")


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.STARTED,
    minimum_interval_seconds=STATUS_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks an order `rendering`, with the run id, when a run for it starts.",
)
def order_rendering_sensor(context: dg.RunStatusSensorContext, orders: OrdersResource):
    record = context.instance.get_run_record_by_id(context.dagster_run.run_id)
    order_id = order_of(context.dagster_run)
    if not order_id or record is None or record.dagster_run.is_finished:
        return dg.SkipReason(f"run {context.dagster_run.run_id} renders no order or has already ended")
    faults.inject("status:rendering")
    try:
        marked = orders.table().mark_rendering(order_id, RunRef.of(record))
    except OrderNotFound:
        return dg.SkipReason(f"order {order_id} is no longer in the orders table")
    return None if marked else dg.SkipReason(f"order {order_id} has moved past run {record.dagster_run.run_id}")


@dg.run_failure_sensor(
    minimum_interval_seconds=STATUS_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks an order failed, with the failing step and reason, when its last run attempt failed.",
)
def order_failure_sensor(context: dg.RunFailureSensorContext, orders: OrdersResource, media: MediaStore):
    """Fires once per failed run; an attempt that Dagster will retry is not a dead letter yet, so it is skipped."""
    return _mark_dead_letter(context, orders, media)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.CANCELED,
    minimum_interval_seconds=STATUS_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks an order failed (canceled) when its run was terminated; terminated runs are not retried.",
)
def order_canceled_sensor(context: dg.RunStatusSensorContext, orders: OrdersResource, media: MediaStore):
    return _mark_dead_letter(context, orders, media)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    minimum_interval_seconds=STATUS_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Removes what earlier, interrupted attempts of a delivered order left in the scratch folders.",
)
def order_success_sensor(context: dg.RunStatusSensorContext, media: MediaStore):
    order_id = order_of(context.dagster_run)
    if not order_id:
        return dg.SkipReason(f"run {context.dagster_run.run_id} renders no order")
    _tidy(context, media, order_id)
    return None


RUN_STATUS_SENSORS = [order_rendering_sensor, order_failure_sensor, order_canceled_sensor, order_success_sensor]
