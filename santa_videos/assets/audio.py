import time

import dagster as dg

from santa_videos.assets.script import script
from santa_videos.assets.steps import begin_step, require_file
from santa_videos.media.files import read_json, write_json
from santa_videos.media.script import script_from_json
from santa_videos.media.speech import SAMPLE_RATE
from santa_videos.partitions import video_partitions
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.resources.voice import EspeakVoice


@dg.asset(partitions_def=video_partitions, group_name="videos", kinds={"espeak"}, deps=[script])
def audio(
    context: dg.AssetExecutionContext, orders: OrdersResource, media: MediaStore, voice: EspeakVoice
) -> dg.MaterializeResult:
    """Santa's voice speaking the script, 48 kHz WAV, with the time each caption is spoken."""
    order = begin_step(context, orders)
    lines = script_from_json(read_json(require_file(media.file(order.order_id, "script.json"), "script")))
    started = time.monotonic()
    speech = voice.speak(
        [(line.spoken, line.caption) for line in lines],
        order.language,
        media.file(order.order_id, "audio.wav"),
        media.scratch_dir(order.order_id, "audio"),
    )
    write_json(media.file(order.order_id, "cues.json"), {"duration": speech.duration, "cues": speech.cues_json()})
    return dg.MaterializeResult(
        metadata={
            "provider": voice.provider,
            "voice": voice.voice_for(order.language),
            "duration_s": speech.duration,
            "characters": sum(len(line.spoken) for line in lines),
            "sample_rate": SAMPLE_RATE,
            "synthesis_s": round(time.monotonic() - started, 3),
            "path": dg.MetadataValue.path(str(speech.path)),
        }
    )
