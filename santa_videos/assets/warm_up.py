"""The season's warm-up: every shared sentence of a language made once, before the orders that share it arrive."""

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from santa_videos.orders.model import LANGUAGES
from santa_videos.providers.pools import ELEVENLABS_POOL
from santa_videos.resources.audio_cache import AudioCacheResource, sentence_audio_key
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


@dg.asset(partitions_def=languages, group_name="season", kinds={"elevenlabs", "espeak"}, pool=ELEVENLABS_POOL)
def shared_sentences(
    context: dg.AssetExecutionContext, voice: SpeechChain, audio_cache: AudioCacheResource,
) -> dg.MaterializeResult:
    """Every sentence of the language's templates and catalog that no order owns, spoken once in Santa's voice
    and kept in the audio cache for every order: materialize it before the season (or after a change of voice or
    settings) so orders pay only for their own sentences. Only sentences missing from the cache are made."""
    language, cache = context.partition_key, audio_cache.cache()
    bill = warm_up_bill(voice, cache, language)
    name = first_usable(voice)
    started, requests = time.monotonic(), {}
    with tempfile.TemporaryDirectory(prefix="santa-warm-up-") as folder:
        work = Path(folder)
        keys = [sentence_audio_key(voice, name, language, text) for text in bill.missing]
        paths = [work / f"sentence-{index:03d}.wav" for index in range(len(bill.missing))]
        made, billed = make_shared(voice, cache, name, language, bill.missing, keys, paths, work, requests,
                                   context.log.info)
    return dg.MaterializeResult(metadata={
        "language": language,
        "provider": bill.provider,
        "voice": bill.voice,
        "sentences": bill.sentences,
        "already_cached": bill.sentences - len(bill.missing),
        "made": sum(1 for sentence in made if not sentence.found),
        "characters_billed": billed,
        "provider_requests": dg.MetadataValue.json(requests),
        "seconds_of_speech": round(sum(sentence.voiced.duration for sentence in made), 1),
        "warm_up_s": round(time.monotonic() - started, 3),
    })
