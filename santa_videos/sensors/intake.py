import dagster as dg

from santa_videos.jobs import video_job
from santa_videos.partitions import video_partitions
from santa_videos.resources.orders import OrdersResource
from santa_videos.sensors.run_requests import video_run_requests
from santa_videos.settings import load_settings

_settings = load_settings()


@dg.sensor(
    job=video_job,
    minimum_interval_seconds=_settings.intake_interval_seconds,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="The intake queue: adds a `videos` partition and requests one run per queued order.",
)
def intake_sensor(context: dg.SensorEvaluationContext, orders: OrdersResource):
    """Reads the orders after its cursor (a bounded batch), never writes: `run_key` = order id makes a second
    sight of the same order, after a cursor reset or a re-delivery, launch nothing."""
    after = int(context.cursor or 0)
    waiting = orders.table().waiting_after(after, load_settings().intake_batch_size)
    if not waiting:
        return dg.SkipReason(f"no queued orders after #{after}")
    seqs = {order_id: seq for seq, order_id in waiting}  # ids in order of first sight
    order_ids = list(seqs)
    return dg.SensorResult(
        run_requests=video_run_requests(orders.table(), [(seqs[oid], oid, oid) for oid in order_ids]),
        dynamic_partitions_requests=[video_partitions.build_add_request(order_ids)],
        cursor=str(waiting[-1][0]),
    )
