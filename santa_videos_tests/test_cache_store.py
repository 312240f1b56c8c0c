"""The audio cache in a bucket, for several machines: content-addressed objects on a real S3 server, the size cap
and least-recently-used order in an index table of the orders database, never torn under concurrent writers."""

import json
import multiprocessing
import os
import random
import time

import pytest

from santa_videos_tests.postgres import database_url, temporary_database
from santa_videos_tests.s3 import BUCKET, PREFIX, s3_server  # noqa: F401 (fixture)
from santa_videos_tests.test_cache import (
    _hammer, assert_lru_matches_a_model, content_for, key_for, open_cache, put_bytes,
)

pytestmark = pytest.mark.unit


@pytest.fixture
def where(s3_server, tmp_path):
    return s3_server.url, f"sqlite:///{tmp_path / 'orders.db'}"


def test_a_hit_returns_the_stored_audio_and_timings_and_erasure_finds_its_orders(where, s3_server, tmp_path):
    cache = open_cache(where, 10_000_000)
    mine, shared, theirs = key_for(1), key_for(2), key_for(3)
    assert cache.get(mine, tmp_path / "out.wav") is None and not (tmp_path / "out.wav").exists()
    put_bytes(cache, tmp_path, mine, content_for(mine, 5000), order_id="ord_mine")
    put_bytes(cache, tmp_path, shared, content_for(shared, 800), order_id="ord_theirs")
    put_bytes(cache, tmp_path, theirs, content_for(theirs, 700), order_id="ord_theirs")
    assert cache.get(mine, tmp_path / "out.wav", order_id="ord_other") == {"key": mine, "size": 5000}
    assert (tmp_path / "out.wav").read_bytes() == content_for(mine, 5000)
    assert cache.get(shared, tmp_path / "out.wav", order_id="ord_mine") is not None
    assert f"audio_cache/{mine[:2]}/{mine}.wav" in s3_server.objects()
    assert cache.size_bytes() == 6500 + sum(len(json.dumps({"key": k, "size": n})) for k, n in
                                            [(mine, 5000), (shared, 800), (theirs, 700)])

    removed = cache.forget_order("ord_mine")
    assert removed.entries == 2
    assert [e.key for e in cache.entries()] == [theirs]
    assert s3_server.objects() == sorted(f"audio_cache/{theirs[:2]}/{theirs}.{ext}" for ext in ("json", "wav"))


def test_the_cap_holds_and_the_least_recently_used_go_first(where, tmp_path):
    """The same model of LRU as the local cache's test predicts the survivors of each write."""
    rng, cap = random.Random(1226), 40_000
    cache = open_cache(where, cap)
    sizes = {key_for(n): rng.choice([rng.randrange(100, 4000), rng.randrange(4000, 15_000), 50_000]) for n in range(20)}
    assert_lru_matches_a_model(cache, tmp_path, rng, sizes, writes=80, cap=cap)


def test_objects_no_index_row_names_are_swept_once_stale(where, s3_server, tmp_path):
    cache = open_cache(where, 10_000_000)
    kept, orphan = key_for(1), key_for(2)
    put_bytes(cache, tmp_path, kept, b"k" * 100)
    cache.backend.put_bytes(f"audio_cache/{orphan[:2]}/{orphan}.wav", b"o" * 300, "audio/wav")  # a writer that died
    assert cache.remove_stale_staging(3600).entries == 0, "a fresh object may be a writer still at work"
    time.sleep(1.1)
    removed = cache.remove_stale_staging(1)
    assert (removed.entries, removed.bytes) == (1, 300)
    assert cache.get(kept, tmp_path / "out.wav") is not None


@pytest.mark.slow
def test_two_machines_writing_the_same_and_different_keys_at_once(s3_server, tmp_path):
    """Two processes with their own connections, one bucket, one PostgreSQL index, a cap that forces evictions."""
    cap, rounds = 150_000, 40
    ctx = multiprocessing.get_context("spawn")
    with temporary_database("cache") as name:
        where = (s3_server.url, database_url(name))
        with ctx.Manager() as manager:
            barrier = manager.Barrier(2)
            with ctx.Pool(2) as pool:
                results = pool.starmap(_hammer, [(where, cap, w, rounds, barrier, str(tmp_path)) for w in (0, 1)])
        assert [r["problems"] for r in results] == [[], []]
        assert all(r["hits"] > 0 and r["puts"] > 0 for r in results)
        cache = open_cache(where, cap)
        assert cache.size_bytes() <= cap
        for entry in cache.entries():
            timings = cache.get(entry.key, tmp_path / "check.wav")
            if timings is not None:  # an entry evicted under a writer's feet is a clean miss, never a torn one
                assert (tmp_path / "check.wav").read_bytes() == content_for(entry.key, timings["size"])
        cache.engine.dispose()
    assert os.path.isdir(s3_server.data / BUCKET / PREFIX / "audio_cache")
