"""The shop hears about every delivered video: a signed notice, retried while the shop is briefly down, recorded
on the order and shown in the `shop_notified` check; its URL and secret never reach the event log."""

import json

import dagster as dg
import pytest

from santa_videos.assets.delivery import delivery
from santa_videos.definitions import build_resources
from santa_videos.processes import free_port
from santa_videos.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, DeliveryWebhook, verify
from santa_videos_tests.conftest import make_order
from santa_videos_tests.fake_shop import FakeShop

pytestmark = pytest.mark.integration

SECRET = "whsec-test-6f1d"


def webhook_for(url: str, **overrides) -> DeliveryWebhook:
    fields = {"url": url, "secret": SECRET, "video_base_url": "https://videos.example.test", "backoff_seconds": 0.01}
    return DeliveryWebhook(**{**fields, **overrides})


def deliver(instance, settings, table, webhook: DeliveryWebhook):
    """Materialize `delivery` alone for an order whose video and thumbnail are already made."""
    order = make_order()
    table.add([order])
    order_dir = settings.media_dir / "orders" / order.order_id
    order_dir.mkdir(parents=True)
    (order_dir / "video.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(2000))
    (order_dir / "thumbnail.jpg").write_bytes(b"\xff\xd8thumbnail")
    instance.add_dynamic_partitions("videos", [order.order_id])
    resources = {**build_resources(settings), "webhook": webhook}
    result = dg.materialize([delivery], partition_key=order.order_id, instance=instance, resources=resources)
    return order, result


def check_result(result):
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == "shop_notified"]
    return evaluation


def test_a_delivery_sends_one_signed_notice_and_records_the_answer(instance, settings, table):
    with FakeShop(answers=[(503, {"Retry-After": "0"}), (502, {})]) as shop:
        order, result = deliver(instance, settings, table, webhook_for(shop.url))
    assert result.success
    assert len(shop.received) == 3, "two transient errors, then accepted"
    last = shop.received[-1]
    assert last.path == "/hooks/santa?token=shop-token-123"
    assert verify(SECRET, last.headers[TIMESTAMP_HEADER], last.body, last.headers[SIGNATURE_HEADER])
    assert not verify("another-secret", last.headers[TIMESTAMP_HEADER], last.body, last.headers[SIGNATURE_HEADER])
    notice = json.loads(last.body)
    assert notice == {
        "event": "video.delivered",
        "order_id": order.order_id,
        "status": "delivered",
        "video_url": f"https://videos.example.test/videos/{order.order_id}.mp4",
        "delivered_at": notice["delivered_at"],
    }
    record = table.get(order.order_id)
    assert record.status == "delivered"
    assert record.webhook_result == "sent: HTTP 200 after 3 attempts" and record.webhook_at is not None
    assert check_result(result).passed

    logged = "".join(dg.serialize_value(event) for event in instance.all_logs(result.run_id))
    assert "retrying" in logged
    assert "shop-token-123" not in logged and SECRET not in logged and "127.0.0.1" not in logged


def test_a_refused_notice_is_not_retried_and_warns_without_undoing_the_delivery(instance, settings, table):
    with FakeShop(answers=[(400, {})]) as shop:
        order, result = deliver(instance, settings, table, webhook_for(shop.url))
    assert result.success and len(shop.received) == 1
    record = table.get(order.order_id)
    assert record.status == "delivered" and record.webhook_result == "failed: HTTP 400 after 1 attempt"
    evaluation = check_result(result)
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN


def test_an_unreachable_shop_is_tried_max_attempts_times_and_recorded(instance, settings, table):
    closed_port = free_port()
    webhook = webhook_for(f"http://127.0.0.1:{closed_port}/hook?token=shop-token-123", max_attempts=3)
    order, result = deliver(instance, settings, table, webhook)
    assert result.success
    assert table.get(order.order_id).webhook_result == "failed: could not connect (ConnectError) after 3 attempts"
    logged = "".join(dg.serialize_value(event) for event in instance.all_logs(result.run_id))
    assert "shop-token-123" not in logged and str(closed_port) not in logged


def test_without_a_webhook_nothing_is_sent_and_the_check_says_so(instance, settings, table):
    order, result = deliver(instance, settings, table, DeliveryWebhook())
    assert result.success and table.get(order.order_id).webhook_result is None
    evaluation = check_result(result)
    assert evaluation.passed and evaluation.description == "not configured"


def test_a_webhook_url_without_a_secret_is_a_settings_error(monkeypatch):
    from santa_videos.settings import SettingsError, load_settings

    monkeypatch.setenv("SANTA_DELIVERY_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    monkeypatch.delenv("SANTA_WEBHOOK_SECRET", raising=False)
    with pytest.raises(SettingsError, match="SANTA_WEBHOOK_SECRET must be set"):
        load_settings()
