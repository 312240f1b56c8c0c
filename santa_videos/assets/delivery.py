import dagster as dg

from santa_videos.assets.steps import begin_step, require_file
from santa_videos.assets.video import video
from santa_videos.media.files import publish_copy
from santa_videos.partitions import video_partitions
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource


@dg.asset(partitions_def=video_partitions, group_name="videos", kinds={"python"}, deps=[video])
def delivery(context: dg.AssetExecutionContext, orders: OrdersResource, media: MediaStore) -> dg.MaterializeResult:
    """The video and its thumbnail published to the deliveries folder (whole files only), and the order marked
    delivered."""
    order = begin_step(context, orders)
    order_id = order.order_id
    thumbnail = publish_copy(
        require_file(media.file(order_id, "thumbnail.jpg"), "video"), media.delivered_thumbnail(order_id)
    )
    # The video goes last: a reader who finds the MP4 also finds its thumbnail.
    published = publish_copy(require_file(media.file(order_id, "video.mp4"), "video"), media.delivered_video(order_id))
    orders.table().mark_delivered(order_id, published)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published)),
            "thumbnail": dg.MetadataValue.path(str(thumbnail)),
            "size_bytes": published.stat().st_size,
        }
    )
