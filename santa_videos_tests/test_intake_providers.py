"""Nothing refused ever reaches a paid provider, and nothing sent twice is paid twice: refused orders sent every way
a shop can send them (the HTTP intake as JSON and as a form, `santa-videos submit`, `santa-videos import`) beside
one good order posted four times at once, through a real `serve-intake` process and a real dagster-daemon with
ElevenLabs and Higgsfield as fakes on loopback. The fakes count exactly one order's requests, and no refused word is
in any request, table row or log."""

import csv
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa

from santa_videos.daemon_harness import BIN, PROJECT_ROOT, DaemonHarness, video_runs
from santa_videos.orders import OrderTable
from santa_videos.orders.table import orders
from santa_videos.processes import ServerProcess, free_port
from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield
from santa_videos_tests.fakes.pipeline import provider_env
from santa_videos_tests.paid_requests import paid_requests

REFUSED_WORDS = ("sh1t", "m*erda", "puta", "idiota")
GOOD_ID = "ord_01m8q5v3c8k9t2x7w4n6p0r1v2"


@pytest.mark.slow
def test_refused_or_repeated_orders_cost_no_provider_request(tmp_path, monkeypatch):
    monkeypatch.setenv("SANTA_MAX_CONCURRENT_RUNS", "1")
    with FakeElevenLabs() as voice, FakeHiggsfield() as clips:
        harness = DaemonHarness(tmp_path, **provider_env(voice, clips), SANTA_MAX_CONCURRENT_RUNS="1")
        monkeypatch.setenv("DAGSTER_HOME", str(harness.home))
        port = free_port()
        intake = ServerProcess([str(BIN / "santa-videos"), "serve-intake", "--port", str(port)],
                               harness.env, tmp_path / "intake.log", port, cwd=PROJECT_ROOT)
        orders_csv = tmp_path / "orders.csv"
        with orders_csv.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([
                ["child_name", "age", "language", "mentions"],
                ["Ana", "0", "es", "ayudó en casa"],
                ["Luis", "0", "es", "eres un idiota"],
            ])
        try:
            with intake:
                refused_json = httpx.post(f"{intake.url}/orders", json={
                    "child_name": "Emma", "age": 0, "language": "en", "strategy": "lipsync",
                    "mentions": ["said 'sh1t' at school"],
                })
                refused_form = httpx.post(f"{intake.url}/orders", data={
                    "child_name": "Mateo", "age": "0", "language": "es", "mentions": "qué m*erda",
                })
                refused_cli = harness.cli("submit", "--name", "Puta", "--age", "0", "--language", "es")
                refused_import = harness.cli("import", str(orders_csv))
                good = {"order_id": GOOD_ID, "child_name": "Emma", "age": 0, "language": "en", "strategy": "lipsync"}
                with ThreadPoolExecutor(4) as pool:
                    answers = list(pool.map(lambda _: httpx.post(f"{intake.url}/orders", json=good, timeout=60), range(4)))
                assert (refused_json.status_code, refused_form.status_code) == (422, 422)
                assert sorted(answer.status_code for answer in answers) == [200, 200, 200, 201]
                assert (refused_cli.returncode, refused_import.returncode) == (2, 2)
                order_id = GOOD_ID

                harness.start()
                harness.wait_for(lambda: harness.statuses([order_id]) == ["delivered"], 300, "the good order delivered")
                harness.wait_for_runs_to_end()
        finally:
            harness.stop()

        paid = paid_requests(tmp_path / "data" / "media" / "orders", [order_id])
        assert voice.count("tts") == paid.speech, "the one good order's speech, once"
        assert clips.count("submit") == paid.generations, "the one good order's lip-sync, once"
        sent = " ".join(request.body.decode("utf-8", "replace") for request in voice.requests() + clips.requests())

    with harness.instance() as instance:
        assert [run.tags["dagster/partition"] for run in video_runs(instance)] == [order_id]
        assert instance.get_dynamic_partitions("videos") == [order_id]
    table = OrderTable(f"sqlite:///{tmp_path / 'data' / 'orders.db'}")
    with table.engine.connect() as conn:
        assert conn.execute(sa.select(orders.c.order_id)).scalars().all() == [order_id]
    table.dispose()
    said = "\n".join([
        sent, refused_json.text, refused_cli.stdout, refused_cli.stderr, refused_import.stdout, refused_import.stderr,
        (tmp_path / "intake.log").read_text(), harness.log.read_text(),
    ]).casefold()
    for word in REFUSED_WORDS:
        assert word not in said, f"{word!r} was sent or logged"
