import os
from pathlib import Path

import dagster as dg
import pytest

from santa_videos.definitions import build_definitions
from santa_videos.orders import OrderTable, parse_order
from santa_videos.settings import Settings, load_settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
AWKWARD_NAME = "Zoë O'Brien-Núñez"
AWKWARD_MENTION = '100% "nice": shares {toys}, %{localtime} \\ [always]'


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    """Settings pointing at a private data folder and orders database under the test's temp dir."""
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SANTA_ORDERS_DB_URL", raising=False)
    return load_settings()


@pytest.fixture
def table(settings) -> OrderTable:
    table = OrderTable(settings.orders_db_url)
    yield table
    table.dispose()


@pytest.fixture
def instance(tmp_path):
    """A real Dagster instance on SQLite in the test's temp dir."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        yield instance


@pytest.fixture
def definitions(settings) -> dg.Definitions:
    return build_definitions(settings)


def make_order(**overrides):
    fields = {"child_name": "Emma", "age": 6, "language": "en", "mentions": ["you fed the birds every morning"]}
    fields.update(overrides)
    return parse_order(fields)


def subprocess_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANTA_", "DAGSTER_"))}
    env.update(extra)
    return env
