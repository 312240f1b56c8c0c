"""Pipeline metrics on a prepared orders table and Dagster instance, against figures worked out by hand below."""

import json
import subprocess
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest
from dagster._core.events import DagsterEvent, StepSuccessData
from dagster._core.utils import make_new_run_id

from santa_videos.daemon_harness import BIN
from santa_videos.definitions import build_definitions
from santa_videos.metrics import collect_metrics, percentile
from santa_videos.orders.table import orders as orders_table
from santa_videos_tests.conftest import PROJECT_ROOT, make_order, subprocess_env

pytestmark = pytest.mark.unit

PRICES = ({"elevenlabs": 0.30}, {"higgsfield": 0.50})
AT_RISK = "ord_01m8q5v3c8k9t2x7w4n6p0r1x4"


def add_order(table, now, status: str, created_ago_s: float, latency_s: float | None = None, **fields) -> str:
    order = make_order(**fields)
    table.add([order])
    created = now - timedelta(seconds=created_ago_s)
    delivered = created + timedelta(seconds=latency_s) if latency_s is not None else None
    with table.engine.begin() as conn:
        conn.execute(orders_table.update().where(orders_table.c.order_id == order.order_id).values(
            status=status, created_at=created, updated_at=delivered or created, delivered_at=delivered))
    return order.order_id


def finished_run(instance, job_name: str, step_seconds: dict[str, float]) -> None:
    """A finished run whose event log says how long Dagster measured each step."""
    run = dg.DagsterRun(job_name=job_name, run_id=make_new_run_id(), status=dg.DagsterRunStatus.SUCCESS)
    instance.add_run(run)
    for step, seconds in step_seconds.items():
        event = DagsterEvent(event_type_value=dg.DagsterEventType.STEP_SUCCESS.value, job_name=job_name,
                             step_key=step, event_specific_data=StepSuccessData(duration_ms=seconds * 1000))
        instance.report_dagster_event(event, run_id=run.run_id)


def materialized(instance, asset: str, partition: str, **metadata) -> None:
    instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=asset, partition=partition, metadata=metadata))


@pytest.fixture
def now():
    """The moment the figures are worked out at; taken when the test starts (an order's deadline must be ahead)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def prepared(instance, table, now):
    delivered = [add_order(table, now, "delivered", 3600, latency) for latency in (60, 120, 180, 240, 600)]
    add_order(table, now, "failed", 3600)
    # Five deliveries in the last hour (720 s a video) and one order rendering: the first queued order is the 2nd
    # to be delivered, ready in 1440 s, well before its deadline; the second, ready in 2160 s, misses its deadline.
    add_order(table, now, "queued", 300, deadline=(now + timedelta(days=1)).isoformat())
    add_order(table, now, "queued", 900, order_id=AT_RISK, deadline=(now + timedelta(seconds=600)).isoformat())
    add_order(table, now, "rendering", 100)
    for audio_s, video_s in ((1.0, 8.0), (2.0, 9.0), (3.0, None), (4.0, None), (10.0, None)):
        finished_run(instance, "video_job", {"audio": audio_s, **({"video": video_s} if video_s else {})})
    finished_run(instance, "cleanup_job", {"audio": 99.0})  # not a video run
    speech = [
        dict(provider="elevenlabs", characters=500, characters_billed=1000, cache="miss", skipped="none"),
        dict(provider="elevenlabs", characters=500, characters_billed=1000, cache="miss", skipped="none"),
        dict(provider="elevenlabs", characters=500, characters_billed=0, cache="hit", skipped="none"),
        dict(provider="espeak-ng", characters=500, characters_billed=0, cache="miss", skipped="elevenlabs: quota"),
        dict(provider="espeak-ng", characters=500, characters_billed=0, cache="miss", skipped="none"),
    ]
    clips = [
        dict(provider="higgsfield", strategy="lipsync", skipped="none", resumed_request=False, lipsync_generations=2,
             lipsync_seconds_billed=20.0),
        dict(provider="higgsfield", strategy="lipsync", skipped="none", resumed_request=True),
        dict(provider="local-ffmpeg", strategy="template", skipped="lipsync: not configured", resumed_request=False),
        dict(provider="local-ffmpeg", strategy="template", skipped="none", resumed_request=False),
        dict(provider="local-ffmpeg", strategy="template", skipped="none", resumed_request=False),
    ]
    for oid, speech_meta, clip_meta in zip(delivered, speech, clips):
        materialized(instance, "audio", oid, **speech_meta)
        materialized(instance, "clip", oid, **clip_meta)
    return instance, table


# Worked out by hand from the fixture above.
EXPECTED = {
    "orders_received": 9,
    "orders_delivered": 5,
    "orders_failed": 1,
    "success_rate": round(5 / 6, 4),
    "latency_p50_s": 180.0,   # rank ceil(0.50 * 5) = 3 of 60, 120, 180, 240, 600
    "latency_p95_s": 600.0,   # rank ceil(0.95 * 5) = 5
    "step_seconds": {
        "script": {"p50": None, "p95": None},
        "audio": {"p50": 3.0, "p95": 10.0},
        "clip": {"p50": None, "p95": None},
        "video": {"p50": 8.0, "p95": 9.0},
        "delivery": {"p50": None, "p95": None},
    },
    "speech_provider_shares": {"elevenlabs": 0.6, "espeak-ng": 0.4},
    "clip_strategy_shares": {"lipsync": 0.4, "template": 0.6},
    "clip_provider_shares": {"higgsfield": 0.4, "local-ffmpeg": 0.6},
    "fallback_rate": 0.2,      # 1 of 5 speeches and 1 of 5 clips
    "cache_hit_rate": 0.2,     # 1 hit in 5 lookups
    "characters_per_video": 500.0,
    "characters_billed_per_video": 400.0,
    "lipsync_seconds_billed_per_video": 4.0,  # 20 s over 5 videos
    # 2000 characters at 0.30 per 1000 = 0.60, two lip-sync generations at 0.50 (the resumed clip was paid
    # before) = 1.00; 5 videos.
    "estimated_cost_per_video": 0.32,
    "queue_depth": 2,
    "oldest_waiting_age_s": 900.0,
    "orders_at_risk": 1,
    "at_risk_order_ids": [AT_RISK],
}


@pytest.mark.integration  # `prepared` renders
def test_metrics_match_the_figures_worked_out_by_hand(prepared, now):
    instance, table = prepared
    assert collect_metrics(instance, table, *PRICES, now=now).as_dict() == EXPECTED


def test_nearest_rank_percentiles():
    assert percentile([], 50) is None
    assert percentile([5.0], 95) == 5.0
    assert [percentile(list(range(1, 101)), p) for p in (1, 50, 95, 100)] == [1, 50, 95, 100]


@pytest.mark.integration  # `prepared` renders
def test_the_metrics_asset_shows_a_markdown_table(prepared, settings):
    instance, _ = prepared
    result = build_definitions(settings).resolve_job_def("metrics_job").execute_in_process(instance=instance)
    assert result.success
    event = instance.get_latest_materialization_event(dg.AssetKey("pipeline_metrics"))
    metadata = {k: v.value for k, v in event.asset_materialization.metadata.items()}
    assert (metadata["orders_received"], metadata["orders_delivered"], metadata["success_rate"]) == (9, 5, 0.8333)
    assert metadata["step_seconds"]["audio"] == {"p50": 3.0, "p95": 10.0}
    assert metadata["summary"].startswith("| figure | value |\n|---|---|\n")
    assert "| cache_hit_rate | 0.2 |" in metadata["summary"]
    assert "| step audio p50 / p95 (s) | 3 / 10 |" in metadata["summary"]


@pytest.mark.integration  # `prepared` renders
def test_the_metrics_command_prints_json(prepared, settings, tmp_path):
    env = subprocess_env(DAGSTER_HOME=str(tmp_path / "dagster_home"), SANTA_DATA_DIR=str(settings.data_dir))
    done = subprocess.run([str(BIN / "santa-videos"), "metrics", "--json"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    # The command measures ages and the last hour from the real clock; everything else is as worked out above.
    assert figures.pop("oldest_waiting_age_s") > 900
    assert figures.pop("orders_at_risk") == len(figures.pop("at_risk_order_ids"))
    clocked = ("oldest_waiting_age_s", "orders_at_risk", "at_risk_order_ids")
    assert figures == {k: v for k, v in EXPECTED.items() if k not in clocked}
