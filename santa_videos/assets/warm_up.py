"""The season's warm-up: every shared sentence of a language made once, before the orders that share it arrive."""

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from santa_videos.media.clip_library import ensure_portrait
from santa_videos.orders.lipsync_ledger import LipsyncLedger
from santa_videos.orders.model import LANGUAGES
from santa_videos.providers.pools import ELEVENLABS_POOL
from santa_videos.resources.audio_cache import AudioCacheResource, sentence_audio_key
from santa_videos.resources.clip_chain import ClipChain
from santa_videos.media.lipsync_segments import Sentence, fits_shared
from santa_videos.resources.lipsync_warm_up import (
    SpokenSentence, WarmLipsync, is_made, portrait_sha256, shared_clip_name, warm_shared_lipsync,
)
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.resources.sentence_speech import Cache, make_shared
from santa_videos.resources.speech_chain import SpeechChain
from santa_videos.script.shared_catalog import shared_sentences as catalog_sentences

languages = dg.StaticPartitionsDefinition(list(LANGUAGES))


@dataclass(frozen=True)
class WarmUpBill:
    """What warming one language would make, and bill, now."""

    provider: str  # the chain's first usable provider: the one orders would be voiced by
    voice: str
    sentences: int
    missing: list[str]
    characters: int  # billed by the provider (0 for a free one)


def first_usable(voice: SpeechChain) -> str | None:
    return next((name for name in voice.providers if not voice.unusable(name)), None)


def lipsync_offered(clips: ClipChain) -> bool:
    return "lipsync" in clips.strategies and not clips.higgsfield.missing_configuration()


def warm_up_bill(voice: SpeechChain, cache: Cache, language: str) -> WarmUpBill:
    name = first_usable(voice)
    if name is None:
        raise dg.Failure("no speech provider is configured", allow_retries=False)
    texts = catalog_sentences(language)
    missing = [text for text in texts if not cache.contains(sentence_audio_key(voice, name, language, text))]
    model = voice.elevenlabs.model_id
    # Flash and Turbo models bill one credit per two characters.
    per_character = 0.0 if name != "elevenlabs" else 0.5 if ("flash" in model or "turbo" in model) else 1.0
    return WarmUpBill(provider=voice.provider_name(name), voice=voice.voice(name, language), sentences=len(texts),
                      missing=missing, characters=round(sum(len(text) for text in missing) * per_character))


@dataclass(frozen=True)
class LipsyncBill:
    generations: int
    seconds: int


def lipsync_bill(clips: ClipChain, media: MediaStore, voice: SpeechChain, cache: Cache, language: str) -> LipsyncBill:
    """The shared clips still to make. A sentence not yet spoken is reckoned at 14 characters a second."""
    name, portrait = first_usable(voice), portrait_sha256(ensure_portrait(media.scene_dir()))
    generations = seconds = 0
    with tempfile.TemporaryDirectory(prefix="santa-warm-up-") as folder:
        for text in catalog_sentences(language):
            key = sentence_audio_key(voice, name, language, text)
            timings = cache.get(key, Path(folder) / "sentence.wav", None)
            spoken = float(timings["duration"]) if timings else len(text) / 14
            if not fits_shared(Sentence(0.0, spoken, True, key)):
                continue
            clip, duration = shared_clip_name(clips.higgsfield, portrait, key, spoken)
            if timings and is_made(media, clip):
                continue
            generations, seconds = generations + 1, seconds + duration
    return LipsyncBill(generations, seconds)


@dg.asset(partitions_def=languages, group_name="season", kinds={"elevenlabs", "espeak", "higgsfield"},
          pool=ELEVENLABS_POOL)
def shared_sentences(
    context: dg.AssetExecutionContext, voice: SpeechChain, audio_cache: AudioCacheResource, clips: ClipChain,
    media: MediaStore, orders: OrdersResource,
) -> dg.MaterializeResult:
    """Every sentence of the language's templates and catalog that no order owns, spoken once in Santa's voice
    and kept in the audio cache for every order, and, where lip-sync is offered, lip-synced once and kept in the
    media store: materialize it before the season (or after a change of voice or settings) so orders pay only for
    their own sentences. Only what is missing is made."""
    language, cache = context.partition_key, audio_cache.cache()
    bill = warm_up_bill(voice, cache, language)
    name = first_usable(voice)
    started, requests, lipsync, calls = time.monotonic(), {}, WarmLipsync(), {}
    with tempfile.TemporaryDirectory(prefix="santa-warm-up-") as folder:
        work = Path(folder)
        keys = [sentence_audio_key(voice, name, language, text) for text in bill.missing]
        paths = [work / f"sentence-{index:03d}.wav" for index in range(len(bill.missing))]
        made, billed = make_shared(voice, cache, name, language, bill.missing, keys, paths, work, requests,
                                   context.log.info)
        if lipsync_offered(clips):
            spoken = _spoken(voice, cache, name, language, work / "spoken")
            ledger = LipsyncLedger(orders.table().engine, f"warm-up/{context.run.run_id}")
            lipsync = warm_shared_lipsync(clips.higgsfield, media, ledger, ensure_portrait(media.scene_dir()),
                                          spoken, work / "lipsync", calls, context.log.info)
    return dg.MaterializeResult(metadata={
        "language": language,
        "provider": bill.provider,
        "voice": bill.voice,
        "sentences": bill.sentences,
        "already_cached": bill.sentences - len(bill.missing),
        "made": sum(1 for sentence in made if not sentence.found),
        "characters_billed": billed,
        "provider_requests": dg.MetadataValue.json({**requests, **{f"higgsfield_{k}": v for k, v in calls.items()}}),
        "lipsync_generations": lipsync.generations,
        "lipsync_seconds_billed": lipsync.seconds_billed,
        "lipsync_already_made": lipsync.already_made,
        "seconds_of_speech": round(sum(sentence.voiced.duration for sentence in made), 1),
        "warm_up_s": round(time.monotonic() - started, 3),
    })


def _spoken(voice: SpeechChain, cache: Cache, name: str, language: str, folder: Path) -> list[SpokenSentence]:
    """Every shared sentence's cached audio, as the orders that say it get it."""
    folder.mkdir(parents=True)
    spoken = []
    for number, text in enumerate(catalog_sentences(language)):
        key, path = sentence_audio_key(voice, name, language, text), folder / f"{number:03d}.wav"
        timings = cache.get(key, path, None)
        if timings is not None:
            spoken.append(SpokenSentence(key, path, float(timings["duration"])))
    return spoken
