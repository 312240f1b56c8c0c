"""USE_JSON_LOGGING=true: a run logs one JSON object per line with time, level, order id, step, run id and message,
and no line carries the child's name."""

import json
import logging
from datetime import datetime

import dagster as dg
import pytest

from santa_videos.definitions import build_definitions
from santa_videos.logs import JsonLineFormatter, daemon_log_args
from santa_videos_tests.conftest import make_order

pytestmark = pytest.mark.unit

FIELDS = {"time", "level", "order_id", "step", "run_id", "job", "event", "logger", "message"}


@pytest.mark.integration
def test_a_run_logs_json_lines_with_the_order_id_and_no_name(instance, settings, table, monkeypatch, capfd):
    monkeypatch.setenv("USE_JSON_LOGGING", "true")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    order = make_order(child_name="Wilhelmina Quarrington", mentions=["you built a snow fort"])
    table.add([order])
    instance.add_dynamic_partitions("videos", [order.order_id])
    capfd.readouterr()
    result = build_definitions(settings).resolve_job_def("video_job").execute_in_process(
        instance=instance, partition_key=order.order_id, asset_selection=[dg.AssetKey("script")]
    )
    assert result.success
    lines = [line for line in capfd.readouterr().err.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert len(records) >= 10
    for record in records:
        assert set(record) == FIELDS
        assert record["run_id"] == result.run_id and record["order_id"] == order.order_id
        datetime.fromisoformat(record["time"])
    events = {record["event"] for record in records}
    assert {"STEP_START", "ASSET_MATERIALIZATION", "STEP_SUCCESS"} <= events
    assert {record["step"] for record in records if record["event"] == "STEP_SUCCESS"} == {"script"}
    assert not [line for line in lines if "Wilhelmina" in line or "Quarrington" in line or "snow fort" in line]


@pytest.mark.integration
def test_log_level_filters_and_text_is_the_default(instance, settings, table, monkeypatch, capfd):
    monkeypatch.delenv("USE_JSON_LOGGING", raising=False)
    monkeypatch.setenv("LOG_LEVEL", "INFO")
    order = make_order()
    table.add([order])
    instance.add_dynamic_partitions("videos", [order.order_id])
    capfd.readouterr()
    build_definitions(settings).resolve_job_def("video_job").execute_in_process(
        instance=instance, partition_key=order.order_id, asset_selection=[dg.AssetKey("script")]
    )
    err = capfd.readouterr().err
    # Dagster logs its step events at DEBUG: at INFO they are not printed, and nothing is JSON.
    assert "STEP_START" not in err and not [line for line in err.splitlines() if line.startswith("{")]


def test_lines_from_outside_a_run_find_the_order_id_in_their_message():
    record = logging.LogRecord("dagster.daemon.SensorDaemon", logging.WARNING, __file__, 1,
                               "order ord_01m8e5j7khr5pnpzqn5jxgzgfy is late", None, None)
    line = json.loads(JsonLineFormatter().format(record))
    assert (line["order_id"], line["level"], line["run_id"], line["step"]) == (
        "ord_01m8e5j7khr5pnpzqn5jxgzgfy", "WARNING", None, None)
    assert line["message"] == "order ord_01m8e5j7khr5pnpzqn5jxgzgfy is late"


def test_the_daemon_is_started_with_json_logs_when_asked(monkeypatch):
    monkeypatch.setenv("USE_JSON_LOGGING", "true")
    monkeypatch.setenv("LOG_LEVEL", "warning")
    assert daemon_log_args() == ["--log-format", "json", "--log-level", "warning"]
    monkeypatch.setenv("USE_JSON_LOGGING", "false")
    assert daemon_log_args()[:2] == ["--log-format", "colored"]
