"""An order goes in, the sensor requests its run, the run renders and delivers an MP4 that meets the spec."""

import json
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from santa_videos.definitions import build_definitions
from santa_videos.orders import OrderTable
from santa_videos.resources.encoder import VideoEncoder
from santa_videos.resources.media_store import media_store
from santa_videos.settings import load_settings, load_storage_settings
from santa_videos.sensors.intake import intake_sensor
from santa_videos.sensors.run_status import order_status_sensor
from santa_videos_tests.conftest import AWKWARD_MENTION, AWKWARD_NAME, make_order
from santa_videos_tests.media_checks import box_order, ffprobe, wav_seconds
from santa_videos_tests.postgres import storage
from santa_videos_tests.s3 import S3Server

pytestmark = pytest.mark.integration


def run_through_sensor(instance, definitions, order_id):
    """What the daemon does with one tick: add the partitions, then launch the requested run (here in process)."""
    result = intake_sensor(dg.build_sensor_context(instance=instance))
    requests = [r for r in result.run_requests if r.partition_key == order_id]
    assert len(requests) == 1
    for partitions in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(partitions.partitions_def_name, list(partitions.partition_keys))
    job = definitions.resolve_job_def("video_job")
    return job.execute_in_process(
        instance=instance, partition_key=requests[0].partition_key, tags=requests[0].tags, raise_on_error=False
    )


@contextmanager
def storage_and_media(kind: str, root):
    """(Dagster instance overrides, orders table URL, media store environment) for "DATABASE[+s3]": media in the
    data folder, or in a bucket of a real S3 server."""
    database, _, media = kind.partition("+")
    with storage(database) as (overrides, orders_url):
        if media != "s3":
            yield overrides, orders_url, {}
            return
        with S3Server(root / "s3") as server:
            yield overrides, orders_url, server.media_env()


@pytest.fixture(scope="module", params=["sqlite", "postgresql+s3", "sqlite+s3"])
def world(tmp_path_factory, request):
    """One instance, orders table and data folder shared by the tests that inspect the same delivered order, on
    SQLite or PostgreSQL, with the media on this machine's disk or in a bucket. The bucket worlds encode with the
    suite's faster preset; the local one keeps the product's default."""
    root = tmp_path_factory.mktemp("world")
    with pytest.MonkeyPatch.context() as patch, storage_and_media(request.param, root) as (overrides, orders_url, media_env):
        patch.setenv("SANTA_DATA_DIR", str(root / "data"))
        if not media_env:
            patch.delenv("SANTA_X264_PRESET", raising=False)  # the product's default encode
        for name in ("SANTA_ORDERS_DB_URL", "SANTA_MEDIA_URL"):
            patch.delenv(name, raising=False)
        if orders_url:
            patch.setenv("SANTA_ORDERS_DB_URL", orders_url)
        for name, value in media_env.items():
            patch.setenv(name, value)
        settings = load_settings()
        table = OrderTable(settings.orders_db_url)
        (root / "dagster_home").mkdir()
        with dg.instance_for_test(temp_dir=str(root / "dagster_home"), overrides=overrides) as instance:
            yield instance, build_definitions(settings), settings, table
        table.dispose()


def stored(key: str, tmp_path) -> Path:
    """A file of the media store on this machine: in place, or downloaded."""
    backend = media_store().backend()
    if backend.local_path(key):
        return backend.local_path(key)
    assert backend.get_file(key, tmp_path / Path(key).name), f"{key} is not in the store"
    return tmp_path / Path(key).name


@pytest.fixture(scope="module")
def delivered(world):
    instance, definitions, settings, table = world
    order = make_order(child_name=AWKWARD_NAME, phonetic_name="Zoey O'Brien", language="es", mentions=[AWKWARD_MENTION])
    table.add([order])
    result = run_through_sensor(instance, definitions, order.order_id)
    return order, result


def test_an_order_is_delivered_as_a_spec_conforming_mp4(delivered, world, tmp_path):
    instance, _, settings, table = world
    order, result = delivered
    assert result.success
    record = table.get(order.order_id)
    assert record.status == "delivered" and record.attempts == 1 and record.last_error is None
    assert record.video_path == media_store().delivery_location(order.order_id)
    video = stored(f"deliveries/{order.order_id}.mp4", tmp_path)
    assert stored(f"deliveries/{order.order_id}.jpg", tmp_path).stat().st_size > 0

    probed = ffprobe(video)
    (v,) = [s for s in probed["streams"] if s["codec_type"] == "video"]
    (a,) = [s for s in probed["streams"] if s["codec_type"] == "audio"]
    assert (v["codec_name"], v["profile"], v["level"], v["pix_fmt"]) == ("h264", "High", 40, "yuv420p")
    assert (v["width"], v["height"]) == (1280, 720)
    assert (a["codec_name"], a["sample_rate"]) == ("aac", "48000")
    boxes = box_order(video)
    assert boxes.index("moov") < boxes.index("mdat"), boxes
    audio_seconds = wav_seconds(stored(f"media/orders/{order.order_id}/audio.wav", tmp_path))
    assert audio_seconds > 5
    assert abs(float(probed["format"]["duration"]) - audio_seconds) <= 0.5

    check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [dg.AssetCheckKey(dg.AssetKey("video"), "meets_delivery_spec")]
    )
    evaluation = next(iter(check.values()))
    assert evaluation.status.value == "SUCCEEDED"


def test_a_delivered_order_leaves_no_scratch_folder_without_help_from_a_sensor(delivered, world):
    _, _, settings, _ = world
    order, result = delivered
    assert result.success
    assert (settings.media_dir / "tmp").is_dir(), "the steps worked in no scratch folder: nothing was checked"
    assert not (settings.media_dir / "tmp" / order.order_id).exists()


def test_each_asset_reports_what_served_it(delivered, world):
    instance = world[0]
    order, _ = delivered

    def metadata(asset):
        event = instance.get_latest_materialization_event(dg.AssetKey(asset))
        assert event.dagster_event.partition == order.order_id
        return {k: v.value for k, v in event.asset_materialization.metadata.items()}

    assert metadata("script")["language"] == "es" and metadata("script")["mentions"] == 1
    audio = metadata("audio")
    assert (audio["provider"], audio["voice"], audio["sample_rate"]) == ("espeak-ng", "es+m3", 48000)
    assert audio["characters"] > 50
    clip = metadata("clip")
    assert (clip["provider"], clip["strategy_requested"], clip["strategy"]) == ("local-ffmpeg", "template", "template")
    video = metadata("video")
    assert video["size_bytes"] > 10_000 and video["encode_s"] > 0
    assert metadata("delivery")["path"].endswith(f"{order.order_id}.mp4")


def test_captions_keep_the_awkward_text_literally(delivered, tmp_path):
    order, _ = delivered
    cues = json.loads(stored(f"media/orders/{order.order_id}/cues.json", tmp_path).read_text(encoding="utf-8"))
    texts = [cue["text"] for cue in cues["cues"]]
    script = json.loads(stored(f"media/orders/{order.order_id}/script.json", tmp_path).read_text(encoding="utf-8"))
    assert texts[0] == script[0]["caption"] and AWKWARD_NAME in texts[0]
    assert any(f"«{AWKWARD_MENTION}»" in text for text in texts), "the mention is quoted as the parent wrote it"
    assert all(b["start"] >= a["end"] for a, b in zip(cues["cues"], cues["cues"][1:]))


def test_no_personal_data_reaches_the_dagster_instance(delivered, world):
    instance = world[0]
    secrets = ["Zoë", "Zoey", "O'Brien", "Núñez", "localtime", "shares {toys}"]
    for run in instance.get_runs():
        for text in (json.dumps(run.tags), json.dumps(run.run_config)):
            assert not [s for s in secrets if s in text]
        for record in instance.all_logs(run.run_id):
            text = dg.serialize_value(record)
            assert not [s for s in secrets if s in text], text[:300]
        manager = instance.compute_log_manager
        for step in ("script", "audio", "clip", "video", "delivery"):
            for io_type in ("stdout", "stderr"):
                log = manager.get_log_data([run.run_id, "compute_logs", step])
                text = ((log.stdout or b"") + (log.stderr or b"")).decode("utf-8", "replace") if log else ""
                assert not [s for s in secrets if s in text]


def test_a_failed_last_attempt_marks_the_order_failed_with_step_and_reason(instance, settings, table):
    broken = build_definitions(settings, encoder=VideoEncoder(preset="no-such-preset"))
    order = make_order()
    table.add([order])
    result = run_through_sensor(instance, broken, order.order_id)
    assert not result.success
    assert not (settings.deliveries_dir / f"{order.order_id}.mp4").exists()
    leftovers = [p.name for p in (settings.media_dir / "orders" / order.order_id).iterdir() if ".partial-" in p.name]
    assert leftovers == []

    run = instance.get_run_by_id(result.run_id)
    # The status sensor reads run ends from the event log's run-status index (its own storage ids on SQLite).
    (failure,) = instance.fetch_run_status_changes(dg.DagsterEventType.RUN_FAILURE, limit=1).records

    def failure_sensor_sees_the_run(will_retry: str) -> None:
        instance.add_run_tags(run.run_id, {"dagster/will_retry": will_retry})
        context = dg.build_sensor_context(instance=instance, cursor=str(failure.storage_id - 1))
        order_status_sensor(context)
        assert int(context.cursor) >= failure.storage_id

    failure_sensor_sees_the_run(will_retry="true")
    assert table.get(order.order_id).status == "rendering", "an attempt that will be retried is not a dead letter"
    failure_sensor_sees_the_run(will_retry="false")
    record = table.get(order.order_id)
    assert record.status == "failed" and record.run_id == run.run_id
    assert record.last_error.startswith("step video: ") and "encoding the final video failed" in record.last_error


def test_a_machine_that_never_saw_the_order_renders_it_from_the_bucket(delivered, world, tmp_path, monkeypatch):
    """Clip, video and delivery once more on another machine: its own empty data folder (no clip library, no
    files of the order), sharing nothing with the first but the bucket and the databases."""
    instance, _, _, table = world
    order, _ = delivered
    if not load_storage_settings().is_s3:
        pytest.skip("only a bucket is shared between machines")
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "machine-b"))
    monkeypatch.setenv("SANTA_ORDERS_DB_URL", table.url)  # shared, like the bucket
    elsewhere = load_settings()
    # What a run killed outright on this machine left, for an order no run works on any more.
    killed = elsewhere.media_dir / "tmp" / "ord_01m8n3xnc1cmhwd29c09b4aqzz" / "video"
    killed.mkdir(parents=True)
    (killed / "cue-00.txt").write_text("Hello, Quintessa")
    job = build_definitions(elsewhere).resolve_job_def("video_job")
    result = job.execute_in_process(
        instance=instance, partition_key=order.order_id, raise_on_error=False,
        asset_selection=[dg.AssetKey("clip"), dg.AssetKey("video"), dg.AssetKey("delivery")],
    )
    assert result.success
    assert sorted(p.name for p in (elsewhere.media_dir / "scene").glob("loop-*.mp4")), "the clip library was made here"
    assert not (elsewhere.media_dir / "orders").exists(), "the order's files stay in the bucket"
    assert not list((elsewhere.media_dir / "tmp").iterdir()), "no scratch left here, the killed run's included"
    assert table.get(order.order_id).status == "delivered"
    assert ffprobe(stored(f"deliveries/{order.order_id}.mp4", tmp_path))["format"]["format_name"].startswith("mov")
