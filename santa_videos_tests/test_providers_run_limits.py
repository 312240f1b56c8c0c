"""Bursts never exceed the paid plans' concurrency, however a run was launched: the steps that call a paid provider
take a slot of its concurrency pool (`audio`: elevenlabs, `clip`: higgsfield), every video step has the step
retry policy, and the intake sensor puts the pools' limits from the environment into the instance."""

import shutil

import dagster as dg
import pytest
import yaml

from santa_videos.jobs import VIDEO_ASSETS
from santa_videos.sensors.run_status import order_status_sensor
from santa_videos_tests.conftest import PROJECT_ROOT
from santa_videos_tests.fakes.pipeline import FAST_ENV

pytestmark = pytest.mark.unit


def tick(instance, monkeypatch, **env) -> dict[str, int]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    order_status_sensor(dg.build_sensor_context(instance=instance))
    return {pool.name: pool.limit for pool in instance.event_log_storage.get_pool_limits()}


def test_the_provider_steps_take_pool_slots_and_every_step_has_the_retry_policy(definitions):
    pools = {asset.key.to_user_string(): definitions.resolve_assets_def(asset.key).op.pool for asset in VIDEO_ASSETS}
    assert pools == {"script": None, "audio": "elevenlabs", "clip": "higgsfield", "video": None, "delivery": None}
    # What the UI launches for a partition is an asset selection of the same assets, so it has what they have.
    ui_job = definitions.resolve_implicit_global_asset_job_def()
    for asset in VIDEO_ASSETS:
        assert ui_job.graph.node_named(asset.key.to_user_string()).definition.retry_policy.max_retries == 2
    assert ui_job.executor_def.name == "in_process"


def test_the_status_sensor_keeps_the_pool_limits_from_the_environment(settings, instance, monkeypatch):
    real = {"SANTA_PROVIDERS": FAST_ENV["SANTA_PROVIDERS"]}
    limits = tick(instance, monkeypatch, **real, SANTA_ELEVENLABS_MAX_RUNS="3", SANTA_HIGGSFIELD_MAX_RUNS="2")
    assert limits == {"elevenlabs": 3, "higgsfield": 2}
    assert tick(instance, monkeypatch, **real, SANTA_HIGGSFIELD_MAX_RUNS="1") == {"elevenlabs": 3, "higgsfield": 1}
    # Without the paid providers their pools have no limit (no slot is ever waited for).
    monkeypatch.delenv("SANTA_PROVIDERS")
    assert tick(instance, monkeypatch) == {}


def test_the_instance_files_load_without_run_tag_limits_for_the_providers(tmp_path, monkeypatch):
    for source in (PROJECT_ROOT / "dagster.yaml", PROJECT_ROOT / "deploy" / "dagster.postgres.yaml"):
        config = yaml.safe_load(source.read_text())
        keys = {limit["key"] for limit in config["run_queue"]["tag_concurrency_limits"]}
        assert keys == {"dagster/partition"}, source
        assert "concurrency" not in config, "a concurrency block would rule out max_concurrent_runs from the environment"
        assert config["run_monitoring"]["free_slots_after_run_end_seconds"] > 0
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("SANTA_MAX_CONCURRENT_RUNS", "4")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 4
        assert instance.event_log_storage.supports_global_concurrency_limits
