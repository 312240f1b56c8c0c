"""No order waits forever: orders handed to Dagster whose runs all ended without a delivery are requested again, or
dead-lettered. Orders waiting in the orders table are the intake sensor's."""

from datetime import datetime, timedelta, timezone

import dagster as dg

from santa_videos.jobs import video_job
from santa_videos.order_runs import (
    describe_failure, failed_step_and_reason, is_dead_letter, order_runs, orders_with_runs,
)
from santa_videos.orders.model import Status
from santa_videos.orders.status_rules import RunRef
from santa_videos.partitions import video_partitions
from santa_videos.resources.orders import table_at
from santa_videos.sensors.instance import sensor_instance
from santa_videos.sensors.run_requests import video_run_requests
from santa_videos.settings import load_settings

_settings = load_settings()
BATCH_SIZE = 200


@dg.sensor(
    job=video_job,
    minimum_interval_seconds=_settings.reconcile_interval_seconds,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a run again for orders whose runs all ended without a delivery (a lost launch, a retry "
    "that never came, a run deleted while rendering), and dead-letters those whose last attempt failed unseen.",
)
def order_reconciler(context: dg.SensorEvaluationContext):
    """Each request's run_key counts the order's runs so far: a tick evaluated twice requests nothing twice, and a
    new request appears only once the run it made has ended. The orders table comes from the settings, so a tick
    with no unfinished order never builds the Dagster instance (see sensors/intake.py)."""
    settings = load_settings()
    cutoff = datetime.now(timezone.utc) - timedelta(seconds=settings.reconcile_grace_seconds)
    table = table_at(settings.orders_db_url)
    to_request, dead_lettered = [], []
    unfinished = table.unfinished(cutoff, BATCH_SIZE)
    if not unfinished:
        return dg.SkipReason("no order has waited unchanged past the grace period")
    instance = sensor_instance(context)
    queued = [order_id for order_id, status, _ in unfinished if status == Status.QUEUED]
    handed_over = orders_with_runs(instance, queued)
    for order_id, status, due_at in unfinished:
        if status == Status.QUEUED and order_id not in handed_over:
            continue  # waiting in the orders table: the intake sensor hands it over, however long it waits
        runs = order_runs(instance, order_id)
        if any(not run.is_finished for run in runs):
            continue
        latest = instance.get_run_record_by_id(runs[0].run_id) if runs else None
        if latest is not None and is_dead_letter(latest.dagster_run):
            reason = describe_failure(*failed_step_and_reason(instance, latest.dagster_run))
            if table.mark_failed(order_id, reason, RunRef.of(latest)):
                dead_lettered.append(order_id)
                continue
            if table.get(order_id).status != Status.QUEUED:
                continue
            # An operator queued the order again after that run failed (`dlq retry`) and the re-run it asked for is
            # gone: it is requested again below, as the operator wanted.
        if latest is not None and not (latest.end_time and latest.end_time < cutoff.timestamp()):
            continue
        if len(runs) >= settings.max_job_attempts:
            table.mark_failed(order_id, f"gave up after {len(runs)} runs without a delivery", RunRef.of(latest))
            dead_lettered.append(order_id)
            continue
        to_request.append((order_id, f"{order_id}/reconcile/{len(runs)}", due_at))
    requests = video_run_requests(to_request)
    if not requests:
        return dg.SkipReason(f"nothing to request again; dead-lettered {len(dead_lettered)} orders")
    context.log.info(f"requesting {len(requests)} orders again; dead-lettered {len(dead_lettered)}")
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[video_partitions.build_add_request([r.partition_key for r in requests])],
    )
