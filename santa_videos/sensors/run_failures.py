import dagster as dg

from santa_videos.jobs import video_job
from santa_videos.orders.table import OrderNotFound
from santa_videos.resources.orders import OrdersResource

WILL_RETRY_TAG = "dagster/will_retry"


def _root_cause(error) -> str:
    """Dagster wraps a step's exception; the innermost cause is the one that says what went wrong."""
    while error.cause is not None:
        error = error.cause
    kind, _, text = error.message.strip().partition(": ")
    return f"{error.cls_name}: {text}" if text and kind.endswith(error.cls_name or "") else error.message.strip()


def failure_reason(context: dg.RunFailureSensorContext) -> str:
    failures = context.get_step_failure_events()
    if not failures:
        return context.failure_event.message or "the run failed before any step ran"
    event = failures[0]
    error = event.step_failure_data.error if event.step_failure_data else None
    return f"step {event.step_key}: {_root_cause(error) if error else event.message or 'unknown error'}"


@dg.run_failure_sensor(
    monitored_jobs=[video_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks an order failed, with the failing step and reason, when its last run attempt failed.",
)
def order_failure_sensor(context: dg.RunFailureSensorContext, orders: OrdersResource):
    """Fires once per failed run; an attempt that Dagster will retry is not a dead letter yet, so it is skipped."""
    run = context.dagster_run
    if run.tags.get(WILL_RETRY_TAG) == "true":
        return dg.SkipReason(f"run {run.run_id} will be retried")
    order_id = run.tags.get("dagster/partition")
    if not order_id:
        return dg.SkipReason(f"run {run.run_id} has no order partition")
    try:
        orders.table().mark_failed(order_id, failure_reason(context), run_id=run.run_id)
    except OrderNotFound:
        return dg.SkipReason(f"order {order_id} is no longer in the orders table")
