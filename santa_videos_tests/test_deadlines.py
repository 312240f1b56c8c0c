"""Honest deadlines: the pace the estimates use (the last hour's deliveries, else the capacity), and a deadline no
queue could meet refused at the intake, naming the earliest time that could be met. On SQLite and PostgreSQL."""

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from santa_videos.cli import main
from santa_videos.intake_http import create_app
from santa_videos.orders import OrderTable, estimates, parse_order
from santa_videos.orders.estimates import MIN_DELIVERIES_PER_HOUR, Pace, read_pace
from santa_videos.orders.table import orders
from santa_videos.settings import load_settings
from santa_videos_tests.postgres import STORAGES, orders_database

pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

NOW = datetime(2026, 12, 20, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fresh_pace(monkeypatch):
    """Each process keeps the pace for half a minute: a test that changes it starts from none."""
    monkeypatch.setattr(estimates, "_caches", {})


@pytest.fixture(params=STORAGES)
def orders_url(request, tmp_path, monkeypatch):
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    with orders_database(request.param, tmp_path / "data", "deadlines") as url:
        monkeypatch.setenv("SANTA_ORDERS_DB_URL", url)
        yield url


@pytest.fixture
def table(orders_url):
    table = OrderTable(orders_url)
    yield table
    table.dispose()


def delivered(table: OrderTable, at: datetime, render_seconds: float) -> None:
    order = parse_order({"child_name": "Emma", "age": 6, "language": "en"})
    table.add([order])
    with table.engine.begin() as conn:
        conn.execute(orders.update().where(orders.c.order_id == order.order_id)
                     .values(status="delivered", delivered_at=at, render_seconds=render_seconds))


def test_without_deliveries_the_pace_is_the_expected_render_time_at_full_capacity(table):
    pace = read_pace(table, concurrency=2, expected_render_seconds=120, now=NOW)
    assert pace == Pace(render_seconds=120, seconds_per_video=60, deliveries_last_hour=0, measured=False)


def test_a_quiet_hour_uses_the_measured_render_time_at_full_capacity(table):
    for minutes, seconds in ((10, 80), (20, 100), (300, 90)):  # the last one is older than an hour
        delivered(table, NOW - timedelta(minutes=minutes), seconds)
    pace = read_pace(table, concurrency=2, expected_render_seconds=120, now=NOW)
    assert (pace.render_seconds, pace.seconds_per_video, pace.deliveries_last_hour, pace.measured) == (90, 45, 2, False)


def test_a_busy_hour_uses_the_measured_throughput(table):
    for minute in range(12):
        delivered(table, NOW - timedelta(minutes=5 * minute), 100)
    pace = read_pace(table, concurrency=2, expected_render_seconds=120, now=NOW)
    assert pace.measured and pace.deliveries_last_hour == 12 >= MIN_DELIVERIES_PER_HOUR
    assert pace.seconds_per_video == 300  # 12 an hour
    # The 1st to be delivered needs one render; the 10th waits for nine deliveries before it, at 300 s each.
    assert pace.ready_at(1, NOW) == NOW + timedelta(seconds=300)
    assert pace.ready_at(10, NOW) == NOW + timedelta(seconds=3000)
    assert Pace(100, 10, 0, False).ready_at(3, NOW) == NOW + timedelta(seconds=100), "never sooner than one render"


def in_minutes(minutes: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).isoformat()


def test_the_cli_refuses_a_deadline_no_queue_could_meet_and_names_the_earliest(table, capsys, monkeypatch):
    monkeypatch.setenv("SANTA_EXPECTED_RENDER_SECONDS", "600")
    args = ["submit", "--name", "Emma", "--age", "6", "--language", "en", "--order-id", "ord_01m8q5v3c8k9t2x7w4n6p0r1w3"]
    assert main([*args, "--deadline", in_minutes(5)]) == 2
    err = capsys.readouterr().err
    assert "deadline: cannot be met even with no other order waiting; the earliest it could be ready is " in err
    earliest = datetime.fromisoformat(err.split("ready is ")[1].split()[0].replace("Z", "+00:00"))
    assert timedelta(minutes=10) <= earliest - datetime.now(timezone.utc) <= timedelta(minutes=12)
    assert table.existing_ids(["ord_01m8q5v3c8k9t2x7w4n6p0r1w3"]) == set()

    assert main([*args, "--deadline", earliest.isoformat()]) == 0, "the time it named is accepted"
    capsys.readouterr()
    monkeypatch.setenv("SANTA_EXPECTED_RENDER_SECONDS", "3600")
    monkeypatch.setattr(estimates, "_caches", {})
    assert main([*args, "--deadline", earliest.isoformat()]) == 0, "a retry of a queued order is no new promise"
    assert "already queued" in capsys.readouterr().err


def test_the_http_intake_and_the_csv_import_refuse_it_too(table, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SANTA_EXPECTED_RENDER_SECONDS", "600")
    client = TestClient(create_app(load_settings()), client=("203.0.113.5", 40000))
    answer = client.post("/orders", json={"child_name": "Emma", "age": 6, "language": "en", "deadline": in_minutes(3)})
    assert answer.status_code == 422
    assert answer.json()["errors"][0].startswith("deadline: cannot be met even with no other order waiting")
    assert client.post("/orders", json={"child_name": "Emma", "age": 6, "language": "en",
                                        "deadline": in_minutes(60)}).status_code == 201

    path = tmp_path / "orders.csv"
    path.write_text(f"child_name,age,language,deadline\nAna,3,es,{in_minutes(90)}\nLuis,4,es,{in_minutes(2)}\n")
    assert main(["import", str(path)]) == 2
    assert "row 3: deadline: cannot be met" in capsys.readouterr().err
    with table.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(orders)).scalar_one() == 1, "all or nothing"
