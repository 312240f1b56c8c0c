"""Honest deadlines: the pace the estimates use (the last hour's deliveries, else the capacity), and a deadline no
queue could meet refused at the intake, naming the earliest time that could be met. On SQLite and PostgreSQL."""

import json
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from santa_videos.cli import main
from santa_videos.assets.metrics import pipeline_metrics
from santa_videos.definitions import build_definitions
from santa_videos.intake_http import create_app
from santa_videos.metrics import collect_metrics
from santa_videos.orders import OrderTable, estimates, parse_order
from santa_videos.orders.estimates import MIN_DELIVERIES_PER_HOUR, Pace, read_pace
from santa_videos.orders.table import orders
from santa_videos.sensors.deadlines import deadlines_sensor, no_order_at_risk
from santa_videos.settings import load_settings
from santa_videos_tests.postgres import STORAGES, orders_database

pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

NOW = datetime(2026, 12, 20, 12, 0, tzinfo=timezone.utc)
CHECK_KEY = dg.AssetCheckKey(dg.AssetKey("pipeline_metrics"), "no_order_at_risk")


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


def delivered(table: OrderTable, at: datetime, render_seconds: float, startup_seconds: float = 10) -> None:
    order = parse_order({"child_name": "Emma", "age": 6, "language": "en"})
    table.add([order])
    received = at - timedelta(seconds=render_seconds + startup_seconds)
    with table.engine.begin() as conn:
        conn.execute(orders.update().where(orders.c.order_id == order.order_id).values(
            status="delivered", created_at=received, delivered_at=at, render_seconds=render_seconds))


def test_without_deliveries_the_pace_is_the_expected_render_time_at_full_capacity(table):
    pace = read_pace(table, concurrency=2, expected_render_seconds=120, now=NOW)
    assert pace == Pace(render_seconds=120, seconds_per_video=60, deliveries_last_hour=0, measured=False)


def test_a_quiet_hour_uses_the_measured_render_time_at_full_capacity(table):
    for minutes, seconds, waited in ((10, 80, 30), (20, 100, 12), (300, 90, 50)):  # the last is over an hour old
        delivered(table, NOW - timedelta(minutes=minutes), seconds, waited)
    pace = read_pace(table, concurrency=2, expected_render_seconds=120, now=NOW)
    assert (pace.render_seconds, pace.seconds_per_video, pace.deliveries_last_hour, pace.measured) == (90, 45, 2, False)
    assert pace.startup_seconds == 12, "the least an order waited besides its render"


def test_a_busy_hour_uses_the_measured_throughput(table):
    for minute in range(12):
        delivered(table, NOW - timedelta(minutes=5 * minute), 100)
    pace = read_pace(table, concurrency=2, expected_render_seconds=120, now=NOW)
    assert pace.measured and pace.deliveries_last_hour == 12 >= MIN_DELIVERIES_PER_HOUR
    assert pace.seconds_per_video == 300  # 12 an hour
    # The 1st to be delivered needs the start-up and one render; the 10th also waits for nine deliveries before it.
    assert pace.ready_at(1, NOW) == NOW + timedelta(seconds=10 + 300)
    assert pace.ready_at(10, NOW) == NOW + timedelta(seconds=10 + 3000)
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


@pytest.fixture
def queue(table, monkeypatch):
    """Before any delivery a video takes 600 s and two render at once: 300 s a video. One order rendering for 100 s
    already, three waiting: `first` arrived after `second` but is due sooner, so it is first in line."""
    monkeypatch.setenv("SANTA_EXPECTED_RENDER_SECONDS", "600")
    monkeypatch.setenv("SANTA_MAX_CONCURRENT_RUNS", "2")
    now = datetime.now(timezone.utc)
    made = {
        name: parse_order({"child_name": "Emma", "age": 6, "language": "en",
                           **({"deadline": (now + timedelta(seconds=due)).isoformat()} if due else {})})
        for name, due in (("rendering", 400), ("second", 850), ("first", 700), ("third", None))
    }
    table.add(list(made.values()))
    with table.engine.begin() as conn:
        conn.execute(orders.update().where(orders.c.order_id == made["rendering"].order_id)
                     .values(status="rendering", updated_at=now - timedelta(seconds=100)))
    return {name: order.order_id for name, order in made.items()}, now


def seconds_from(now: datetime, stamp: str) -> float:
    return (datetime.fromisoformat(stamp.replace("Z", "+00:00")) - now).total_seconds()


def test_status_shows_each_orders_estimated_ready_time_place_and_risk(queue, capsys):
    ids, now = queue
    assert main(["status", "--json", *ids.values()]) == 0
    shown = {row["order_id"]: row for row in json.loads(capsys.readouterr().out)}
    expected = {  # name: (place, seconds from now, at risk)
        "rendering": (None, 500, True),   # started 100 s ago, 600 s a video; due in 400 s
        "first": (1, 600, False),         # the 2nd delivery from now; never sooner than one video
        "second": (2, 900, True),         # the 3rd delivery: 900 s; due in 850 s
        "third": (3, 1200, False),        # no deadline, never at risk
    }
    for name, (place, seconds, at_risk) in expected.items():
        row = shown[ids[name]]
        assert (row["place_in_queue"], row["at_risk"]) == (place, at_risk), name
        assert abs(seconds_from(now, row["estimated_ready_at"]) - seconds) < 5, name
    assert main(["status", ids["second"]]) == 0
    assert "AT RISK: deadline " in capsys.readouterr().out


def test_the_customer_sees_the_estimated_ready_time(queue):
    ids, now = queue
    client = TestClient(create_app(load_settings()))
    answer = client.get(f"/orders/{ids['first']}").json()
    assert abs(seconds_from(now, answer["estimated_ready_at"]) - 600) < 5
    assert "at_risk" not in answer, "whether a deadline is at risk is for the operator"
    page = client.get(f"/orders/{ids['first']}", headers={"accept": "text/html"}).text
    assert f'datetime="{answer["estimated_ready_at"]}"' in page and "Santa expects it to be ready by" in page


def test_at_risk_orders_are_counted_by_metrics_and_listed_by_the_asset_check(queue, instance):
    ids, _now = queue
    at_risk = [ids["rendering"], ids["second"]]  # soonest due first
    table = OrderTable(load_settings().orders_db_url)
    assert estimates.at_risk_orders(table) == at_risk
    figures = collect_metrics(instance, table, {}, {})
    assert (figures.orders_at_risk, figures.at_risk_order_ids) == (2, at_risk)
    table.dispose()

    resources = build_definitions(load_settings()).resources
    # Executed from the UI: the check fails and names the orders (ids only).
    check_job = dg.define_asset_job("check", selection=dg.AssetSelection.checks(no_order_at_risk))
    checks = dg.Definitions(assets=[pipeline_metrics], asset_checks=[no_order_at_risk], jobs=[check_job],
                            resources=resources)
    (evaluation,) = checks.resolve_job_def("check").execute_in_process(instance=instance).get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.metadata["at_risk_order_ids"].value == at_risk
    assert "Emma" not in json.dumps(evaluation.metadata["at_risk_order_ids"].value)

    # Kept current by deadlines_sensor without a run: recorded when the orders at risk change, not on every tick.
    runs = len(instance.get_runs())
    context = dg.build_sensor_context(instance=instance, resources={"orders": resources["orders"]})
    assert deadlines_sensor(context).skip_message == "recorded: 2 orders at risk"
    assert deadlines_sensor(context).skip_message == "2 orders at risk, as last recorded"
    assert len(instance.get_runs()) == runs
    (latest,) = instance.event_log_storage.get_asset_check_execution_history(CHECK_KEY, limit=1)
    recorded = latest.event.dagster_event.event_specific_data
    assert (recorded.passed, recorded.metadata["at_risk_order_ids"].value) == (False, at_risk)


def test_the_place_in_the_queue_follows_the_intake_order_whatever_its_columns(table, monkeypatch):
    """Places are counted with a row comparison on table.INTAKE_ORDER, so an intake order on a time column first
    (as earliest-due-first is) is followed as it is, on SQLite and PostgreSQL alike."""
    monkeypatch.setattr(estimates, "INTAKE_ORDER", (orders.c.created_at, orders.c.seq))
    made = [parse_order({"child_name": "Emma", "age": 6, "language": "en"}) for _ in range(3)]
    table.add(made)
    base = datetime.now(timezone.utc)
    for order, minutes in zip(made, (30, 10, 20)):  # arrival order differs from the intake order
        with table.engine.begin() as conn:
            conn.execute(orders.update().where(orders.c.order_id == order.order_id)
                         .values(created_at=base - timedelta(minutes=minutes)))
    places = [estimates.estimate(table, table.get(order.order_id)).place for order in made]
    assert places == [1, 3, 2]
