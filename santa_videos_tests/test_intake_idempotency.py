"""The same order sent many times at once is one order: over HTTP (two `serve-intake` processes on one orders
database, many client threads) exactly one answer is 201 and the others 200, never a 5xx; from the CLI every process
exits 0 with the same id. The same order id with other fields is refused (409, exit 2) naming the fields that differ,
and nothing changes. On SQLite and on PostgreSQL."""

import csv
import io
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa
from PIL import Image
from starlette.testclient import TestClient

from santa_videos.cli import main
from santa_videos.daemon_harness import BIN
from santa_videos.intake_http import create_app
from santa_videos.intake_http.app import SECRET_HEADER
from santa_videos.orders import OrderTable
from santa_videos.orders.table import orders
from santa_videos.processes import ServerProcess, free_port
from santa_videos.settings import load_settings
from santa_videos_tests.conftest import subprocess_env
from santa_videos_tests.postgres import STORAGES, orders_database

pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SECRET = "shop-secret-7f3a"
ORDER = {"order_id": "ord_01m8q5v3c8k9t2x7w4n6p0r1sz", "child_name": "Zoë", "age": 7, "language": "es",
         "mentions": ["ayudó a su hermano"], "strategy": "template", "deadline": "2099-12-20"}
PHOTO_ORDER_ID = "ord_01m8q5v3c8k9t2x7w4n6p0r1t0"
N = 16


def photo(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(params=STORAGES)
def orders_url(request, tmp_path):
    with orders_database(request.param, tmp_path / "data", "idempotency") as url:
        yield url


@pytest.fixture
def table(orders_url):
    table = OrderTable(orders_url)
    yield table
    table.dispose()


def rows(table: OrderTable) -> list[dict]:
    with table.engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.select(orders).order_by(orders.c.seq)).mappings()]


def all_at_once(calls: list) -> list:
    """Run the calls on their own threads, released together."""
    start = threading.Barrier(len(calls))

    def released(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(released, calls))


@pytest.mark.integration
def test_the_same_order_posted_at_once_to_two_intake_processes_is_queued_once(tmp_path, orders_url, table):
    env = subprocess_env(SANTA_DATA_DIR=str(tmp_path / "data"), SANTA_ORDERS_DB_URL=orders_url, SANTA_INTAKE_SECRET=SECRET)
    ports = [free_port(), free_port()]
    logs = [tmp_path / f"intake-{port}.log" for port in ports]
    servers = [ServerProcess([str(BIN / "santa-videos"), "serve-intake", "--port", str(port)], env, log, port)
               for port, log in zip(ports, logs)]
    headers = {SECRET_HEADER: SECRET, "accept": "application/json"}
    with servers[0], servers[1]:
        urls = [server.url + "/orders" for server in servers]
        answers = all_at_once([lambda url=urls[i % 2]: httpx.post(url, json=ORDER, headers=headers, timeout=60)
                               for i in range(N)])
        assert sorted(a.status_code for a in answers) == [200] * (N - 1) + [201]
        assert {a.json()["order_id"] for a in answers} == {ORDER["order_id"]}
        assert sum(a.json()["created"] for a in answers) == 1

        # The same with a photo, sent as a form by a shop's server: one order, its photo stored, then queued.
        form = {k: v for k, v in ORDER.items() if k != "mentions"} | {"order_id": PHOTO_ORDER_ID}
        sent = photo("navy")
        answers = all_at_once([
            lambda url=urls[i % 2]: httpx.post(url, data=form, files={"photo": ("kid.png", sent, "image/png")},
                                               headers=headers, timeout=60)
            for i in range(N)
        ])
        assert sorted(a.status_code for a in answers) == [200] * (N - 1) + [201]

        # The same ids with other fields: refused, naming them, and nothing changes.
        before = rows(table)
        changed = httpx.post(urls[0], json={**ORDER, "age": 8, "mentions": ["otra cosa"]}, headers=headers)
        assert changed.status_code == 409
        assert changed.json()["conflicting_fields"] == ["age", "mentions"]
        assert changed.json()["errors"] == [
            f"order_id: {ORDER['order_id']} was already sent with a different age and mentions; nothing changed "
            "(send a new order without an order_id for a different video)"
        ]
        other_photo = httpx.post(urls[1], data=form, files={"photo": ("kid.png", photo("red"), "image/png")},
                                 headers=headers)
        assert other_photo.status_code == 409 and other_photo.json()["conflicting_fields"] == ["photo"]
        assert rows(table) == before

    stored = rows(table)
    assert [(row["order_id"], row["status"]) for row in stored] == [(ORDER["order_id"], "queued"),
                                                                    (PHOTO_ORDER_ID, "queued")]
    assert (tmp_path / "data" / "media" / "orders" / PHOTO_ORDER_ID / "photo.jpg").is_file()
    for log in logs:
        text = log.read_text()
        assert "Traceback" not in text and " 500 " not in text, text[-3000:]


@pytest.mark.integration
def test_the_same_order_submitted_by_many_cli_processes_at_once_is_queued_once(tmp_path, orders_url, table):
    env = subprocess_env(SANTA_DATA_DIR=str(tmp_path / "data"), SANTA_ORDERS_DB_URL=orders_url)
    args = [str(BIN / "santa-videos"), "submit", "--order-id", ORDER["order_id"], "--name", ORDER["child_name"],
            "--age", "7", "--language", "es", "--mention", "ayudó a su hermano", "--deadline", "2099-12-20"]
    start = threading.Event()

    def submit():
        start.wait()
        return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(submit) for _ in range(8)]
        start.set()
        done = [future.result() for future in futures]
    assert [d.returncode for d in done] == [0] * 8, [d.stderr for d in done]
    assert {d.stdout.strip() for d in done} == {ORDER["order_id"]}
    assert sum("already queued" in d.stderr for d in done) == 7
    assert [row["order_id"] for row in rows(table)] == [ORDER["order_id"]]
    assert not any("Traceback" in d.stderr for d in done)


def test_the_same_order_added_from_many_threads_with_their_own_connections_is_one_row(orders_url, table):
    from santa_videos.orders import parse_order

    tables = [OrderTable(orders_url) for _ in range(N)]
    try:
        results = all_at_once([lambda t=t: t.add([parse_order(ORDER)]) for t in tables])
    finally:
        for each in tables:
            each.dispose()
    assert sorted(created for [(_id, created)] in results) == [False] * (N - 1) + [True]
    assert len(rows(table)) == 1


CHANGES = [
    ({"child_name": "Zoe"}, ["child_name"]),
    ({"age": 8}, ["age"]),
    ({"language": "en"}, ["language"]),
    ({"phonetic_name": "Sohé"}, ["phonetic_name"]),
    ({"mentions": ["ayudó a su hermana"]}, ["mentions"]),
    ({"mentions": []}, ["mentions"]),
    ({"strategy": "still"}, ["strategy"]),
    ({"deadline": "2099-12-21"}, ["deadline"]),
    ({"deadline": None}, ["deadline"]),
    ({"child_name": "Ana", "age": 3, "strategy": "lipsync"}, ["child_name", "age", "strategy"]),
]


@pytest.mark.parametrize("change, fields", CHANGES, ids=[",".join(f) + str(i) for i, (_c, f) in enumerate(CHANGES)])
def test_the_same_order_id_with_other_fields_is_refused_naming_them(tmp_path, monkeypatch, orders_url, table,
                                                                     change, fields):
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SANTA_ORDERS_DB_URL", orders_url)
    client = TestClient(create_app(load_settings(), shared_secret=SECRET), headers={SECRET_HEADER: SECRET})
    assert client.post("/orders", json=ORDER).status_code == 201
    before = rows(table)
    answer = client.post("/orders", json={**ORDER, **change})
    assert answer.status_code == 409 and answer.json()["conflicting_fields"] == fields
    assert rows(table) == before
    assert client.post("/orders", json=ORDER).status_code == 200


def test_a_photo_counts_a_repeat_without_it_or_with_another_conflicts(tmp_path, monkeypatch, orders_url, table):
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SANTA_ORDERS_DB_URL", orders_url)
    client = TestClient(create_app(load_settings(), shared_secret=SECRET),
                        headers={SECRET_HEADER: SECRET, "accept": "application/json"})
    form = {"order_id": PHOTO_ORDER_ID, "child_name": "Emma", "age": "6", "language": "en"}
    assert client.post("/orders", data=form, files={"photo": ("a.png", photo("navy"), "image/png")}).status_code == 201
    stored = (tmp_path / "data" / "media" / "orders" / PHOTO_ORDER_ID / "photo.jpg").read_bytes()
    assert client.post("/orders", data=form, files={"photo": ("b.png", photo("navy"), "image/png")}).status_code == 200
    for files, expected in ((None, ["photo"]), ({"photo": ("c.png", photo("red"), "image/png")}, ["photo"])):
        answer = client.post("/orders", data=form, files=files)
        assert answer.status_code == 409 and answer.json()["conflicting_fields"] == expected
    assert (tmp_path / "data" / "media" / "orders" / PHOTO_ORDER_ID / "photo.jpg").read_bytes() == stored


def test_cli_submit_and_import_refuse_a_conflicting_order_and_queue_nothing(tmp_path, monkeypatch, orders_url, table,
                                                                             capsys):
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SANTA_ORDERS_DB_URL", orders_url)
    args = ["submit", "--order-id", ORDER["order_id"], "--name", "Zoë", "--age", "7", "--language", "es"]
    assert main(args) == 0
    capsys.readouterr()
    assert main([*args[:-1], "en"]) == 2
    assert f"order_id: {ORDER['order_id']} was already sent with a different language" in capsys.readouterr().err

    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ["order_id", "child_name", "age", "language"],
            ["", "Ana", "3", "es"],
            [ORDER["order_id"], "Zoë", "8", "es"],
        ])
    assert main(["import", str(path)]) == 2
    assert "row 3: order_id: " in capsys.readouterr().err
    assert [row["child_name"] for row in rows(table)] == ["Zoë"], "all or nothing: Ana was not queued either"
