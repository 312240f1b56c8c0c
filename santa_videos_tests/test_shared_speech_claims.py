"""Runs that need the same new shared sentence at the same moment pay for it once: one makes it, the others wait
for its claim and find it in the cache (separate processes, one cache folder, the fake ElevenLabs)."""

import multiprocessing
import os
import time
from pathlib import Path

import dagster as dg
import pytest

from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield
from santa_videos_tests.fakes.pipeline import provider_env

pytestmark = pytest.mark.integration

RUNS = 4


def speak_order(env: dict, cache_root: str, work: str, name: str, start_at: float) -> int:
    os.environ.update(env)
    from santa_videos.media.audio_cache import AudioCache
    from santa_videos.providers.settings import load_provider_settings
    from santa_videos.providers.wiring import build_voice
    from santa_videos.resources.sentence_speech import speak_script
    from santa_videos.script.lines import speech_plan, write_script
    from santa_videos.settings import load_settings

    lines = write_script("ord_01claim000000000000000000", name, name, 7, "en", ["wish_bike"])
    with dg.build_resources({"voice": build_voice(load_settings(), load_provider_settings())}) as resources:
        time.sleep(max(0.0, start_at - time.time()))  # all together, once every process has loaded
        spoken = speak_script(resources.voice, AudioCache(Path(cache_root), 10**9), lines, speech_plan(lines, "en"),
                              "en", Path(work) / "audio.wav", Path(work) / "speech", f"ord_{name}", print)
    return spoken.characters_billed


def test_one_new_shared_sentence_is_synthesized_once_for_runs_at_once(tmp_path):
    with FakeElevenLabs() as voice, FakeHiggsfield() as clips:
        env = {**provider_env(voice, clips), "SANTA_DATA_DIR": str(tmp_path / "data")}
        context = multiprocessing.get_context("spawn")
        names = ["Ava", "Noah", "Mia", "Leo"][:RUNS]
        start_at = time.time() + 15
        with context.Pool(RUNS) as pool:
            billed = pool.starmap_async(speak_order, [(env, str(tmp_path / "cache"), str(tmp_path / name), name, start_at)
                                                      for name in names]).get(timeout=120)
        texts = [request.json()["text"] for request in voice.requests("tts")]
    shared = [text for text in texts if not any(name in text for name in names)]
    assert shared and len(shared) == len(set(shared)), "each shared sentence was paid for exactly once"
    assert sum(1 for text in texts if any(name in text for name in names)) == RUNS, "each child's own once"
    assert sum(billed) == sum(len(text) for text in texts)
