"""The claims that make runs pay once, on SQLite and PostgreSQL: the lip-sync segment ledger (one claimer at a time,
a stale claim taken over, a saved request id kept for whoever polls next) and the shared audio cache's claim."""

import threading
import time

import pytest
import sqlalchemy as sa

from santa_videos.media import store_audio_cache
from santa_videos.media.store_audio_cache import StoreAudioCache
from santa_videos.orders.lipsync_ledger import LipsyncLedger
from santa_videos.storage.local import LocalBackend
from santa_videos_tests.postgres import database_url, temporary_database

pytestmark = pytest.mark.integration
KEY = "ab" * 32


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        yield sa.create_engine(f"sqlite:///{tmp_path / 'orders.db'}")
        return
    with temporary_database("claims") as name:
        engine = sa.create_engine(database_url(name), poolclass=sa.pool.NullPool)
        yield engine
        engine.dispose()


def test_one_run_claims_a_segment_and_the_next_polls_its_request(engine):
    first, second = LipsyncLedger(engine, "host-a/run-1"), LipsyncLedger(engine, "host-b/run-2", stale_seconds=0.2)
    assert first.claim(KEY, None).mine
    assert not second.claim(KEY, None).mine, "a live claim is not taken"
    first.save(KEY, "req-1")
    time.sleep(0.3)
    claim = second.claim(KEY, None)
    assert (claim.mine, claim.request_id) == (False, "req-1"), "a submitted segment is polled, never taken over"
    first.forget_request(KEY, "req-1")
    assert second.claim(KEY, None).mine


def test_a_stale_claim_without_a_request_is_taken_over(engine):
    dead, alive = LipsyncLedger(engine, "host-a/run-1"), LipsyncLedger(engine, "host-b/run-2", stale_seconds=0.2)
    personal = f"ord_01x/{KEY}"
    assert dead.claim(personal, "ord_01x").mine
    time.sleep(0.3)
    assert alive.claim(personal, "ord_01x").mine
    assert [c.segment_key for c in alive.of_order("ord_01x")] == [personal]
    assert alive.forget_order("ord_01x") == 1 and alive.get(personal) is None


def test_the_shared_cache_claim_lets_one_machine_make_an_entry_at_a_time(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(store_audio_cache, "CLAIM_POLL_SECONDS", 0.02)
    cache = StoreAudioCache(LocalBackend(tmp_path / "store"), 10**9, engine)
    inside, most = [], []

    def make() -> None:
        with cache.claim(KEY):
            inside.append(1)
            most.append(len(inside))
            time.sleep(0.1)
            inside.pop()

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(most) == 4 and max(most) == 1
