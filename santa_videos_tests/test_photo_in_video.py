"""The child's photo is in the story: an order sent through the HTTP intake with a solid-colour photo comes out
as a delivered video whose frames show that colour while Santa greets the child; the same order without a photo
shows none of it. The photo itself never enters Dagster: no run, tag or event mentions it."""

import io
import json
import subprocess

import pytest
from PIL import Image
from starlette.testclient import TestClient

from santa_videos.definitions import build_definitions
from santa_videos.intake_http import create_app

pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

MAGENTA = (255, 0, 255)
SHORT_ORDER = {"child_name": "Emma", "age": "0", "language": "en"}  # the shortest video a customer can order


def solid_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), MAGENTA).save(out, "PNG")
    return out.getvalue()


def magenta_pixels(video, seconds: float) -> int:
    png = video.with_name(f"{video.stem}-{seconds}.png")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", str(seconds), "-i", str(video), "-frames:v", "1", str(png)],
                   check=True, timeout=60)
    with Image.open(png) as frame:
        colours = frame.convert("RGB").getcolors(1280 * 720)
    return sum(count for count, (r, g, b) in colours if r > 200 and g < 70 and b > 200)


def test_the_photo_sent_with_an_order_is_in_the_video_and_only_then(settings, table, instance):
    client = TestClient(create_app(settings), client=("203.0.113.5", 40000))
    # As the order form sends it (a multipart form with the photo), and as a shop's server sends JSON.
    with_photo = client.post("/orders", data=SHORT_ORDER, files={"photo": ("emma.png", solid_photo(), "image/png")},
                             follow_redirects=False)
    without_photo = client.post("/orders", json={**SHORT_ORDER, "age": 0})
    assert (with_photo.status_code, without_photo.status_code) == (303, 201)
    ids = [with_photo.headers["location"].rsplit("/", 1)[1], without_photo.json()["order_id"]]

    job = build_definitions(settings).resolve_job_def("video_job")
    instance.add_dynamic_partitions("videos", ids)
    runs = [job.execute_in_process(instance=instance, partition_key=order_id, raise_on_error=False) for order_id in ids]
    assert all(run.success for run in runs)

    videos = [settings.deliveries_dir / f"{order_id}.mp4" for order_id in ids]
    moments = [1.5, 3.0, 4.5]  # Santa greets the child by name in the first seconds
    shown = [magenta_pixels(videos[0], t) for t in moments]
    assert min(shown) > 5000, f"the photo is not in the book while Santa says the name: {shown}"
    assert magenta_pixels(videos[0], 9.0) == 0, "the book has gone by the end"
    assert [magenta_pixels(videos[1], t) for t in moments] == [0, 0, 0]

    for run in runs:
        events = json.dumps([str(entry) for entry in instance.all_logs(run.run_id)])
        assert "photo.jpg" not in events and "photo-card" not in events
        assert "photo" not in json.dumps(instance.get_run_by_id(run.run_id).tags)
    book = runs[0].asset_materializations_for_node("video")[0].metadata["photo"].value
    assert book == "in the Nice List book"
