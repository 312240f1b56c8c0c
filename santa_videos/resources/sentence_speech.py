"""An order's speech assembled from sentences: shared ones from the audio cache (made once, for everyone), the
order's own made now, all laid out with the script's pauses.

A shared sentence missing from the cache is made under a claim on its key, so runs that need it at the same moment
pay for it once: one makes it, the others wait and find it. Shared entries carry no order (erasing an order never
removes them); personal ones carry theirs.
"""

import shutil
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from santa_videos.media.audio_cache import AudioCache
from santa_videos.media.ffmpeg_run import MediaError
from santa_videos.media.files import atomic_path
from santa_videos.media.sentence_cuts import VoicedSentence
from santa_videos.media.speech import Cue, Speech
from santa_videos.media.store_audio_cache import StoreAudioCache
from santa_videos.media.timings import Word, phrase_cues, words_json
from santa_videos.providers.errors import ProviderError
from santa_videos.resources.audio_cache import sentence_audio_key
from santa_videos.resources.speech_chain import SpeechChain
from santa_videos.script.lines import ScriptLine
from santa_videos.script.sentences import PlannedSentence

LEAD_IN_SECONDS = 0.6
SENTENCE_PAUSE_SECONDS = 0.3  # between two sentences of one caption line
LINE_PAUSE_SECONDS = 0.45
TAIL_SECONDS = 1.0

Cache = AudioCache | StoreAudioCache


@dataclass
class SpokenScript:
    speech: Speech
    provider: str
    voice: str
    words: list[Word] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)  # each: start, end, line, shared, key, cached, characters
    characters_billed: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    fallback_seconds: float = 0.0

    @property
    def sentences_cached(self) -> int:
        return sum(1 for sentence in self.sentences if sentence["cached"])

    @property
    def characters_saved(self) -> int:
        return sum(sentence["characters"] for sentence in self.sentences if sentence["cached"])


def speak_script(
    voice: SpeechChain, cache: Cache, lines: list[ScriptLine], plan: list[PlannedSentence], language: str,
    out: Path, workdir: Path, order_id: str, log: Callable[[str], None],
) -> SpokenScript:
    """The script spoken by the first provider of the chain that can serve all of it. Fails with dg.Failure (no
    step retry) when none can; the reasons are in the message."""
    skipped, requests, started = [], {}, time.monotonic()
    for name in voice.providers:
        problem = voice.unusable(name)
        if problem:
            skipped.append(f"{name}: {problem}")
            continue
        failed_at = time.monotonic()
        try:
            spoken = _speak_with(name, voice, cache, lines, plan, language, out, workdir, order_id, requests, log)
        except (ProviderError, MediaError) as exc:
            reason = exc.reason if isinstance(exc, ProviderError) else str(exc)
            skipped.append(f"{name}: {reason}")
            log(f"speech provider {name} skipped: {reason}")
            continue
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        spoken.skipped, spoken.requests = skipped, requests
        spoken.fallback_seconds = round(failed_at - started, 3) if skipped else 0.0
        return spoken
    raise dg.Failure(
        "no speech provider could voice the script: " + "; ".join(skipped or ["none is configured"]),
        allow_retries=False,
    )


def _speak_with(name, voice, cache, lines, plan, language, out, workdir, order_id, requests, log) -> SpokenScript:
    workdir.mkdir(parents=True, exist_ok=True)
    keys = [sentence_audio_key(voice, name, language, sentence.text) for sentence in plan]
    paths = [workdir / f"sentence-{index:03d}.wav" for index in range(len(plan))]
    owners = [None if sentence.shared else order_id for sentence in plan]
    voiced = {index: _cached(cache, keys[index], paths[index], owners[index]) for index in range(len(plan))}
    cached = {index for index, sentence in voiced.items() if sentence is not None}

    missing = [i for i in range(len(plan)) if plan[i].shared and i not in cached]
    made, billed = make_shared(voice, cache, name, language, [plan[i].text for i in missing], [keys[i] for i in missing],
                               [paths[i] for i in missing], workdir, requests, log)
    for index, sentence in zip(missing, made):
        voiced[index] = sentence.voiced
        if sentence.found:
            cached.add(index)

    personal = [i for i in range(len(plan)) if not plan[i].shared and i not in cached]
    if personal:
        # A sentence the order says twice ("Merry Christmas, Emma!" in the greeting and the goodbye) is paid once.
        first_of = {plan[i].text: i for i in reversed(personal)}
        unique = sorted(first_of.values())
        context = (plan[personal[0] - 1].text if personal[0] > 0 else "",
                   plan[personal[-1] + 1].text if personal[-1] + 1 < len(plan) else "")
        made, chars = voice.voice_sentences(name, [plan[i].text for i in unique], language,
                                            [paths[i] for i in unique], workdir, context, requests, log)
        billed += chars
        for index, sentence in zip(unique, made):
            _store(cache, keys[index], sentence, name, voice.voice(name, language), order_id)
        for index in personal:
            voiced[index] = made[unique.index(first_of[plan[index].text])]
            if index not in unique:
                cached.add(index)  # said again: the same audio, not paid again

    log(f"speech: {len(cached)} of {len(plan)} sentences from the audio cache, {billed} characters billed")
    speech, words, timings = assemble([voiced[i] for i in range(len(plan))], lines, plan, out)
    for timing, key, index in zip(timings, keys, range(len(plan))):
        timing.update(key=key, cached=index in cached)
    return SpokenScript(speech=speech, provider=voice.provider_name(name), voice=voice.voice(name, language),
                        words=words, sentences=timings, characters_billed=billed)


@dataclass(frozen=True)
class SharedSentence:
    voiced: VoicedSentence
    found: bool  # another run had made it by the time this one held its claim


def make_shared(
    voice: SpeechChain, cache: Cache, name: str, language: str, texts: list[str], keys: list[str], paths: list[Path],
    workdir: Path, requests: dict[str, int], log: Callable[[str], None],
) -> tuple[list[SharedSentence], int]:
    """Shared sentences missing from the cache, each made alone (its audio serves every order, whatever surrounds
    it) under a claim on its key, and cached for everyone; returns them and the characters billed."""
    made, billed = [], 0
    for text, key, path in zip(texts, keys, paths):
        with cache.claim(key):
            found = _cached(cache, key, path, None)
            if found is not None:
                made.append(SharedSentence(found, True))
                continue
            (voiced,), chars = voice.voice_sentences(name, [text], language, [path], workdir, ("", ""), requests, log)
            _store(cache, key, voiced, name, voice.voice(name, language), None)
            made.append(SharedSentence(voiced, False))
            billed += chars
    return made, billed


def _cached(cache: Cache, key: str, out: Path, order_id: str | None) -> VoicedSentence | None:
    timings = cache.get(key, out, order_id)
    if timings is None:
        return None
    return VoicedSentence(path=out, duration=timings["duration"], words=[Word(**word) for word in timings["words"]])


def _store(cache: Cache, key: str, sentence: VoicedSentence, provider: str, voice_name: str, order_id: str | None):
    timings = {"provider": provider, "voice": voice_name, "duration": sentence.duration,
               "words": words_json(sentence.words)}
    cache.put(key, sentence.path, timings, order_id)


def assemble(
    sentences: list[VoicedSentence], lines: list[ScriptLine], plan: list[PlannedSentence], out: Path,
) -> tuple[Speech, list[Word], list[dict]]:
    """The sentences in order with the script's pauses, as one WAV at `out`; its caption cues (one line each, in
    phrases where word timings allow), its words, and where each sentence is (seconds in `out`)."""
    with wave.open(str(sentences[0].path)) as first:
        params = first.getparams()
    rate, frame_bytes = params.framerate, params.sampwidth * params.nchannels
    timings, words, position = [], [], int(LEAD_IN_SECONDS * rate)
    with atomic_path(out) as temp, wave.open(str(temp), "wb") as joined:
        joined.setparams(params)
        joined.writeframes(b"\0" * position * frame_bytes)
        for index, (sentence, planned) in enumerate(zip(sentences, plan)):
            with wave.open(str(sentence.path)) as source:
                if (source.getframerate(), source.getnchannels(), source.getsampwidth()) != (rate, params.nchannels, params.sampwidth):
                    raise MediaError(f"sentence {index} is not in the speech's format")
                frames = source.readframes(source.getnframes())
            start, length = position / rate, len(frames) // frame_bytes
            joined.writeframes(frames)
            position += length
            timings.append({"start": round(start, 3), "end": round(position / rate, 3), "line": planned.line,
                            "shared": planned.shared, "characters": len(planned.text)})
            words += [Word(round(w.start + start, 3), round(w.end + start, 3), w.text) for w in sentence.words]
            last = index + 1 == len(plan)
            pause = TAIL_SECONDS if last else SENTENCE_PAUSE_SECONDS if plan[index + 1].line == planned.line else LINE_PAUSE_SECONDS
            silence = int(pause * rate)
            joined.writeframes(b"\0" * silence * frame_bytes)
            position += silence
    duration = round(position / rate, 3)
    return Speech(path=out, duration=duration, cues=_line_cues(lines, timings, words)), words, timings


def _line_cues(lines: list[ScriptLine], timings: list[dict], words: list[Word]) -> list[Cue]:
    cues, previous_end = [], 0.0
    for number, line in enumerate(lines):
        spoken = [timing for timing in timings if timing["line"] == number]
        if not spoken:
            continue
        start, end = spoken[0]["start"], spoken[-1]["end"]
        in_line = [word for word in words if start <= word.start < end]
        phrases = phrase_cues(line.caption, in_line) if in_line else [Cue(start=start, end=end, text=line.caption)]
        for cue in phrases:
            begin = max(cue.start, previous_end)
            finish = max(cue.end, begin)
            cues.append(Cue(start=round(begin, 3), end=round(finish, 3), text=cue.text))
            previous_end = finish
    return cues
