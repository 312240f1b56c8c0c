"""The media store on both backends: what a step publishes is fetched whole by the next, on any machine; nothing
half-written is ever visible; deliveries are served by path or by a short-lived link; an order's files go at once."""

import hashlib
import os
import threading
import time
from dataclasses import replace

import httpx
import pytest

from santa_videos.health import Check, check_store
from santa_videos.resources.media_store import MediaMissing, media_store
from santa_videos.settings import load_storage_settings
from santa_videos.storage.s3 import S3Backend
from santa_videos_tests.s3 import ACCESS_KEY, SECRET_KEY, BUCKET, S3Server, s3_server, store_env  # noqa: F401

pytestmark = pytest.mark.unit

ORDER = "ord_01jc8p0m2n3q4r5s6t7v8w9x0y"


def other_machine(tmp_path, name: str):
    """The same store seen from another machine: its own work folder, nothing else shared."""
    return media_store(replace(load_storage_settings(), work_dir=tmp_path / name))


def test_a_published_file_is_fetched_whole_on_another_machine(store_env, tmp_path):
    here, there = media_store(), other_machine(tmp_path, "machine-b")
    data = os.urandom(300_000)
    with here.step_folder(ORDER, "audio") as work:
        (work.dir / "audio.wav").write_bytes(data)
        location = work.publish("audio.wav")
    assert not here.scratch_dir(ORDER, "audio").exists(), "the scratch folder goes with the step"
    assert location.startswith("s3://santa-media/shop/media/orders/" if store_env else "/")

    with there.step_folder(ORDER, "clip") as work:
        fetched = work.fetch("audio.wav")
        assert fetched.read_bytes() == data
        with pytest.raises(MediaMissing):
            work.fetch("clip.mp4")
    if store_env:
        assert store_env.objects() == [f"media/orders/{ORDER}/audio.wav"]


def test_a_delivery_is_the_thumbnail_then_the_video_and_is_served_by_path_or_link(store_env):
    media = media_store()
    with pytest.raises(MediaMissing):
        media.deliver(ORDER)
    media.publish_bytes(ORDER, "thumbnail.jpg", b"\xff\xd8thumb")
    media.publish_bytes(ORDER, "video.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(5000))
    delivered = media.deliver(ORDER)
    assert delivered.size == 5012 and media.delivery_location(ORDER).endswith(f"deliveries/{ORDER}.mp4")
    served = media.delivered(ORDER, "video")
    if store_env is None:
        assert served.path.read_bytes()[4:8] == b"ftyp" and served.url is None
        return
    assert served.path is None and "X-Amz-Signature=" in served.url and "X-Amz-Expires=900" in served.url
    answer = httpx.get(served.url, headers={"Range": "bytes=4-7"})
    # S3 answers 206; the rclone test server answers 200, with the same Content-Range and partial body.
    assert answer.status_code in (200, 206) and answer.content == b"ftyp"
    assert answer.headers["content-range"] == "bytes 4-7/5012"
    assert answer.headers["content-type"] == "video/mp4"
    assert httpx.get(served.url.replace("X-Amz-Signature=", "X-Amz-Signature=0")).status_code == 403
    assert media.remove_deliveries(ORDER).count == 2 and media.delivered(ORDER, "video") is None


def test_removing_an_order_takes_every_file_of_it_and_nothing_else(store_env):
    media = media_store()
    for name in ("photo.jpg", "script.json", "audio.wav"):
        media.publish_bytes(ORDER, name, b"x" * 100)
    media.publish_bytes("ord_01jc8p0m2n3q4r5s6t7v8w9x0z", "script.json", b"kept")
    removed = media.remove_order_files(ORDER)
    assert (removed.count, removed.bytes) == (3, 300)
    assert media.stat(ORDER, "photo.jpg") is None
    assert media.stat("ord_01jc8p0m2n3q4r5s6t7v8w9x0z", "script.json").size == 4


@pytest.mark.integration
def test_a_large_file_goes_up_in_parts_and_comes_back_identical(s3_server, tmp_path):
    env = s3_server.media_env()
    backend = S3Backend(BUCKET, "shop", env["SANTA_S3_ENDPOINT_URL"], "us-east-1", ACCESS_KEY, SECRET_KEY,
                        multipart_threshold=5 * 1024 * 1024)
    source = tmp_path / "big.mp4"
    source.write_bytes(os.urandom(12 * 1024 * 1024))
    backend.put_file("media/orders/x/video.mp4", source, "video/mp4")
    stored = s3_server.data / BUCKET / "shop" / "media" / "orders" / "x" / "video.mp4"
    assert hashlib.sha256(stored.read_bytes()).digest() == hashlib.sha256(source.read_bytes()).digest()
    assert backend.get_file("media/orders/x/video.mp4", tmp_path / "back.mp4")
    assert (tmp_path / "back.mp4").read_bytes() == source.read_bytes()


@pytest.mark.integration
def test_a_publish_rides_out_a_short_outage_of_the_server(s3_server, tmp_path):
    """The server goes away for about 3 s while a step publishes; the publish waits and succeeds."""
    env = s3_server.media_env()
    backend = S3Backend(BUCKET, "shop", env["SANTA_S3_ENDPOINT_URL"], "us-east-1", ACCESS_KEY, SECRET_KEY,
                        retry_seconds=30)
    s3_server.__exit__()
    restart = threading.Timer(3, s3_server.__enter__)
    restart.start()
    started = time.monotonic()
    try:
        backend.put_bytes("media/orders/x/script.json", b"{}", "application/json")
    finally:
        restart.join()
    assert time.monotonic() - started >= 2.5
    assert s3_server.objects() == ["media/orders/x/script.json"]

    down = S3Backend(BUCKET, "shop", env["SANTA_S3_ENDPOINT_URL"], "us-east-1", ACCESS_KEY, SECRET_KEY, retry_seconds=1)
    s3_server.__exit__()
    with pytest.raises(Exception, match="did not answer for 1 s while storing"):
        down.put_bytes("media/orders/x/clip.mp4", b"...", "video/mp4")


def test_the_health_check_says_why_the_store_refuses_and_never_prints_the_secret(s3_server, monkeypatch, tmp_path):
    for name, value in s3_server.media_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    assert check_store(load_storage_settings()) == Check("media store", True, "s3://santa-media/shop writable")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret-3f9a")
    refused = check_store(load_storage_settings())
    assert not refused.ok and "SignatureDoesNotMatch" in refused.detail
    assert "not-the-secret-3f9a" not in refused.detail and SECRET_KEY not in refused.detail
