import time

import dagster as dg

from santa_videos.assets.audio import audio
from santa_videos.assets.steps import STEP_RETRY_POLICY, begin_step, require_file, step_folder
from santa_videos.media.files import read_json
from santa_videos.partitions import video_partitions
from santa_videos.providers.pools import HIGGSFIELD_POOL
from santa_videos.resources.clip_chain import ClipChain, LipsyncInputs
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.settings import host_name


@dg.asset(
    partitions_def=video_partitions, group_name="videos", kinds={"ffmpeg", "higgsfield"}, deps=[audio],
    pool=HIGGSFIELD_POOL, retry_policy=STEP_RETRY_POLICY,
)
def clip(
    context: dg.AssetExecutionContext, orders: OrdersResource, media: MediaStore, clips: ClipChain
) -> dg.MaterializeResult:
    """Santa on screen for as long as he speaks, in the strategy the order asked for when it can be served,
    else the next cheaper one: lip-sync (Higgsfield, sentence by sentence, shared sentences made once for every
    order), the template clip library, or the animated still."""
    order = begin_step(context, orders)
    with step_folder(context, media, "clip") as work:
        timing = read_json(require_file(work, "cues.json", "audio"))
        started = time.monotonic()
        result = clips.render(
            order.order_id, order.strategy, timing["duration"], require_file(work, "audio.wav", "audio"),
            work.dir / "clip.mp4", media.scene_dir(), work.dir / "render", orders.table(), context.log.info,
            LipsyncInputs(timing, media, claimer=f"{host_name()}/{context.run.run_id}"),
        )
        path = work.publish("clip.mp4", result.path)
    orders.table().add_costs(order.order_id, lipsync_generations=result.lipsync_generations,
                             lipsync_seconds_billed=result.lipsync_seconds_billed)
    return dg.MaterializeResult(
        metadata={
            "provider": result.provider,
            "strategy_requested": order.strategy,
            "strategy": result.strategy,
            "skipped": "; ".join(result.skipped) or "none",
            "fallback_s": result.fallback_seconds,
            "provider_requests": dg.MetadataValue.json(result.requests),
            "provider_request_id": result.request_id or "none",
            "resumed_request": result.resumed,
            "lipsync_segments": result.lipsync_segments,
            "lipsync_generations": result.lipsync_generations,
            "lipsync_seconds_billed": result.lipsync_seconds_billed,
            "lipsync_segments_reused": result.lipsync_segments_reused,
            "lipsync_coverage": result.lipsync_coverage,
            "duration_s": timing["duration"],
            "render_s": round(time.monotonic() - started, 3),
            "path": dg.MetadataValue.path(path),
        }
    )
