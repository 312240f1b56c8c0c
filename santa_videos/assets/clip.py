import time

import dagster as dg

from santa_videos.assets.audio import audio
from santa_videos.assets.steps import begin_step, require_file
from santa_videos.media.files import read_json
from santa_videos.partitions import video_partitions
from santa_videos.resources.clips import LocalClipRenderer
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource


@dg.asset(partitions_def=video_partitions, group_name="videos", kinds={"ffmpeg"}, deps=[audio])
def clip(
    context: dg.AssetExecutionContext, orders: OrdersResource, media: MediaStore, clips: LocalClipRenderer
) -> dg.MaterializeResult:
    """Santa on screen for as long as he speaks, in the strategy the order asked for when it can be served."""
    order = begin_step(context, orders)
    timing = read_json(require_file(media.file(order.order_id, "cues.json"), "audio"))
    started = time.monotonic()
    result = clips.render(order.strategy, timing["duration"], media.file(order.order_id, "clip.mp4"), media.scene_dir())
    return dg.MaterializeResult(
        metadata={
            "provider": result.provider,
            "strategy_requested": order.strategy,
            "strategy": result.strategy,
            "skipped": result.skipped or "none",
            "duration_s": timing["duration"],
            "render_s": round(time.monotonic() - started, 3),
            "path": dg.MetadataValue.path(str(result.path)),
        }
    )
