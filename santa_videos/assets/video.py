import time

import dagster as dg

from santa_videos.assets.audio import audio
from santa_videos.assets.clip import clip
from santa_videos.assets.steps import STEP_RETRY_POLICY, begin_step, require_file, step_folder
from santa_videos.media.compose import VideoParts, compose_video, write_thumbnail
from santa_videos.media.ffmpeg_run import MediaError
from santa_videos.media.files import read_json
from santa_videos.media.photo_card import PHOTO_FILE
from santa_videos.media.spec import probe_playable, spec_problems
from santa_videos.media.speech import Cue
from santa_videos.partitions import video_partitions
from santa_videos.resources.encoder import VideoEncoder
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.settings import host_name

SPEC_CHECK = "meets_delivery_spec"


@dg.asset(
    partitions_def=video_partitions,
    group_name="videos",
    retry_policy=STEP_RETRY_POLICY,
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
    """The finished MP4: the clip under Santa's voice, loudness-normalized, with his talking face on a template
    clip, the child's photo in his Nice List book when the order has one, the name and captions burned in (each
    character in a font that has it), and a JPEG thumbnail."""
    order = begin_step(context, orders)
    order_id = order.order_id
    settings = encoder.settings()
    with step_folder(context, media, "video") as work:
        timing = read_json(require_file(work, "cues.json", "audio"))
        cues = [Cue(**cue) for cue in timing["cues"]]
        clip_file, audio_file = require_file(work, "clip.mp4", "clip"), require_file(work, "audio.wav", "audio")
        photo = work.store.fetch(order_id, PHOTO_FILE, work.dir) if order.has_photo else None  # None: erased
        started = time.monotonic()
        parts = VideoParts(order_id, clip_file, audio_file, timing["duration"], cues, order.child_name,
                           order.language, photo)
        composed = compose_video(parts, work.dir / "video.mp4", work.dir / "layers", media.scene_dir(), settings)
        out = composed.path
        encode_seconds = time.monotonic() - started
        try:
            probed = probe_playable(out)
        except MediaError as exc:
            raise dg.Failure(f"the encoded video is not playable: {exc}") from exc
        thumbnail = write_thumbnail(out, timing["duration"], work.dir / "thumbnail.jpg", settings.timeout_seconds)
        size_bytes = out.stat().st_size
        problems = spec_problems(out, probed, timing["duration"])
        # The video goes last: a step that finds it also finds its thumbnail.
        thumbnail_location = work.publish("thumbnail.jpg", thumbnail)
        location = work.publish("video.mp4", out)
    duration = float(probed["format"]["duration"])
    return dg.MaterializeResult(
        metadata={
            "duration_s": round(duration, 3),
            "size_bytes": size_bytes,
            "encode_s": round(encode_seconds, 3),
            "x264_preset": settings.preset,
            "host": host_name(),
            "captions": len(cues),
            "talking_face": "laid over the clip" if composed.face_laid else "in the clip",
            "photo": "in the Nice List book" if composed.photo_shown else "none",
            "path": dg.MetadataValue.path(location),
            "thumbnail": dg.MetadataValue.path(thumbnail_location),
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
