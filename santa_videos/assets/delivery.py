import time

import dagster as dg

from santa_videos.assets.steps import begin_step, require_file
from santa_videos.assets.video import video
from santa_videos.media.files import publish_copy
from santa_videos.partitions import video_partitions
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.webhook import DeliveryWebhook

SHOP_CHECK = "shop_notified"


@dg.asset(
    partitions_def=video_partitions,
    group_name="videos",
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
    """The video and its thumbnail published to the deliveries folder (whole files only), the order marked
    delivered, and the shop notified by its signed webhook when one is configured."""
    order = begin_step(context, orders)
    order_id = order.order_id
    started = time.monotonic()
    thumbnail = publish_copy(
        require_file(media.file(order_id, "thumbnail.jpg"), "video"), media.delivered_thumbnail(order_id)
    )
    # The video goes last: a reader who finds the MP4 also finds its thumbnail.
    published = publish_copy(require_file(media.file(order_id, "video.mp4"), "video"), media.delivered_video(order_id))
    orders.table().mark_delivered(order_id, published)
    notice = "not configured"
    if webhook.enabled:
        outcome = webhook.notify(order_id, orders.table().get(order_id).delivered_at, context.log)
        orders.table().record_webhook(order_id, outcome.summary)
        notice = outcome.summary
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published)),
            "thumbnail": dg.MetadataValue.path(str(thumbnail)),
            "size_bytes": published.stat().st_size,
            "webhook": notice,
            "publish_s": round(time.monotonic() - started, 3),
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
