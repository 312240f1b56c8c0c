"""The order's status follows its runs' ends: `failed`, with the failing step and reason, when an order's last run
attempt failed or was terminated; after every ended run, the scratch files its interrupted attempts left. The steps
write the rest themselves: `rendering` when a step begins, `delivered` in the delivery step.

One sensor reads the run status changes (RUN_SUCCESS, RUN_FAILURE, RUN_CANCELED) after its cursor, a storage id of
the event log, in the order they happened. It may read an event late: it acts only while the run is still the
order's latest, and the orders table refuses a write the order has moved past (orders/status_rules.py), however late
it comes; seen twice, the same event writes the same thing. Events it never saw (a cursor reset) are the
reconciler's to find.

While no order is queued or rendering, no run of an order can be under way, and a tick ends after one query of the
orders table: like the intake sensor, it opens the table and the media store from the settings, and touches the
Dagster instance (one per process, sensors/instance.py) only when there is something to read.
"""

import dagster as dg

from santa_videos import faults
from santa_videos.orders.status_rules import RunRef
from santa_videos.orders.table import OrderNotFound, OrderTable
from santa_videos.order_runs import (
    describe_failure, failed_step_and_reason, is_latest_attempt, live_runs, order_of, will_retry,
)
from santa_videos.providers.pools import keep_pool_limits
from santa_videos.resources.media_store import MediaStore, media_store
from santa_videos.resources.orders import table_at
from santa_videos.sensors.instance import sensor_instance
from santa_videos.settings import load_settings

# Dead letters are marked within this long; not every daemon pass, each tick has its cost.
STATUS_SENSOR_INTERVAL_SECONDS = 20
WATCHED_EVENTS = (dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE, dg.DagsterEventType.RUN_CANCELED)
EVENTS_PER_TICK = 100


def tidy(instance: dg.DagsterInstance, media: MediaStore, order_id: str) -> None:
    # Scratch folders and half-written files of ended attempts; never while another attempt is working.
    if not live_runs(instance, order_id):
        media.remove_leftovers(order_id)


def mark_dead_letter(instance: dg.DagsterInstance, table: OrderTable, media: MediaStore, run_id: str) -> str | None:
    """Mark the order of a failed or canceled run `failed` unless the run will be retried or is no longer its
    latest attempt; None when it did, else why not."""
    record = instance.get_run_record_by_id(run_id)
    if record is None:
        return f"run {run_id} was deleted"
    run = record.dagster_run
    order_id = order_of(run)
    if not order_id:
        return f"run {run_id} renders no order"
    if will_retry(run, instance):
        return f"run {run_id} will be retried: not a dead letter yet"
    if not is_latest_attempt(instance, run):
        return f"run {run_id} is no longer the latest attempt of {order_id}"
    reason = describe_failure(*failed_step_and_reason(instance, run))
    faults.inject("status:failed")
    try:
        marked = table.mark_failed(order_id, reason, RunRef.of(record))
    except OrderNotFound:
        return f"order {order_id} is no longer in the orders table"
    tidy(instance, media, order_id)
    return None if marked else f"order {order_id} has moved past run {run_id}"


def _latest_event_id(instance: dg.DagsterInstance) -> int:
    latest = [instance.fetch_run_status_changes(event_type, limit=1).records for event_type in WATCHED_EVENTS]
    return max((records[0].storage_id for records in latest if records), default=0)


def run_ends_after(instance: dg.DagsterInstance, after: int) -> tuple[list[dg.EventLogRecord], int]:
    """The run ends recorded after storage id `after`, oldest first, at most EVENTS_PER_TICK of each kind, and the
    cursor to read on from (no event of any kind is skipped when one kind has more than a tick's worth)."""
    found, last_of_full_kinds = [], []
    for event_type in WATCHED_EVENTS:
        records = instance.fetch_run_status_changes(
            dg.RunStatusChangeRecordsFilter(event_type=event_type, after_storage_id=after),
            limit=EVENTS_PER_TICK, ascending=True,
        ).records
        found.extend(records)
        if len(records) == EVENTS_PER_TICK:
            last_of_full_kinds.append(records[-1].storage_id)
    read_up_to = min(last_of_full_kinds, default=max((record.storage_id for record in found), default=after))
    return sorted((r for r in found if r.storage_id <= read_up_to), key=lambda r: r.storage_id), read_up_to


@dg.sensor(
    minimum_interval_seconds=STATUS_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks an order failed, with the failing step and reason, when its last run attempt failed or was "
    "terminated; tidies the scratch files of ended runs.",
)
def order_status_sensor(context: dg.SensorEvaluationContext):
    """Also keeps the paid providers' pool limits in the instance, for runs started from the UI (providers/pools.py)."""
    table = table_at(load_settings().orders_db_url)
    if context.cursor is not None and not table.has_orders_in_flight():
        return dg.SkipReason("no order is queued or rendering")
    keep_pool_limits(context)
    media, instance = media_store(), sensor_instance(context)
    if context.cursor is None:
        # First evaluation: the runs that ended before the sensor existed are the reconciler's.
        context.update_cursor(str(_latest_event_id(instance)))
        return dg.SkipReason("watching run ends from now on")
    events, cursor = run_ends_after(instance, int(context.cursor))
    dead_letters = 0
    for record in events:
        run_id = record.event_log_entry.run_id
        if record.event_log_entry.dagster_event_type == dg.DagsterEventType.RUN_SUCCESS:
            run = instance.get_run_by_id(run_id)
            if run is not None and order_of(run):
                tidy(instance, media, order_of(run))
            continue
        why_not = mark_dead_letter(instance, table, media, run_id)
        if why_not:
            context.log.info(why_not)
        else:
            dead_letters += 1
    context.update_cursor(str(cursor))
    return dg.SkipReason(f"{len(events)} run ends read, {dead_letters} orders marked failed")
