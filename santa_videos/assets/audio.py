import time

import dagster as dg

from santa_videos.assets.script import script
from santa_videos.assets.steps import STEP_RETRY_POLICY, begin_step, require_file, step_folder
from santa_videos.media.files import read_json, write_json
from santa_videos.media.speech import SAMPLE_RATE
from santa_videos.media.timings import words_json
from santa_videos.partitions import video_partitions
from santa_videos.providers.pools import ELEVENLABS_POOL
from santa_videos.resources.audio_cache import AudioCacheResource
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.resources.sentence_speech import speak_script
from santa_videos.resources.speech_chain import SpeechChain
from santa_videos.script.lines import script_from_json
from santa_videos.script.sentences import plan_from_json


@dg.asset(
    partitions_def=video_partitions, group_name="videos", kinds={"elevenlabs", "espeak"}, deps=[script],
    pool=ELEVENLABS_POOL, retry_policy=STEP_RETRY_POLICY,
)
def audio(
    context: dg.AssetExecutionContext, orders: OrdersResource, media: MediaStore, voice: SpeechChain,
    audio_cache: AudioCacheResource,
) -> dg.MaterializeResult:
    """Santa's voice speaking the script, 48 kHz WAV, with the time each caption, word and sentence is spoken. The
    speech is assembled sentence by sentence: a sentence already made for the same words, voice and settings
    (for any order, when it is shared) comes from the audio cache; only the rest is paid for. The first voice
    provider of the chain that can serve does; the metadata says which, and why earlier ones did not."""
    order = begin_step(context, orders)
    with step_folder(context, media, "audio") as work:
        lines = script_from_json(read_json(require_file(work, "script.json", "script")))
        plan = plan_from_json(read_json(require_file(work, "plan.json", "script")))
        started = time.monotonic()
        spoken = speak_script(
            voice, audio_cache.cache(), lines, plan, order.language, work.dir / "audio.wav", work.dir / "speech",
            order.order_id, context.log.info,
        )
        speech = spoken.speech
        timing = {"duration": speech.duration, "cues": speech.cues_json(), "words": words_json(spoken.words),
                  "sentences": spoken.sentences}
        write_json(work.dir / "cues.json", timing)
        # The timings go last: a step that finds them also finds the audio they time.
        path = work.publish("audio.wav")
        work.publish("cues.json")
    orders.table().add_costs(order.order_id, characters_billed=spoken.characters_billed)
    characters = sum(len(sentence.text) for sentence in plan)
    return dg.MaterializeResult(
        metadata={
            "provider": spoken.provider,
            "voice": spoken.voice,
            "skipped": "; ".join(spoken.skipped) or "none",
            "fallback_s": spoken.fallback_seconds,
            "provider_requests": dg.MetadataValue.json(spoken.requests),
            "characters_billed": spoken.characters_billed,
            "cache": "hit" if spoken.sentences_cached == len(plan) else "miss",
            "sentences": len(plan),
            "sentences_cached": spoken.sentences_cached,
            "sentences_shared": sum(1 for sentence in plan if sentence.shared),
            "characters_saved": spoken.characters_saved,
            "duration_s": speech.duration,
            "characters": characters,
            "sample_rate": SAMPLE_RATE,
            "synthesis_s": round(time.monotonic() - started, 3),
            "path": dg.MetadataValue.path(path),
        }
    )
