"""The intake queue: waiting orders become runs, earliest due first, while Dagster's own queue is short.

The backlog stays in the orders table. Dagster's run queue holds at most SANTA_INTAKE_QUEUED_RUNS_PER_SLOT runs per
slot (SANTA_MAX_CONCURRENT_RUNS): its queue daemon reads every queued run on every pass, so ten thousand waiting
orders must not become ten thousand queued runs. A tick hands over the head of the intake order (due time, then
arrival) that has no run yet, adds those orders' `videos` partitions and requests one run each with `run_key` =
order id, so a second sight of the same order (a duplicate tick, a restart) launches nothing. The sensor keeps no
cursor: what it has handed over is what has a run in Dagster.

With no order waiting, an evaluation watches the orders table for a few seconds (SANTA_INTAKE_LISTEN_SECONDS) and
returns as soon as one arrives (a full Dagster queue is not watched: its runs take a while, the next tick will do): the daemon evaluates sensors at most every 5 s, and an order should not wait for
that. The daemon runs its sensors in threads (dagster.yaml), so a listening intake holds up no other sensor.

The sensor opens the orders table from the settings rather than through a resource: a sensor's resources, like its
`context.instance`, build a new Dagster instance for every evaluation (checking the storage's schema version), which
was most of what an idle pipeline cost. An evaluation that finds no waiting order never touches the instance.
"""

import time
from datetime import datetime

import dagster as dg

from santa_videos.jobs import video_job
from santa_videos.order_runs import orders_with_runs
from santa_videos.orders.table import OrderTable
from santa_videos.partitions import video_partitions
from santa_videos.providers.pools import keep_pool_limits
from santa_videos.resources.orders import table_at
from santa_videos.sensors.instance import sensor_instance
from santa_videos.sensors.run_requests import video_run_requests
from santa_videos.settings import Settings, load_settings

_settings = load_settings()
WAITING_IN_DAGSTER = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED]
POLL_SECONDS = 0.25


def queue_capacity(settings: Settings) -> int:
    """How many runs Dagster's queue may hold; a paused queue (no slots) still holds one slot's worth."""
    return settings.intake_queued_runs_per_slot * max(settings.max_concurrent_runs, 1)


def next_orders(instance: dg.DagsterInstance, table: OrderTable, room: int, capacity: int) -> list[tuple[str, datetime]]:
    """The first `room` waiting orders in the intake order that have no run yet. The orders at the head that do
    have one (up to `capacity` queued in Dagster, or left queued by a run that ended early: the reconciler's) are
    skipped."""
    chosen: list[tuple[str, datetime]] = []
    offset, page = 0, room + capacity + 8
    while len(chosen) < room:
        waiting = table.waiting_in_intake_order(page, offset)
        if not waiting:
            break
        with_runs = orders_with_runs(instance, [order_id for order_id, _due in waiting])
        chosen.extend(entry for entry in waiting if entry[0] not in with_runs)
        offset += page
    return chosen[:room]


def an_order_waits(table: OrderTable, listen_seconds: float) -> bool:
    """Whether an order waits, watching the table up to `listen_seconds` for one to arrive."""
    listen_until = time.monotonic() + listen_seconds
    while not table.waiting_in_intake_order(1):
        if time.monotonic() >= listen_until:
            return False
        time.sleep(POLL_SECONDS)
    return True


def hand_over(context: dg.SensorEvaluationContext, table: OrderTable, settings: Settings):
    """The waiting orders to hand to Dagster now, or the reason there are none."""
    capacity, instance = queue_capacity(settings), sensor_instance(context)
    waiting = instance.get_runs_count(dg.RunsFilter(statuses=WAITING_IN_DAGSTER))
    room = min(capacity - waiting, settings.intake_batch_size)
    if room <= 0:
        return f"Dagster's queue is full ({capacity} runs); the rest wait in the orders table"
    return next_orders(instance, table, room, capacity) or "every waiting order already has a run"


@dg.sensor(
    job=video_job,
    minimum_interval_seconds=_settings.intake_interval_seconds,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="The intake queue: hands waiting orders to Dagster earliest due first, a few runs per slot at a "
    "time, each with its `videos` partition.",
)
def intake_sensor(context: dg.SensorEvaluationContext):
    """Reads the orders table, never writes it."""
    settings = load_settings()
    table = table_at(settings.orders_db_url)
    if not an_order_waits(table, settings.intake_listen_seconds):
        return dg.SkipReason("no order is waiting")
    outcome = hand_over(context, table, settings)
    if isinstance(outcome, str):
        return dg.SkipReason(outcome)
    keep_pool_limits(context)  # in the instance before any run is requested
    order_ids = [order_id for order_id, _due in outcome]
    return dg.SensorResult(
        run_requests=video_run_requests([(order_id, order_id, due) for order_id, due in outcome]),
        dynamic_partitions_requests=[video_partitions.build_add_request(order_ids)],
    )
