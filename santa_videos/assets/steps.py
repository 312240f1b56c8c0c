"""What every video asset does first: find its order, make sure this attempt should run at all, and record that a
run is working on it."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from santa_videos import faults
from santa_videos.orders.status_rules import RunRef
from santa_videos.orders.table import OrderNotFound, OrderRecord
from santa_videos.order_runs import live_runs
from santa_videos.resources.media_store import MediaMissing, MediaStore, StepFolder
from santa_videos.resources.orders import OrdersResource
from santa_videos.settings import host_name

# On every video asset, so a run launched any way (the intake sensor, the UI) tries a step that failed transiently
# (a busy disk, a dropped database connection) again; permanent errors raise Failure(allow_retries=False).
STEP_RETRY_POLICY = dg.RetryPolicy(max_retries=2, delay=1, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)

INTERRUPTS = ("DagsterExecutionInterruptedError", "KeyboardInterrupt")
# dagster/retry_on_asset_or_op_failure: lets run retries re-run a run whose step failed (normally they do not).
RETRY_RUN_TAG = "dagster/retry_on_asset_or_op_failure"
# CANCELED as well: "terminate immediately" in the UI marks the run canceled before its worker is interrupted.
STOPPING = (dg.DagsterRunStatus.CANCELING, dg.DagsterRunStatus.CANCELED)


def begin_step(context: dg.AssetExecutionContext, orders: OrdersResource) -> OrderRecord:
    order_id = context.partition_key
    record = context.instance.get_run_record_by_id(context.run.run_id)
    stop_after_interrupt(context, record.dagster_run)
    table = orders.table()
    try:
        order = table.get(order_id)
    except OrderNotFound:
        raise dg.Failure(f"order {order_id} is not in the orders table", allow_retries=False) from None
    if not order.child_name:
        raise dg.Failure(f"order {order_id} has had its personal data erased and cannot be rendered", allow_retries=False)
    faults.inject("status:rendering")
    table.mark_rendering(order_id, RunRef.of(record), host=host_name())
    faults.inject(f"step:{context.asset_key.to_user_string()}")
    return order


@contextmanager
def step_folder(context: dg.AssetExecutionContext, media: MediaStore, step: str) -> Iterator[StepFolder]:
    """The step's scratch folder on this machine, removed when the step ends. First go the scratch folders that
    runs killed outright left on this machine for orders no run works on any more."""
    media.tidy_scratch(lambda order_id: order_id == context.partition_key or bool(live_runs(context.instance, order_id)))
    with media.step_folder(context.partition_key, step) as work:
        yield work


def stop_after_interrupt(context: dg.AssetExecutionContext, run: dg.DagsterRun) -> None:
    """Dagster hands an interrupted step to its RetryPolicy like a failed one: the run worker was asked to stop
    (Terminate in the UI, or a SIGTERM/SIGINT), yet the step would start again and could pay a provider again. So a
    retry looks at why the attempt before it ended, in the run's event log, and does not run after an interrupt.
    Terminated runs end canceled; a run interrupted without a termination request fails and is left to run
    retries, as a crashed run is."""
    if run.status in STOPPING:
        raise dg.Failure(f"run {run.run_id} is being terminated", allow_retries=False)
    if context.retry_number == 0 or not _last_attempt_interrupted(context, run.run_id):
        return
    context.instance.add_run_tags(run.run_id, {RETRY_RUN_TAG: "true"})
    raise dg.Failure(
        f"step {context.asset_key.to_user_string()} was interrupted (its run worker was asked to stop); it is not "
        "tried again in this run, run retries re-run it", allow_retries=False,
    )


def _last_attempt_interrupted(context: dg.AssetExecutionContext, run_id: str) -> bool:
    step_key = context.get_step_execution_context().step.key
    records = context.instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_UP_FOR_RETRY).records
    retries = [r.event_log_entry.dagster_event for r in records if r.event_log_entry.step_key == step_key]
    if not retries:
        return False
    error = retries[-1].event_specific_data.error
    while error is not None:
        if error.cls_name in INTERRUPTS:
            return True
        error = error.cause
    return False


def require_file(work: StepFolder, name: str, made_by: str) -> Path:
    """The order's file `name` on this machine, fetched from the media store when it is not already here."""
    try:
        return work.fetch(name)
    except MediaMissing:
        raise dg.Failure(
            f"{name} is missing: materialize `{made_by}` for this partition again", allow_retries=False
        ) from None
