"""The audio cache: one entry per distinct speech, never torn, never lost under two writers, LRU within its cap."""

import hashlib
import json
import multiprocessing
import random

import pytest

from santa_videos.media.audio_cache import AudioCache, cache_key

pytestmark = pytest.mark.unit


def key_for(n: int) -> str:
    return cache_key("espeak-ng", "en-us+m3", "espeak-ng", {"speed": 135}, "wav_48000", f"line number {n}")


def content_for(key: str, size: int) -> bytes:
    block = hashlib.sha256(key.encode()).digest()
    return (block * (size // len(block) + 1))[:size]


def put_bytes(cache: AudioCache, tmp_path, key: str, data: bytes, order_id: str | None = None) -> bool:
    source = tmp_path / f"src-{key[:8]}-{random.random()}.wav"
    source.write_bytes(data)
    try:
        return cache.put(key, source, {"key": key, "size": len(data)}, order_id=order_id)
    finally:
        source.unlink()


def test_the_key_covers_everything_that_changes_the_audio_and_only_that():
    base = dict(provider="elevenlabs", voice="santa", model="m1", voice_settings={"stability": 0.5, "style": 0.1},
                output_format="mp3_44100_128", text="Ho ho ho!\nHello, Emma!")
    key = cache_key(**base)
    for field, other in [("provider", "espeak-ng"), ("voice", "elf"), ("model", "m2"),
                         ("voice_settings", {"stability": 0.6, "style": 0.1}), ("output_format", "pcm_48000"),
                         ("text", "Ho ho ho!\nHello, Emma?")]:
        assert cache_key(**{**base, field: other}) != key, field
    same = {**base, "voice_settings": {"style": 0.1, "stability": 0.5}, "text": "  Ho  ho ho!\n\nHello,\u00a0Emma!  "}
    assert cache_key(**same) == key
    # NFC: a decomposed ë is the same text as a composed one.
    assert cache_key(**{**base, "text": "Zoe\u0308"}) == cache_key(**{**base, "text": "Zo\u00eb"})
    # A line break is a timing boundary, not a space.
    assert cache_key(**{**base, "text": "Ho ho ho! Hello, Emma!"}) != key


def test_a_hit_returns_the_stored_audio_and_timings(tmp_path):
    cache = AudioCache(tmp_path / "cache", max_bytes=10_000_000)
    key = key_for(1)
    assert cache.get(key, tmp_path / "out.wav") is None
    assert not (tmp_path / "out.wav").exists()
    assert put_bytes(cache, tmp_path, key, content_for(key, 5000), order_id="ord_a")
    timings = cache.get(key, tmp_path / "out.wav", order_id="ord_b")
    assert timings == {"key": key, "size": 5000}
    assert (tmp_path / "out.wav").read_bytes() == content_for(key, 5000)
    assert cache.size_bytes() == 5000 + len(json.dumps(timings))


def test_erasing_an_order_removes_every_entry_it_used(tmp_path):
    cache = AudioCache(tmp_path / "cache", max_bytes=10_000_000)
    mine, shared, theirs = key_for(1), key_for(2), key_for(3)
    put_bytes(cache, tmp_path, mine, b"a" * 100, order_id="ord_mine")
    put_bytes(cache, tmp_path, shared, b"b" * 100, order_id="ord_theirs")
    cache.get(shared, tmp_path / "x.wav", order_id="ord_mine")
    put_bytes(cache, tmp_path, theirs, b"c" * 100, order_id="ord_theirs")
    removed = cache.forget_order("ord_mine")
    assert removed.entries == 2 and removed.bytes > 200
    assert sorted(e.key for e in cache.entries()) == [theirs]


def assert_lru_matches_a_model(cache, tmp_path, rng: random.Random, sizes: dict[str, int], writes: int, cap: int):
    """Random reads and writes of the keys of `sizes` (one key, one size): after each write the cache holds exactly
    what a model of least-recently-used eviction kept here predicts. Returns the model (key -> stored size)."""
    model: dict[str, int] = {}  # in least-recently-used-first order
    for step in range(writes):
        key = key_for(rng.randrange(len(sizes)))
        if key in model and rng.random() < 0.4:
            assert cache.get(key, tmp_path / "out.wav") is not None
            model[key] = model.pop(key)
            continue
        size = sizes[key]
        stored = put_bytes(cache, tmp_path, key, content_for(key, size))
        assert stored == (size <= cap)
        if stored:
            model.pop(key, None)
            model[key] = size + len(json.dumps({"key": key, "size": size}))
            while sum(model.values()) > cap:
                model.pop(next(iter(model)))
        entries = {e.key: e.size_bytes for e in cache.entries()}
        assert sum(entries.values()) <= cap, f"over the cap after write {step}"
        assert entries == model, f"wrong survivors after write {step}"
    return model


def test_the_cap_holds_and_the_least_recently_used_go_first_after_random_writes(tmp_path):
    """A model of LRU kept by the test predicts exactly which entries survive each write."""
    rng = random.Random(1225)
    cap = 60_000
    cache = AudioCache(tmp_path / "cache", max_bytes=cap)
    # One key is one speech: its size is fixed, a few are larger than the whole cap.
    sizes = {key_for(n): rng.choice([rng.randrange(100, 4000), rng.randrange(4000, 20_000), 70_000]) for n in range(40)}
    model = assert_lru_matches_a_model(cache, tmp_path, rng, sizes, writes=300, cap=cap)
    for key in model:
        assert cache.get(key, tmp_path / "out.wav") is not None
        assert (tmp_path / "out.wav").read_bytes() == content_for(key, (tmp_path / "out.wav").stat().st_size)


def open_cache(where, cap: int):
    """A folder (str) for the local cache, or (S3 endpoint, index database URL) for the cache in a bucket."""
    from pathlib import Path

    if isinstance(where, str):
        return AudioCache(Path(where), max_bytes=cap)
    from santa_videos.media.store_audio_cache import StoreAudioCache
    from santa_videos.orders import OrderTable
    from santa_videos.storage.s3 import S3Backend
    from santa_videos_tests.s3 import ACCESS_KEY, BUCKET, PREFIX, SECRET_KEY

    endpoint, db_url = where
    backend = S3Backend(BUCKET, PREFIX, endpoint, "us-east-1", ACCESS_KEY, SECRET_KEY)
    return StoreAudioCache(backend, cap, OrderTable(db_url).engine)


def _hammer(where, cap: int, worker: int, rounds: int, barrier, out_dir: str) -> dict:
    """One process: write and read shared and private keys; report every torn or wrong read."""
    from pathlib import Path

    cache = open_cache(where, cap)
    rng = random.Random(worker)
    problems, hits, puts = [], 0, 0
    out = Path(out_dir) / f"out-{worker}.wav"
    barrier.wait(timeout=120)  # a worker that failed before this point fails the test instead of hanging it
    for n in range(rounds):
        shared = key_for(rng.randrange(30))
        private = key_for(1000 * (worker + 1) + n)
        for key in (shared, private):
            size = 2000 + int(key[:4], 16) % 30_000
            timings = cache.get(key, out)
            if timings is None:
                src = Path(out_dir) / f"src-{worker}.wav"
                src.write_bytes(content_for(key, size))
                cache.put(key, src, {"key": key, "size": size}, order_id=f"ord_w{worker}")
                puts += 1
            else:
                hits += 1
                data = out.read_bytes()
                if timings != {"key": key, "size": size} or data != content_for(key, size):
                    problems.append(f"torn or wrong entry for {key[:12]}: {len(data)} bytes, timings {timings}")
    return {"problems": problems, "hits": hits, "puts": puts}


@pytest.mark.integration
@pytest.mark.parametrize("cap", [1_000_000_000, 150_000], ids=["no-eviction", "evicting"])
def test_two_processes_writing_the_same_and_different_keys_at_once(tmp_path, cap):
    ctx = multiprocessing.get_context("spawn")
    root = tmp_path / "cache"
    with ctx.Manager() as manager:
        barrier = manager.Barrier(2)
        with ctx.Pool(2) as pool:
            results = pool.starmap(_hammer, [(str(root), cap, w, 150, barrier, str(tmp_path)) for w in (0, 1)])
    assert [r["problems"] for r in results] == [[], []]
    assert all(r["hits"] > 0 and r["puts"] > 0 for r in results)
    cache = AudioCache(root, max_bytes=cap)
    entries = cache.entries()
    assert sum(e.size_bytes for e in entries) <= cap
    if cap == 1_000_000_000:
        # Nothing was evicted, so every key either process wrote is there: no entry lost to a race.
        written = {key_for(1000 * (w + 1) + n) for w in (0, 1) for n in range(150)}
        assert written <= {e.key for e in entries}
    leftovers = [p for p in (root / "staging").glob("*")] + [p for p in (root / "trash").glob("*")]
    assert leftovers == []
