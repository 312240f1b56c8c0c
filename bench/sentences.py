"""Speech made sentence by sentence, against the fake ElevenLabs on loopback: what orders are billed against their
whole scripts after the season's warm-up and on an empty cache, how often a new shared sentence is paid for when
eight processes want it at the same moment, and how evenly loud the sentences of one speech come out.

    python -m bench.sentences [--orders 50]    prints the rows; the figures go to `make bench`'s JSON as well
"""

import argparse
import json
import multiprocessing
import shutil
import tempfile
import time
import wave
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import dagster as dg

from bench.environment import environment
from bench.speech_orders import draw_orders, script_of
from bench.stats import Row, fmt, format_table
from santa_videos.assets.warm_up import shared_sentences
from santa_videos.definitions import build_resources
from santa_videos.media.audio_cache import AudioCache
from santa_videos.orders.model import LANGUAGES, Order, parse_order
from santa_videos.resources.audio_cache import sentence_audio_key
from santa_videos.resources.sentence_speech import speak_script
from santa_videos.script.lines import speech_plan
from santa_videos.script.sentences import PlannedSentence
from santa_videos.settings import load_settings
from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield
from santa_videos_tests.fakes.pipeline import provider_env
from santa_videos_tests.media_sync import loudness_spread_lu

SEED = 1225
RACERS = 8
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
# Whatever the calling shell says, these figures are of ElevenLabs in front of espeak-ng, on a cache on local disk.
LEFT_OUT = ("SANTA_ORDERS_DB_URL", "SANTA_MEDIA_URL", "AUDIO_CACHE_DIR", "AUDIO_CACHE_MAX_SIZE_MB")


@dataclass(frozen=True)
class SpokenOrder:
    order_id: str
    language: str
    sentences: int
    script_characters: int
    characters_billed: int


@dataclass(frozen=True)
class WarmUp:
    language: str
    sentences_made: int
    characters_billed: int
    seconds: float


@dataclass(frozen=True)
class Race:
    """RACERS processes assembling the speech of orders that share one sentence no cache holds."""

    sentence: str
    processes: int
    syntheses: int  # requests whose text was exactly the sentence
    requests: int
    seconds: float


@dataclass(frozen=True)
class SentenceFigures:
    warm_up: list[WarmUp]
    warm: list[SpokenOrder]
    cold: list[SpokenOrder]
    warm_fake_characters: int  # what the fake counted, against the orders' own sum
    cold_fake_characters: int
    warm_seconds: float
    cold_seconds: float
    race: Race
    loudness_spread_lu: float
    loudness_sentences: int


def billed_per_script(spoken: list[dict] | list[SpokenOrder]) -> float:
    """Characters billed over the characters of the whole scripts, summed over the orders."""
    rows = [asdict(order) if isinstance(order, SpokenOrder) else order for order in spoken]
    return sum(order["characters_billed"] for order in rows) / sum(order["script_characters"] for order in rows)


def most_shared(plans: list[list[PlannedSentence]]) -> str:
    """The shared sentence the most plans have (the first of them in the first plan on a tie)."""
    counts = Counter(text for plan in plans for text in dict.fromkeys(s.text for s in plan if s.shared))
    if not counts:
        raise ValueError("no plan has a shared sentence")
    return counts.most_common(1)[0][0]


def cut_wav(source: Path, start: float, end: float, out: Path) -> Path:
    """Seconds [start, end) of a WAV, in its format."""
    with wave.open(str(source)) as wav:
        params, rate = wav.getparams(), wav.getframerate()
        first, last = round(start * rate), min(round(end * rate), wav.getnframes())
        wav.setpos(first)
        frames = wav.readframes(last - first)
    with wave.open(str(out), "wb") as cut:
        cut.setparams(params)
        cut.writeframes(frames)
    return out


@contextmanager
def fake_providers(data_dir: Path, cache_dir: Path):
    """A fake ElevenLabs and a fake Higgsfield, and the environment that makes the project's resources use them
    (ElevenLabs in front of espeak-ng, lip-sync in front of the template and the still), with data and cache
    folders of their own."""
    with FakeElevenLabs() as voice, FakeHiggsfield() as clips:
        values = {**provider_env(voice, clips), "SANTA_SPEECH_PROVIDERS": "elevenlabs,espeak",
                  "SANTA_CLIP_STRATEGIES": "lipsync,template,still", "SANTA_DATA_DIR": str(data_dir),
                  "AUDIO_CACHE_DIR": str(cache_dir)}
        with environment(values, LEFT_OUT):
            yield voice, clips


@contextmanager
def speech_resources():
    """The voice chain and the audio cache, initialized as a run initializes them."""
    wiring = build_resources(load_settings())
    with dg.build_resources({"voice": wiring["voice"], "audio_cache": wiring["audio_cache"]}) as resources:
        yield resources.voice, resources.audio_cache


def warm_up(language: str) -> WarmUp:
    """The asset's speech part: these figures are of speech, so lip-sync is not offered to it here (bench/lipsync.py
    measures the clips)."""
    with environment({"SANTA_CLIP_STRATEGIES": "template,still"}):
        wiring = build_resources(load_settings())
    result = dg.materialize([shared_sentences], partition_key=language, run_config=QUIET, resources=wiring)
    (event,) = result.get_asset_materialization_events()
    metadata = {key: value.value for key, value in event.materialization.metadata.items()}
    return WarmUp(language, metadata["made"], metadata["characters_billed"], metadata["warm_up_s"])


def speak(order: Order, voice, cache, out: Path) -> tuple[SpokenOrder, list[dict]]:
    """The order's speech assembled into `out` as the audio step does; its bill and where its sentences are."""
    lines = script_of(order)
    plan = speech_plan(lines, order.language)
    spoken = speak_script(voice, cache, lines, plan, order.language, out, out.with_suffix(".work"), order.order_id,
                          lambda message: None)
    bill = SpokenOrder(order.order_id, order.language, len(plan), sum(len(s.text) for s in plan),
                       spoken.characters_billed)
    return bill, spoken.sentences


def speak_orders(orders: list[Order], folder: Path) -> tuple[list[SpokenOrder], tuple[Path, list[dict]]]:
    """Every order spoken one after the other; their bills, and the speech of the order with the most sentences
    with where its sentences are (the others' speech is not kept)."""
    longest = max(orders, key=lambda order: len(speech_plan(script_of(order), order.language))).order_id
    bills, kept = [], None
    with speech_resources() as (voice, cache_resource):
        cache = cache_resource.cache()
        for order in orders:
            out = folder / f"{order.order_id}.wav"
            bill, sentences = speak(order, voice, cache, out)
            bills.append(bill)
            if order.order_id == longest:
                kept = (out, sentences)
            else:
                out.unlink()
    return bills, kept


def loudness_between_sentences(speech: Path, sentences: list[dict], folder: Path) -> float:
    folder.mkdir(parents=True, exist_ok=True)
    cuts = [cut_wav(speech, s["start"], s["end"], folder / f"sentence-{n:02d}.wav") for n, s in enumerate(sentences)]
    return loudness_spread_lu(cuts)


def copy_cache(source: Path, target: Path, leave_out: set[str]) -> None:
    """Every entry of the cache at `source` but those keyed in `leave_out`, into a new cache at `target`."""
    old, new = AudioCache(source, 10**12), AudioCache(target, 10**12)
    scratch = target / "copying.audio"
    for entry in old.entries():
        if entry.key in leave_out:
            continue
        timings = old.get(entry.key, scratch)
        if timings is not None:
            new.put(entry.key, scratch, timings)
    scratch.unlink(missing_ok=True)


def race_orders(seed: int) -> tuple[str, list[Order]]:
    """RACERS English orders of different children whose plans all have one shared sentence: it and them."""
    pool = draw_orders(200, seed, language="en")
    plans = [speech_plan(script_of(order), order.language) for order in pool]
    sentence = most_shared(plans)
    chosen: dict[str, Order] = {}
    for order, plan in zip(pool, plans):
        if order.child_name not in chosen and any(s.shared and s.text == sentence for s in plan):
            chosen[order.child_name] = order
    if len(chosen) < RACERS:
        raise RuntimeError(f"only {len(chosen)} children of the drawn orders say {sentence!r}")
    return sentence, list(chosen.values())[:RACERS]


def _speak_at_the_signal(order_fields: dict, out: str, start, ready_seconds: float) -> None:
    """One racer (a process of its own): ready its resources, wait for the others, then assemble its speech."""
    order = parse_order(order_fields)
    with speech_resources() as (voice, cache_resource):
        cache = cache_resource.cache()
        start.wait(timeout=ready_seconds)
        speak(order, voice, cache, Path(out))


def race(warm_cache: Path, root: Path, seed: int, ready_seconds: float = 300) -> Race:
    """RACERS processes started together, each speaking a different order, all against one fake ElevenLabs and one
    cache folder: the warm cache but for the one sentence they all need."""
    sentence, orders = race_orders(seed)
    with fake_providers(root / "data", root / "cache") as (voice, _):
        with speech_resources() as (chain, _):
            key = sentence_audio_key(chain, "elevenlabs", "en", sentence)
        copy_cache(warm_cache, root / "cache", {key})
        spawn = multiprocessing.get_context("spawn")
        start = spawn.Barrier(RACERS + 1)
        racers = [spawn.Process(target=_speak_at_the_signal, args=(order.model_dump(mode="json"),
                                                                   str(root / f"{order.order_id}.wav"), start,
                                                                   ready_seconds))
                  for order in orders]
        for racer in racers:
            racer.start()
        try:
            start.wait(timeout=ready_seconds)
            started = time.monotonic()
            for racer in racers:
                racer.join(timeout=ready_seconds)
            seconds = time.monotonic() - started
        finally:
            for racer in racers:
                if racer.is_alive():
                    racer.terminate()
        failed = [racer.exitcode for racer in racers if racer.exitcode != 0]
        if failed:
            raise RuntimeError(f"{len(failed)} of {RACERS} racing processes failed (exit codes {failed})")
        texts = [request.json()["text"] for request in voice.requests("tts")]
    return Race(sentence, RACERS, texts.count(sentence), len(texts), round(seconds, 2))


def sentence_figures(root: Path, orders: int = 50, seed: int = SEED, say=lambda text: None) -> SentenceFigures:
    drawn = draw_orders(orders, seed)
    warm_cache = root / "warm" / "cache"
    with fake_providers(root / "warm" / "data", warm_cache) as (voice, _):
        say(f"sentences: the season's warm-up, {' and '.join(LANGUAGES)}")
        warmed = [warm_up(language) for language in LANGUAGES]
        say(f"sentences: {orders} orders on the warm cache")
        before, started = voice.characters_used, time.monotonic()
        warm, (speech, sentences) = speak_orders(drawn, root / "warm" / "speech")
        warm_seconds, warm_fake = time.monotonic() - started, voice.characters_used - before
    spread_lu = loudness_between_sentences(speech, sentences, root / "warm" / "cuts")
    with fake_providers(root / "cold" / "data", root / "cold" / "cache") as (voice, _):
        say(f"sentences: the same {orders} orders on an empty cache")
        started = time.monotonic()
        cold, _ = speak_orders(drawn, root / "cold" / "speech")
        cold_seconds, cold_fake = time.monotonic() - started, voice.characters_used
    say(f"sentences: {RACERS} processes at once wanting one shared sentence no cache holds")
    raced = race(warm_cache, root / "race", seed)
    return SentenceFigures(warmed, warm, cold, warm_fake, cold_fake, round(warm_seconds, 1), round(cold_seconds, 1),
                           raced, round(spread_lu, 2), len(sentences))


def sentence_rows(figures: dict) -> list[Row]:
    warm, cold, raced = figures["warm"], figures["cold"], figures["race"]
    warm_up_seconds = sum(step["seconds"] for step in figures["warm_up"])
    made = sum(step["sentences_made"] for step in figures["warm_up"])
    return [
        Row("characters billed per video / whole script", fmt(billed_per_script(warm), digits=3),
            f"<= 0.3; {len(warm)} orders after the warm-up ({made} sentences, {warm_up_seconds:.0f} s)"),
        Row("characters billed per video / whole script, cold cache", fmt(billed_per_script(cold), digits=3),
            f"printed; the same {len(cold)} orders, one after the other, on an empty cache"),
        Row(f"paid syntheses of one new shared sentence, {raced['processes']} runs at once", str(raced["syntheses"]),
            f"1; {raced['processes']} processes, one fake ElevenLabs and one cache, warm but for {raced['sentence']!r}"),
        Row("loudness spread between sentences (LU)", fmt(figures["loudness_spread_lu"]),
            f"<= 1.5; the {figures['loudness_sentences']} sentences of one speech, cut at their times"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sentences", description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=50, help="orders drawn from the catalog")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    root, started = Path(tempfile.mkdtemp(prefix="santa-bench-sentences-")), time.monotonic()
    try:
        figures = asdict(sentence_figures(root, args.orders, say=print))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(format_table(sentence_rows(figures)))
    per_order = ("warm", "cold")
    print(json.dumps({**{key: value for key, value in figures.items() if key not in per_order},
                      "seconds": round(time.monotonic() - started, 1)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
