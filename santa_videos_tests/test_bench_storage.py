"""The bench on PostgreSQL: the instance file it writes keeps everything of the one under test but the storage."""

import pytest
import yaml

from bench.storage import BenchStorage, postgres_instance_yaml
from santa_videos_tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.unit


def test_postgres_instance_file_moves_only_the_storage():
    original = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())
    written = yaml.safe_load(postgres_instance_yaml(PROJECT_ROOT / "dagster.yaml", "postgresql+psycopg2://u@h/db"))
    assert written["storage"] == {"postgres": {"postgres_url": "postgresql+psycopg2://u@h/db"}}
    assert {k: v for k, v in written.items() if k != "storage"} == {k: v for k, v in original.items() if k != "storage"}
    assert written["run_queue"]["max_concurrent_runs"] == {"env": "SANTA_MAX_CONCURRENT_RUNS"}


def test_sqlite_storage_keeps_the_instance_file_and_creates_no_database(tmp_path):
    with BenchStorage("sqlite") as storage:
        chosen = storage.for_instance(tmp_path, PROJECT_ROOT / "dagster.yaml")
        assert chosen.instance_yaml == PROJECT_ROOT / "dagster.yaml" and chosen.env == {}
        assert storage.dagster_overrides() == ({}, None)
    with pytest.raises(ValueError):
        BenchStorage("mysql")
