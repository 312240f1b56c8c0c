"""Drills on a cluster of two worker hosts (real daemon, Celery workers, Redis, S3 server, PostgreSQL)."""

import time

import pytest

from santa_videos_tests.cluster import cluster  # noqa: F401 (fixture)


@pytest.mark.slow
def test_orders_are_rendered_by_the_workers(cluster):
    started = time.monotonic()
    order_ids = cluster.submit(4)
    records = cluster.wait_until_terminal(order_ids, 300)
    print({oid: (r.status, r.render_host, r.last_error) for oid, r in records.items()}, time.monotonic() - started)
    assert {r.status for r in records.values()} == {"delivered"}
