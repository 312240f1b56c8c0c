import time

import dagster as dg

from santa_videos.assets.audio import audio
from santa_videos.assets.clip import clip
from santa_videos.assets.steps import begin_step, require_file
from santa_videos.media.compose import compose_video, write_caption_files, write_thumbnail
from santa_videos.media.ffmpeg_run import MediaError
from santa_videos.media.files import read_json
from santa_videos.media.spec import probe_playable, spec_problems
from santa_videos.media.speech import Cue
from santa_videos.partitions import video_partitions
from santa_videos.resources.encoder import VideoEncoder
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource

SPEC_CHECK = "meets_delivery_spec"


@dg.asset(
    partitions_def=video_partitions,
    group_name="videos",
    kinds={"ffmpeg"},
    deps=[clip, audio],
    check_specs=[
        dg.AssetCheckSpec(
            SPEC_CHECK,
            asset="video",
            blocking=True,
            description="Duration within 0.5 s of the audio, H.264 High@4.0 yuv420p 1280x720, AAC 48 kHz, "
            "moov before mdat (fast start). Blocking: a video that fails it is never delivered.",
        )
    ],
)
def video(
    context: dg.AssetExecutionContext, orders: OrdersResource, media: MediaStore, encoder: VideoEncoder
) -> dg.MaterializeResult:
    """The finished MP4: the clip under Santa's voice, loudness-normalized, with the child's name and captions
    burned in, and a JPEG thumbnail."""
    order = begin_step(context, orders)
    order_id = order.order_id
    timing = read_json(require_file(media.file(order_id, "cues.json"), "audio"))
    cues = [Cue(**cue) for cue in timing["cues"]]
    scratch = media.scratch_dir(order_id, "video")
    settings = encoder.settings()
    started = time.monotonic()
    try:
        title_file, cue_files = write_caption_files(order.child_name, cues, scratch)
        out = compose_video(
            require_file(media.file(order_id, "clip.mp4"), "clip"),
            require_file(media.file(order_id, "audio.wav"), "audio"),
            timing["duration"], title_file, cues, cue_files, media.file(order_id, "video.mp4"), settings,
        )
    finally:
        media.release_scratch(order_id, "video")
    encode_seconds = time.monotonic() - started
    try:
        probed = probe_playable(out)
    except MediaError as exc:
        out.unlink(missing_ok=True)
        raise dg.Failure(f"the encoded video is not playable: {exc}") from exc
    thumbnail = write_thumbnail(out, timing["duration"], media.file(order_id, "thumbnail.jpg"), settings.timeout_seconds)
    problems = spec_problems(out, probed, timing["duration"])
    duration = float(probed["format"]["duration"])
    return dg.MaterializeResult(
        metadata={
            "duration_s": round(duration, 3),
            "size_bytes": out.stat().st_size,
            "encode_s": round(encode_seconds, 3),
            "x264_preset": settings.preset,
            "captions": len(cues),
            "path": dg.MetadataValue.path(str(out)),
            "thumbnail": dg.MetadataValue.path(str(thumbnail)),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=SPEC_CHECK,
                passed=not problems,
                severity=dg.AssetCheckSeverity.ERROR,
                description="; ".join(problems) or "meets the delivery spec",
                metadata={"duration_s": round(duration, 3), "audio_duration_s": timing["duration"]},
            )
        ],
    )
