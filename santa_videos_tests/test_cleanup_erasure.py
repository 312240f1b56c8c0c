"""`santa-videos forget`: after it, a canary child's name and photo are found nowhere, in no file of the data folder,
the audio cache, the orders database, the Dagster database or its compute logs; another order is left as it was."""

import hashlib
import io
import random
import subprocess
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.utils import make_new_run_id
from PIL import Image

from santa_videos.cli import main
from santa_videos.cli.forget import ERASED_NOTE
from santa_videos.daemon_harness import BIN
from santa_videos.definitions import build_definitions
from santa_videos.media.photo_card import PHOTO_FILE
from santa_videos.resources.audio_cache import open_audio_cache
from santa_videos.resources.media_store import media_store
from santa_videos.script.lines import speech_plan, write_script
from santa_videos.settings import load_operations_settings
from santa_videos_tests.conftest import PROJECT_ROOT, make_order, subprocess_env
from santa_videos_tests.s3 import store_env  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

CANARIES = ["Quintessa", "Vandermolen", "Kwintessa", "zorbleflax"]


def render(instance, definitions, order_id: str) -> None:
    instance.add_dynamic_partitions("videos", [order_id])
    result = definitions.resolve_job_def("video_job").execute_in_process(
        instance=instance, partition_key=order_id, raise_on_error=False
    )
    assert result.success


def files_mentioning(root: Path, words: list[str | bytes]) -> dict[str, list]:
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits = [word for word in words if (word if isinstance(word, bytes) else word.encode("utf-8")) in data]
            if hits:
                found[str(path.relative_to(root))] = hits
    return found


@pytest.mark.slow
def test_forget_leaves_the_canary_name_nowhere(instance, settings, table, tmp_path, store_env):
    """On either media store: the S3 server's files are under the test's folder too, so they are searched."""
    definitions = build_definitions(settings)
    media = media_store()
    canary = make_order(child_name="Quintessa Vandermolen", phonetic_name="Kwintessa Vandermolen",
                        mentions=["you flew the zorbleflax kite with your sister"], age=0, strategy="template")
    bystander = make_order(child_name="Bartholomew", mentions=["you planted a pear tree"])
    # The canary's photo, stored as the intake stores it; a slice of its bytes is a canary too.
    picture = io.BytesIO()
    Image.frombytes("RGB", (64, 64), random.Random(7).randbytes(64 * 64 * 3)).save(picture, "JPEG", quality=95)
    photo = picture.getvalue()
    canaries = [*CANARIES, photo[600:640]]
    table.add([canary], photo_sha256=hashlib.sha256(photo).hexdigest())
    media.publish_bytes(canary.order_id, PHOTO_FILE, photo)
    table.accept_photo_order(canary.order_id)
    table.add([bystander])
    render(instance, definitions, canary.order_id)
    instance.add_dynamic_partitions("videos", [bystander.order_id])
    media.publish_bytes(bystander.order_id, "script.json", b'["Ho ho ho, Bartholomew!"]')
    assert files_mentioning(tmp_path, canaries), "the canary should be somewhere before it is forgotten"
    if store_env:
        assert files_mentioning(store_env.data, canaries), "the bucket holds the photo, script, timings and speech"
    operations = load_operations_settings()
    cache = open_audio_cache(media, operations.audio_cache_dir, operations.audio_cache_max_bytes, settings.orders_db_url)
    assert cache.entries()

    env = subprocess_env(DAGSTER_HOME=str(tmp_path / "dagster_home"), SANTA_DATA_DIR=str(settings.data_dir),
                         **(store_env.media_env() if store_env else {}))
    done = subprocess.run([str(BIN / "santa-videos"), "forget", canary.order_id], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{canary.order_id}  erased:")

    table.dispose()  # read the database files as they are on disk
    assert files_mentioning(tmp_path, canaries) == {}
    assert media.stat(canary.order_id, PHOTO_FILE) is None
    record = table.get(canary.order_id)
    assert (record.child_name, record.phonetic_name, record.mentions) == (None, None, [])
    assert record.status == "delivered" and record.erased_at is not None
    assert instance.get_runs(dg.RunsFilter(tags={"dagster/partition": canary.order_id})) == []
    assert not instance.has_dynamic_partition("videos", canary.order_id)

    kept = table.get(bystander.order_id)
    assert kept.child_name == "Bartholomew" and kept.erased_at is None
    assert media.stat(bystander.order_id, "script.json") is not None
    # Only the shared sentences stay: every order says them, they hold nothing of any child.
    said = write_script(canary.order_id, canary.child_name, canary.spoken_name, canary.age, canary.language,
                        canary.mentions)
    assert len(cache.entries()) == len({s.text for s in speech_plan(said, canary.language) if s.shared})
    assert instance.has_dynamic_partition("videos", bystander.order_id)


def test_forget_says_so_for_an_unknown_order(settings, tmp_path):
    (tmp_path / "home").mkdir()
    env = subprocess_env(DAGSTER_HOME=str(tmp_path / "home"), SANTA_DATA_DIR=str(settings.data_dir))
    done = subprocess.run([str(BIN / "santa-videos"), "forget", "ord_01m8e5j7khr5pnpzqn5jxgzgfy"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 1
    assert "no order with id ord_01m8e5j7khr5pnpzqn5jxgzgfy" in done.stderr


def test_forget_stops_a_waiting_order_and_refuses_while_a_run_is_live(instance, settings, table, tmp_path,
                                                                       monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("SANTA_MAX_CONCURRENT_RUNS", "2")
    waiting, busy = make_order(child_name="Leopoldine"), make_order(child_name="Maximilian")
    table.add([waiting, busy])
    live = dg.DagsterRun(job_name="video_job", run_id=make_new_run_id(), status=dg.DagsterRunStatus.STARTED,
                         tags={"dagster/partition": busy.order_id})
    instance.add_run(live)

    assert main(["forget", waiting.order_id]) == 0
    record = table.get(waiting.order_id)
    assert (record.status, record.child_name, record.mentions) == ("failed", None, [])
    assert record.last_error == ERASED_NOTE  # the intake sensor only picks queued orders: it is never rendered

    assert main(["forget", busy.order_id]) == 1
    assert f"has a queued or running run ({live.run_id})" in capsys.readouterr().err
    assert table.get(busy.order_id).child_name == "Maximilian"
