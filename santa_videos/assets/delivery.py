import time

import dagster as dg

from santa_videos.assets.steps import STEP_RETRY_POLICY, begin_step
from santa_videos.assets.video import video
from santa_videos.partitions import video_partitions
from santa_videos.resources.media_store import MediaMissing, MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.webhook import DeliveryWebhook

SHOP_CHECK = "shop_notified"


@dg.asset(
    partitions_def=video_partitions,
    group_name="videos",
    retry_policy=STEP_RETRY_POLICY,
    kinds={"python"},
    deps=[video],
    check_specs=[
        dg.AssetCheckSpec(
            SHOP_CHECK,
            asset="delivery",
            description="The shop's delivery webhook (SANTA_DELIVERY_WEBHOOK_URL) accepted the signed notice, or "
            "none is configured. A warning, not a block: the video stays delivered; materialize `delivery` again "
            "to resend.",
        )
    ],
)
def delivery(
    context: dg.AssetExecutionContext, orders: OrdersResource, media: MediaStore, webhook: DeliveryWebhook
) -> dg.MaterializeResult:
    """The video and its thumbnail published as deliveries in the media store (whole files only), the order marked
    delivered, and the shop notified by its signed webhook when one is configured."""
    order = begin_step(context, orders)
    order_id = order.order_id
    started = time.monotonic()
    try:
        published = media.deliver(order_id)
    except MediaMissing as missing:
        raise dg.Failure(
            f"{missing.name} is missing: materialize `video` for this partition again", allow_retries=False
        ) from None
    location = media.delivery_location(order_id)
    orders.table().mark_delivered(order_id, location)
    # The render time the estimated ready times are worked out from (orders/estimates.py).
    run_started = context.instance.get_run_record_by_id(context.run.run_id).start_time
    render_seconds = time.time() - run_started if run_started else None
    if render_seconds is not None:
        orders.table().record_render_time(order_id, render_seconds)
    notice = "not configured"
    if webhook.enabled:
        outcome = webhook.notify(order_id, orders.table().get(order_id).delivered_at, context.log)
        orders.table().record_webhook(order_id, outcome.summary)
        notice = outcome.summary
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(location),
            "thumbnail": dg.MetadataValue.path(media.delivery_location(order_id, "thumbnail")),
            "size_bytes": published.size,
            "webhook": notice,
            "publish_s": round(time.monotonic() - started, 3),
            "render_s": round(render_seconds, 1) if render_seconds is not None else "unknown",
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=SHOP_CHECK,
                passed=not notice.startswith("failed"),
                severity=dg.AssetCheckSeverity.WARN,
                description=notice,
            )
        ],
    )
