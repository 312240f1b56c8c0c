"""Bursts never exceed the paid plans' concurrency: the intake sensor tags each run that will call a paid provider
with one of N slots from the environment, and the instance's run queue holds one live run per slot."""

import shutil

import dagster as dg
import yaml

from santa_videos.sensors.intake import intake_sensor
from santa_videos_tests.conftest import PROJECT_ROOT, make_order
from santa_videos_tests.fakes.pipeline import FAST_ENV


def sensor_tags(table, definitions, instance) -> dict[str, dict]:
    context = dg.build_sensor_context(instance=instance, resources={"orders": definitions.resources["orders"]})
    return {request.partition_key: request.tags for request in intake_sensor(context).run_requests}


def test_runs_that_call_a_paid_provider_carry_a_slot_tag(settings, table, instance, definitions, monkeypatch):
    monkeypatch.setenv("SANTA_PROVIDERS", FAST_ENV["SANTA_PROVIDERS"])
    monkeypatch.setenv("SANTA_ELEVENLABS_MAX_RUNS", "3")
    monkeypatch.setenv("SANTA_HIGGSFIELD_MAX_RUNS", "2")
    orders = [make_order(strategy=s) for s in ("lipsync", "template", "lipsync", "lipsync", "still")]
    table.add(orders)
    tags = sensor_tags(table, definitions, instance)
    seq = {o.order_id: table.get(o.order_id).seq for o in orders}
    for order in orders:
        run_tags = tags[order.order_id]
        assert run_tags["santa/elevenlabs"] == f"slot-{seq[order.order_id] % 3}"
        if order.strategy == "lipsync":
            assert run_tags["santa/higgsfield"] == f"slot-{seq[order.order_id] % 2}"
        else:
            assert "santa/higgsfield" not in run_tags
        assert "Emma" not in repr(run_tags)
    assert len({tags[o.order_id]["santa/higgsfield"] for o in orders if o.strategy == "lipsync"}) == 2


def test_the_embedded_default_tags_no_provider(settings, table, instance, definitions, monkeypatch):
    monkeypatch.delenv("SANTA_PROVIDERS", raising=False)
    order = make_order(strategy="lipsync")
    table.add([order])
    run_tags = sensor_tags(table, definitions, instance)[order.order_id]
    assert not [key for key in run_tags if key.startswith("santa/")]


def test_the_instance_queue_limits_one_run_per_provider_slot(tmp_path, monkeypatch):
    config = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())
    limits = {limit["key"]: limit for limit in config["run_queue"]["tag_concurrency_limits"]}
    for key in ("santa/elevenlabs", "santa/higgsfield"):
        assert limits[key] == {"key": key, "value": {"applyLimitPerUniqueValue": True}, "limit": 1}
    # The file loads as an instance and its queue has those limits.
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("SANTA_MAX_CONCURRENT_RUNS", "4")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        queue = instance.get_concurrency_config().run_queue_config
        loaded = {limit["key"] for limit in queue.tag_concurrency_limits}
        assert {"santa/elevenlabs", "santa/higgsfield", "dagster/partition"} <= loaded
