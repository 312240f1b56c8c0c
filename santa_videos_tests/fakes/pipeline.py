"""Run the real assets against the fakes: a Dagster instance on SQLite in a temp dir, SANTA_PROVIDERS=real with
the providers' base URLs on loopback, short timeouts and pauses so faults play out in seconds."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from santa_videos.assets.audio import audio
from santa_videos.assets.clip import clip
from santa_videos.assets.script import script
from santa_videos.definitions import build_definitions
from santa_videos.media.clip_library import ensure_library, ensure_portrait
from santa_videos.orders import OrderTable, parse_order
from santa_videos.settings import load_settings
from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield, real_providers_env

FAST_ENV = {
    "SANTA_PROVIDERS": "real",
    "SANTA_PROVIDER_RETRY_BASE_SECONDS": "0.05",
    "SANTA_PROVIDER_RETRY_BUDGET_SECONDS": "20",
    "ELEVENLABS_TIMEOUT_SECONDS": "10",
    "HIGGSFIELD_READ_TIMEOUT_SECONDS": "10",
    "HIGGSFIELD_POLL_SECONDS": "0.05",
    "HIGGSFIELD_POLL_MAX_SECONDS": "0.1",
    "HIGGSFIELD_DEADLINE_SECONDS": "60",
}


def provider_env(voice: FakeElevenLabs, clips: FakeHiggsfield) -> dict[str, str]:
    return {**FAST_ENV, **real_providers_env(voice, clips)}


@dataclass
class PaidWorld:
    """One data folder, orders table and instance; `definitions()` reads the environment when called."""

    root: Path
    instance: dg.DagsterInstance
    table: OrderTable

    def definitions(self) -> dg.Definitions:
        return build_definitions(load_settings())

    def add_order(self, **fields) -> str:
        order = parse_order({"child_name": "Emma", "age": 6, "language": "en",
                             "mentions": ["you fed the birds every morning"], **fields})
        self.table.add([order])
        self.instance.add_dynamic_partitions("videos", [order.order_id])
        return order.order_id

    def run(self, order_id: str, full: bool = False, upto: str = "clip") -> dg.ExecuteInProcessResult:
        """Materialize script, audio and clip (or up to `upto`; or the whole video job) for the order, in process."""
        definitions = self.definitions()
        if full:
            job = definitions.resolve_job_def("video_job")
            return job.execute_in_process(instance=self.instance, partition_key=order_id, raise_on_error=False)
        assets = [script, audio, clip][: ["script", "audio", "clip"].index(upto) + 1]
        return dg.materialize(
            assets, instance=self.instance, partition_key=order_id,
            resources=definitions.resources, raise_on_error=False,
        )

    def metadata(self, result: dg.ExecuteInProcessResult, asset: str) -> dict:
        (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(asset)]
        return {key: value.value for key, value in event.materialization.metadata.items()}

    def failure(self, result: dg.ExecuteInProcessResult, step: str) -> str:
        """The failed step's error message (what the run-failure sensor stores on the order)."""
        (event,) = [e for e in result.all_events if e.is_step_failure and e.step_key == step]
        error = event.step_failure_data.error
        while error.cause is not None:
            error = error.cause
        return error.message

    def media_file(self, order_id: str, name: str) -> Path:
        return load_settings().media_dir / "orders" / order_id / name


@pytest.fixture
def fakes():
    with FakeElevenLabs() as voice, FakeHiggsfield() as clips:
        yield voice, clips


@pytest.fixture(scope="session")
def template_library(tmp_path_factory) -> Path:
    """The template clip library, rendered once per test session and copied into each test's data folder."""
    scene = tmp_path_factory.mktemp("scene")
    ensure_library(scene, timeout=300)
    ensure_portrait(scene)
    return scene


@pytest.fixture
def world(tmp_path, monkeypatch, fakes, template_library):
    """A PaidWorld wired to `fakes` (import the fixtures `fakes`, `world` and `template_library` to use it)."""
    shutil.copytree(template_library, tmp_path / "data" / "media" / "scene")
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SANTA_ORDERS_DB_URL", raising=False)
    for name, value in provider_env(*fakes).items():
        monkeypatch.setenv(name, value)
    table = OrderTable(load_settings().orders_db_url)
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        yield PaidWorld(tmp_path, instance, table)
    table.dispose()
