"""Pipeline figures, read from the orders table and the Dagster instance (never from in-memory counters, which a
restart resets): orders and their outcome, latency, per-step times, who served the speech and the clips, the cache,
characters and estimated cost, the queue, and the orders at risk of missing their deadline.

Step times cover the most recent STEP_SAMPLE_RUNS video runs. Percentiles use the nearest-rank method: p of n
sorted values is the value at rank ceil(p/100 * n).
"""

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import dagster as dg
import sqlalchemy as sa

from santa_videos.orders.estimates import at_risk_orders, pace_at
from santa_videos.orders.model import Status
from santa_videos.orders.table import OrderTable, orders

VIDEO_STEPS = ("script", "audio", "clip", "video", "delivery")
PAGE = 1000
STEP_SAMPLE_RUNS = 500


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def shares(counts: Counter) -> dict[str, float]:
    total = sum(counts.values())
    return {name: round(count / total, 4) for name, count in sorted(counts.items())} if total else {}


@dataclass
class PipelineMetrics:
    orders_received: int = 0
    orders_delivered: int = 0
    orders_failed: int = 0
    success_rate: float | None = None
    latency_p50_s: float | None = None
    latency_p95_s: float | None = None
    step_seconds: dict[str, dict[str, float | None]] = field(default_factory=dict)
    speech_provider_shares: dict[str, float] = field(default_factory=dict)
    clip_strategy_shares: dict[str, float] = field(default_factory=dict)
    clip_provider_shares: dict[str, float] = field(default_factory=dict)
    fallback_rate: float | None = None
    cache_hit_rate: float | None = None
    characters_per_video: float | None = None
    characters_billed_per_video: float | None = None
    lipsync_seconds_billed_per_video: float | None = None
    estimated_cost_per_video: float | None = None
    queue_depth: int = 0
    oldest_waiting_age_s: float | None = None
    # Unfinished orders that will miss their deadline at the current pace (order ids only), soonest due first.
    orders_at_risk: int = 0
    at_risk_order_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _order_figures(table: OrderTable, metrics: PipelineMetrics, now: datetime) -> None:
    with table.engine.connect() as conn:
        by_status = dict(conn.execute(sa.select(orders.c.status, sa.func.count()).group_by(orders.c.status)).all())
        delivered = conn.execute(
            sa.select(orders.c.created_at, orders.c.delivered_at)
            .where(orders.c.status == Status.DELIVERED, orders.c.delivered_at.is_not(None))
        ).all()
        oldest = conn.execute(
            sa.select(sa.func.min(orders.c.created_at)).where(orders.c.status.in_([Status.RECEIVED, Status.QUEUED]))
        ).scalar()
    metrics.orders_received = sum(by_status.values())
    metrics.orders_delivered = by_status.get(Status.DELIVERED, 0)
    metrics.orders_failed = by_status.get(Status.FAILED, 0) + by_status.get(Status.REJECTED, 0)
    finished = metrics.orders_delivered + metrics.orders_failed
    metrics.success_rate = round(metrics.orders_delivered / finished, 4) if finished else None
    latencies = [(_utc(done) - _utc(created)).total_seconds() for created, done in delivered]
    metrics.latency_p50_s = _round(percentile(latencies, 50))
    metrics.latency_p95_s = _round(percentile(latencies, 95))
    metrics.queue_depth = by_status.get(Status.RECEIVED, 0) + by_status.get(Status.QUEUED, 0)
    metrics.oldest_waiting_age_s = _round((now - _utc(oldest)).total_seconds()) if oldest else None


def _materializations(instance: dg.DagsterInstance, asset: str) -> list[dict]:
    """The metadata of every stored materialization of `asset`, as plain values."""
    found, cursor = [], None
    while True:
        page = instance.fetch_materializations(dg.AssetKey(asset), limit=PAGE, cursor=cursor)
        for record in page.records:
            metadata = record.asset_materialization.metadata if record.asset_materialization else {}
            found.append({key: value.value for key, value in metadata.items()})
        if not page.has_more:
            return found
        cursor = page.cursor


def _step_durations(instance: dg.DagsterInstance) -> dict[str, list[float]]:
    """Step times of the most recent video runs, as Dagster measured them. Step events live in per-run storage
    (SQLite keeps one file per run), so they are read run by run, over a bounded sample."""
    durations: dict[str, list[float]] = {step: [] for step in VIDEO_STEPS}
    runs = instance.get_runs(dg.RunsFilter(job_name="video_job"), limit=STEP_SAMPLE_RUNS)
    for run in runs:
        for record in instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.STEP_SUCCESS).records:
            event = record.event_log_entry.dagster_event
            if event and event.step_key in durations:
                durations[event.step_key].append(event.event_specific_data.duration_ms / 1000)
    return durations


def collect_metrics(
    instance: dg.DagsterInstance,
    table: OrderTable,
    cost_per_1k_characters: dict[str, float],
    cost_per_clip: dict[str, float],
    now: datetime | None = None,
    cost_per_second: dict[str, float] | None = None,
) -> PipelineMetrics:
    now = now or datetime.now(timezone.utc)
    metrics = PipelineMetrics()
    _order_figures(table, metrics, now)
    metrics.at_risk_order_ids = at_risk_orders(table, now, pace_at(table, now))
    metrics.orders_at_risk = len(metrics.at_risk_order_ids)
    metrics.step_seconds = {
        step: {"p50": _round(percentile(values, 50)), "p95": _round(percentile(values, 95))}
        for step, values in _step_durations(instance).items()
    }
    audio, clips = _materializations(instance, "audio"), _materializations(instance, "clip")
    metrics.speech_provider_shares = shares(Counter(m.get("provider", "unknown") for m in audio))
    metrics.clip_strategy_shares = shares(Counter(m.get("strategy", "unknown") for m in clips))
    metrics.clip_provider_shares = shares(Counter(m.get("provider", "unknown") for m in clips))
    served = audio + clips
    fallbacks = sum(1 for m in served if m.get("skipped", "none") != "none")
    metrics.fallback_rate = round(fallbacks / len(served), 4) if served else None
    metrics.cache_hit_rate = _cache_hit_rate(audio)
    billed = [(m.get("provider"), int(m.get("characters_billed", 0) or 0)) for m in audio]
    speech_cost = sum(chars / 1000 * cost_per_1k_characters.get(provider, 0.0) for provider, chars in billed)
    clip_cost = sum(_clip_cost(m, cost_per_clip, cost_per_second or {}) for m in clips)
    lipsync_seconds = sum(float(m.get("lipsync_seconds_billed", 0) or 0) for m in clips)
    if metrics.orders_delivered:
        spoken = sum(int(m.get("characters", 0) or 0) for m in audio)
        metrics.characters_per_video = round(spoken / metrics.orders_delivered, 1)
        metrics.characters_billed_per_video = round(sum(chars for _, chars in billed) / metrics.orders_delivered, 1)
        metrics.lipsync_seconds_billed_per_video = round(lipsync_seconds / metrics.orders_delivered, 1)
        metrics.estimated_cost_per_video = round((speech_cost + clip_cost) / metrics.orders_delivered, 4)
    return metrics


def _cache_hit_rate(audio: list[dict]) -> float | None:
    """Sentences served from the audio cache over sentences spoken (a speech of older releases counts as one)."""
    hits = looked_up = 0
    for m in audio:
        if "sentences" in m:
            hits, looked_up = hits + int(m.get("sentences_cached", 0)), looked_up + int(m["sentences"])
        elif m.get("cache") in ("hit", "miss"):
            hits, looked_up = hits + (m["cache"] == "hit"), looked_up + 1
    return round(hits / looked_up, 4) if looked_up else None


def _clip_cost(m: dict, cost_per_clip: dict[str, float], cost_per_second: dict[str, float]) -> float:
    provider = m.get("provider")
    if "lipsync_generations" in m:
        return (int(m["lipsync_generations"]) * cost_per_clip.get(provider, 0.0)
                + float(m.get("lipsync_seconds_billed", 0) or 0) * cost_per_second.get(provider, 0.0))
    # A resumed lip-sync request was paid for by the attempt that submitted it.
    return 0.0 if m.get("resumed_request") else cost_per_clip.get(provider, 0.0)


def markdown_table(metrics: PipelineMetrics) -> str:
    def show(value) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, dict):
            return ", ".join(f"{k} {show(v)}" for k, v in value.items()) or "n/a"
        if isinstance(value, list):
            return ", ".join(str(item) for item in value) or "none"
        return f"{value:g}" if isinstance(value, float) else str(value)

    rows = [(name, show(value)) for name, value in metrics.as_dict().items() if name != "step_seconds"]
    rows += [(f"step {step} p50 / p95 (s)", f"{show(t['p50'])} / {show(t['p95'])}")
             for step, t in metrics.step_seconds.items()]
    return "| figure | value |\n|---|---|\n" + "\n".join(f"| {name} | {value} |" for name, value in rows)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
