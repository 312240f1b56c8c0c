import dagster as dg

from santa_videos.jobs import video_job
from santa_videos.partitions import video_partitions
from santa_videos.providers.pools import apply_pool_limits, pool_limits
from santa_videos.providers.settings import load_provider_settings
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
    """Reads the orders after its cursor (a bounded batch), never writes them: `run_key` = order id makes a second
    sight of the same order, after a cursor reset or a re-delivery, launch nothing. Each tick first puts the paid
    providers' pool limits from the environment into the instance (providers/pools.py)."""
    changed = apply_pool_limits(context.instance, pool_limits(load_provider_settings()))
    if changed:
        context.log.info(f"provider pool limits set: {', '.join(changed)}")
    after = int(context.cursor or 0)
    waiting = orders.table().waiting_after(after, load_settings().intake_batch_size)
    if not waiting:
        return dg.SkipReason(f"no queued orders after #{after}")
    order_ids = list(dict.fromkeys(order_id for _seq, order_id in waiting))  # ids in order of first sight
    return dg.SensorResult(
        run_requests=video_run_requests([(order_id, order_id) for order_id in order_ids]),
        dynamic_partitions_requests=[video_partitions.build_add_request(order_ids)],
        cursor=str(waiting[-1][0]),
    )
