"""The order intake a landing page posts to: what it accepts, what it refuses and how, and what it tells a customer.

These use Starlette's in-process client for speed; the browser test in test_landing_to_video.py uses a real server.
"""

import io
import json

import httpx
import pytest
from PIL import Image
from starlette.testclient import TestClient

from santa_videos.intake_http import create_app
from santa_videos.intake_http.app import MAX_JSON_BYTES, SECRET_HEADER
from santa_videos.intake_http.limits import RateLimiter
from santa_videos.resources.media_store import media_store
from santa_videos.settings import load_settings
from santa_videos_tests.conftest import make_order
from santa_videos_tests.s3 import store_env  # noqa: F401 (fixture)

pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

EMMA = {"child_name": "Emma", "age": 6, "language": "en", "mentions": ["you fed the birds"]}


def client_for(settings, secret=None, address="203.0.113.7") -> TestClient:
    return TestClient(create_app(settings, shared_secret=secret), client=(address, 40000))


@pytest.fixture
def client(settings):
    return client_for(settings)


def photo_bytes(fmt="JPEG", size=(320, 240), exif=None, mode="RGB") -> bytes:
    image = Image.new(mode, size, "red")
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def test_a_json_order_is_queued_once_and_answers_its_id(client, table):
    answer = client.post("/orders", json={**EMMA, "order_id": "ord_01m8e5j7khr5pnpzqn5jxgzgfy"})
    assert answer.status_code == 201
    body = answer.json()
    assert body["order_id"] == "ord_01m8e5j7khr5pnpzqn5jxgzgfy" and body["status"] == "received"
    assert answer.headers["location"].endswith("/orders/ord_01m8e5j7khr5pnpzqn5jxgzgfy")
    record = table.get(body["order_id"])
    assert (record.child_name, record.age, record.mentions, record.status) == ("Emma", 6, ["you fed the birds"], "queued")
    assert not record.has_photo

    again = client.post("/orders", json={**EMMA, "order_id": body["order_id"]})
    assert again.status_code == 200 and again.json()["created"] is False
    other = client.post("/orders", json={**EMMA, "child_name": "Other", "order_id": body["order_id"]})
    assert other.status_code == 409 and other.json()["conflicting_fields"] == ["child_name"]
    assert table.get(body["order_id"]).child_name == "Emma"


def test_every_field_error_is_answered_in_plain_words_and_nothing_is_queued(client, table):
    answer = client.post("/orders", json={"child_name": "R2-D2", "age": 30, "language": "fr", "colour": "red"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        "child_name: may only contain letters, spaces, apostrophes, hyphens and dots (found '2')",
        "age: must be between 0 and 17 (got 30)",
        "language: must be one of en, es (got 'fr')",
        "colour: is not a field of an order",
    ]
    assert table.waiting_in_intake_order(10) == []


@pytest.mark.parametrize(
    "content, content_type, status, message",
    [
        (b'{"child_name": "Emma",', "application/json", 400, "the body is not valid JSON"),
        (b"[1, 2]", "application/json", 422, "an order must be an object"),
        (b"child_name=Emma", "text/plain", 415, "send the order as application/json or as a form"),
    ],
)
def test_a_body_that_is_not_an_order_gets_a_clear_error(client, table, content, content_type, status, message):
    answer = client.post("/orders", content=content, headers={"content-type": content_type})
    assert answer.status_code == status
    assert answer.json()["errors"][0].startswith(message)
    assert table.waiting_in_intake_order(10) == []


def test_an_oversized_body_is_refused_whether_or_not_its_length_is_announced(client, table):
    big = json.dumps({**EMMA, "phonetic_name": "x" * (MAX_JSON_BYTES + 1)}).encode()
    announced = client.post("/orders", content=big, headers={"content-type": "application/json"})
    assert announced.status_code == 413

    def chunks():
        for start in range(0, len(big), 4096):
            yield big[start:start + 4096]

    streamed = client.post("/orders", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and "too large" in streamed.json()["errors"][0]
    assert table.waiting_in_intake_order(10) == []


def test_each_client_address_gets_its_own_order_budget(settings, monkeypatch, table):
    monkeypatch.setenv("SANTA_INTAKE_ORDERS_PER_MINUTE", "2")
    app = create_app(load_settings())
    first, second = TestClient(app, client=("198.51.100.1", 1)), TestClient(app, client=("198.51.100.2", 1))
    assert [first.post("/orders", json=EMMA).status_code for _ in range(2)] == [201, 201]
    refused = first.post("/orders", json=EMMA)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert second.post("/orders", json=EMMA).status_code == 201
    assert len(table.waiting_in_intake_order(10)) == 3


def test_the_rate_limit_refills_with_time():
    now = [0.0]
    limiter = RateLimiter(per_minute=6, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(6)] == [0] * 6
    assert limiter.take("a") == 10, "one order every 10 s at 6 a minute"
    now[0] += 10
    assert limiter.take("a") == 0


def test_with_a_shared_secret_only_the_shop_server_may_post(settings, table):
    shop = client_for(settings, secret="s3cret-value")
    assert shop.post("/orders", json=EMMA).status_code == 401
    wrong = shop.post("/orders", json=EMMA, headers={SECRET_HEADER: "guess"})
    assert wrong.status_code == 401 and "s3cret" not in wrong.text
    assert shop.post("/orders", json=EMMA, headers={SECRET_HEADER: "s3cret-value"}).status_code == 201
    assert "<form" not in shop.get("/").text
    assert len(table.waiting_in_intake_order(10)) == 1


def test_a_photo_is_stored_reencoded_upright_and_without_metadata(store_env, client, table):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned, the picture must be rotated 90 degrees
    exif[0x010F] = "SecretCam"
    exif[0x9286] = "taken at 12 Elm Street"
    sent = photo_bytes(size=(400, 300), exif=exif.tobytes())
    answer = client.post("/orders", data={**EMMA, "mentions": "you fed the birds"},
                         files={"photo": ("kid.jpg", sent, "image/jpeg")}, headers={"accept": "application/json"},
                         follow_redirects=False)
    assert answer.status_code == 201, "a shop's server sending a photo as a form gets JSON, as for a JSON order"
    order_id = answer.json()["order_id"]
    raw = media_store().backend().get_bytes(f"media/orders/{order_id}/photo.jpg")
    assert b"SecretCam" not in raw and b"Elm Street" not in raw and b"Exif" not in raw
    with Image.open(io.BytesIO(raw)) as image:
        assert image.format == "JPEG" and image.size == (300, 400)
        assert not image.getexif() and "icc_profile" not in image.info
    record = table.get(order_id)
    assert (record.has_photo, record.status) == (True, "queued")


@pytest.mark.parametrize(
    "photo, env, message",
    [
        (photo_bytes("GIF", mode="P"), {}, "photo: must be a JPEG or PNG image"),
        (photo_bytes()[:400], {}, "photo: could not be read; the file looks damaged"),
        (photo_bytes("PNG", size=(1200, 1000)), {"SANTA_INTAKE_PHOTO_MAX_MEGAPIXELS": "1"},
         "photo: must have at most 1 megapixels (got 1200x1000)"),
    ],
)
def test_a_bad_photo_is_refused_with_the_reason_and_nothing_is_kept(settings, monkeypatch, table, photo, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = client_for(load_settings())
    answer = client.post("/orders", data={"child_name": "Emma", "age": "6", "language": "en"},
                         files={"photo": ("kid.img", photo, "application/octet-stream")})
    assert answer.status_code == 422
    assert message in answer.text
    assert table.waiting_in_intake_order(10) == []
    assert not (settings.media_dir / "orders").exists()


def test_a_photo_over_the_size_cap_is_refused_before_it_is_read(settings, monkeypatch, table):
    monkeypatch.setenv("SANTA_INTAKE_PHOTO_MAX_MB", "1")
    client = client_for(load_settings())
    answer = client.post("/orders", data={"child_name": "Emma", "age": "6", "language": "en"},
                         files={"photo": ("kid.jpg", b"\xff" * (1024 * 1024 + 70_000), "image/jpeg")})
    assert answer.status_code == 413
    assert table.waiting_in_intake_order(10) == []


def test_the_form_shows_every_problem_and_keeps_what_was_typed_escaped(client, table):
    assert 'name="child_name"' in client.get("/").text
    answer = client.post("/orders", data={"child_name": "<script>x</script>", "age": "", "language": "en",
                                          "mentions": "helped <b>mum</b>\n\nshared toys"})
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert "child_name: may only contain letters" in page and "age: is required" in page
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "helped &lt;b&gt;mum&lt;/b&gt;\nshared toys</textarea>" in page
    assert table.waiting_in_intake_order(10) == []


def fetch_served(client, url: str, **headers):
    """GET a delivered file as a browser would: from the intake, or through its redirect to the object store."""
    answer = client.get(url, headers=headers, follow_redirects=False)
    if answer.status_code != 307:
        return answer
    assert answer.headers["cache-control"] == "no-store", "a link that expires must not be cached"
    assert "X-Amz-Signature=" in answer.headers["location"]
    return httpx.get(answer.headers["location"], headers=headers)


def test_status_tells_the_customer_where_the_order_is_and_nothing_internal(store_env, client, table):
    """On either media store: a bucket's files are served through a redirect to a short-lived link."""
    delivered, failed, waiting = make_order(), make_order(), make_order()
    table.add([delivered, failed, waiting])
    media = media_store()
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(1000)
    media.publish_bytes(delivered.order_id, "video.mp4", video)
    media.publish_bytes(delivered.order_id, "thumbnail.jpg", b"\xff\xd8jpeg")
    media.deliver(delivered.order_id)
    assert client.get(f"/videos/{delivered.order_id}.mp4").status_code == 404, "not delivered yet"
    table.mark_delivered(delivered.order_id, media.delivery_location(delivered.order_id))
    table.mark_failed(failed.order_id, "step video: MediaError: ffmpeg exited 1 reading /srv/santa/media/x")

    status = client.get(f"/orders/{delivered.order_id}").json()
    assert status["status"] == "delivered"
    assert status["video_url"] == f"http://testserver/videos/{delivered.order_id}.mp4"
    assert "Emma" not in json.dumps(status)
    served = fetch_served(client, status["video_url"])
    assert served.status_code == 200 and served.headers["content-type"] == "video/mp4"
    assert served.content == video
    partial = fetch_served(client, status["video_url"], range="bytes=4-11")
    # S3 answers 206; the rclone test server answers 200 with the same Content-Range and partial body.
    assert partial.status_code in ((200, 206) if store_env else (206,)) and partial.content == b"ftypmp42"
    assert partial.headers["content-range"] == f"bytes 4-11/{len(video)}"
    thumbnail = fetch_served(client, status["thumbnail_url"])
    assert thumbnail.content == b"\xff\xd8jpeg" and thumbnail.headers["content-type"] == "image/jpeg"

    failure = client.get(f"/orders/{failed.order_id}").json()
    assert failure["status"] == "failed" and failure["video_url"] is None
    assert "ffmpeg" not in failure["reason"] and "/srv" not in failure["reason"] and "studio" in failure["reason"]
    assert client.get(f"/orders/{waiting.order_id}").json()["status"] == "received"

    page = client.get(f"/orders/{waiting.order_id}", headers={"accept": "text/html"}).text
    assert '<span id="status" data-status="received">received</span>' in page and 'http-equiv="refresh"' in page
    done = client.get(f"/orders/{delivered.order_id}", headers={"accept": "text/html"}).text
    assert f'id="video-link" href="{status["video_url"]}"' in done and 'http-equiv="refresh"' not in done

    assert client.get("/orders/ord_00000000000000000000000000").status_code == 404
    assert client.get("/orders/../../etc/passwd").status_code == 404
    assert client.get(f"/videos/{failed.order_id}.mp4").status_code == 404


def test_the_form_as_a_browser_sends_it_queues_the_order_and_leads_to_its_status(client, table):
    """A browser sends every input, the empty ones as empty strings: those are fields left out."""
    form = {"child_name": "Zoë", "age": "7", "language": "es", "phonetic_name": "", "strategy": "template",
            "deadline": "", "mentions": "ayudó a su hermano\r\n\r\nquiere un trineo\r\n"}
    answer = client.post("/orders", data=form, files={"photo": ("", b"", "application/octet-stream")},
                         follow_redirects=False)
    assert answer.status_code == 303
    order_id = answer.headers["location"].rsplit("/", 1)[1]
    record = table.get(order_id)
    assert (record.child_name, record.mentions, record.deadline, record.phonetic_name) == (
        "Zoë", ["ayudó a su hermano", "quiere un trineo"], None, None)
    assert not record.has_photo


def test_an_orders_table_from_an_older_release_gains_the_new_columns(tmp_path):
    """Upgrading must not need a manual migration: the intake's columns are added to an existing table."""
    import sqlite3

    from santa_videos.orders import OrderTable

    database = tmp_path / "orders.db"
    with sqlite3.connect(database) as old:
        old.execute(
            "CREATE TABLE orders (seq INTEGER PRIMARY KEY, order_id VARCHAR(40) NOT NULL UNIQUE, child_name TEXT,"
            " age INTEGER NOT NULL, language VARCHAR(8) NOT NULL, phonetic_name TEXT, mentions TEXT NOT NULL,"
            " strategy VARCHAR(16) NOT NULL, deadline DATETIME, status VARCHAR(16) NOT NULL, attempts INTEGER NOT NULL,"
            " run_id VARCHAR(64), last_error TEXT, video_path TEXT, created_at DATETIME NOT NULL,"
            " updated_at DATETIME NOT NULL, delivered_at DATETIME)"
        )
    table = OrderTable(f"sqlite:///{database}")
    order = make_order()
    table.add([order], photo_sha256="0" * 64)
    table.record_webhook(order.order_id, "sent: HTTP 200 after 1 attempt")
    record = table.get(order.order_id)
    assert record.has_photo is True and record.webhook_result == "sent: HTTP 200 after 1 attempt"
    assert record.photo_sha256 == "0" * 64
    table.dispose()
