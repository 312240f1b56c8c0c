"""What every video asset does first: find its order and record that a run is working on it."""

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


def begin_step(context: dg.AssetExecutionContext, orders: OrdersResource) -> OrderRecord:
    order_id = context.partition_key
    record = context.instance.get_run_record_by_id(context.run.run_id)
    if record.dagster_run.status == dg.DagsterRunStatus.CANCELING:
        # A terminated step is retried by its RetryPolicy like any interrupted step; its next attempt stops here.
        raise dg.Failure(f"run {context.run.run_id} is being terminated", allow_retries=False)
    table = orders.table()
    try:
        order = table.get(order_id)
    except OrderNotFound:
        raise dg.Failure(f"order {order_id} is not in the orders table", allow_retries=False) from None
    if not order.child_name:
        raise dg.Failure(f"order {order_id} has had its personal data erased and cannot be rendered", allow_retries=False)
    table.mark_rendering(order_id, RunRef.of(record))
    faults.inject(f"step:{context.asset_key.to_user_string()}")
    return order


@contextmanager
def step_folder(context: dg.AssetExecutionContext, media: MediaStore, step: str) -> Iterator[StepFolder]:
    """The step's scratch folder on this machine, removed when the step ends. First go the scratch folders that
    runs killed outright left on this machine for orders no run works on any more."""
    media.tidy_scratch(lambda order_id: order_id == context.partition_key or bool(live_runs(context.instance, order_id)))
    with media.step_folder(context.partition_key, step) as work:
        yield work


def require_file(work: StepFolder, name: str, made_by: str) -> Path:
    """The order's file `name` on this machine, fetched from the media store when it is not already here."""
    try:
        return work.fetch(name)
    except MediaMissing:
        raise dg.Failure(
            f"{name} is missing: materialize `{made_by}` for this partition again", allow_retries=False
        ) from None
