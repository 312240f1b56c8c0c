"""The operator's view of honest deadlines in the Dagster UI: the asset check `no_order_at_risk` on
`pipeline_metrics` fails while an unfinished order will miss its deadline at the current pace, and lists the order
ids (never a name) in its metadata.

`deadlines_sensor` keeps it current without launching runs: every few minutes it works the check out and records
the evaluation against the check (a run-less event) when the orders at risk changed, and at least hourly. The
check can also be executed from the UI at any time."""

import hashlib
import json
import time

import dagster as dg

from santa_videos.assets.metrics import pipeline_metrics
from santa_videos.orders.estimates import at_risk_orders, current_pace
from santa_videos.orders.table import OrderTable
from santa_videos.resources.orders import OrdersResource

CHECK_NAME = "no_order_at_risk"
SENSOR_INTERVAL_SECONDS = 300
REPORT_AT_LEAST_EVERY_SECONDS = 3600


def deadlines_evaluation(table: OrderTable) -> dg.AssetCheckEvaluation:
    late, pace = at_risk_orders(table), current_pace(table)
    return dg.AssetCheckEvaluation(
        asset_key=pipeline_metrics.key,
        check_name=CHECK_NAME,
        passed=not late,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(late)} orders will miss their deadline at the current pace" if late else "no order at risk",
        metadata={"at_risk_order_ids": dg.MetadataValue.json(late), "orders_at_risk": len(late), "pace": pace.describe()},
    )


@dg.asset_check(asset=pipeline_metrics, name=CHECK_NAME)
def no_order_at_risk(orders: OrdersResource) -> dg.AssetCheckResult:
    """Fails while an unfinished order will miss its deadline at the current pace (estimated from its place in the
    intake queue and the last hour's deliveries); `at_risk_order_ids` names them, soonest due first."""
    evaluation = deadlines_evaluation(orders.table())
    return dg.AssetCheckResult(passed=evaluation.passed, severity=evaluation.severity,
                               description=evaluation.description, metadata=evaluation.metadata)


@dg.sensor(
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records the asset check no_order_at_risk (orders that will miss their deadline) every few minutes, "
    "without a run.",
)
def deadlines_sensor(context: dg.SensorEvaluationContext, orders: OrdersResource):
    evaluation = deadlines_evaluation(orders.table())
    ids = evaluation.metadata["at_risk_order_ids"].value
    seen = json.loads(context.cursor or "{}")
    digest = hashlib.sha256(json.dumps(ids).encode()).hexdigest()
    if digest == seen.get("digest") and time.time() - seen.get("reported_at", 0) < REPORT_AT_LEAST_EVERY_SECONDS:
        return dg.SkipReason(f"{len(ids)} orders at risk, as last recorded")
    context.instance.report_runless_asset_event(evaluation)
    context.update_cursor(json.dumps({"digest": digest, "reported_at": time.time()}))
    return dg.SkipReason(f"recorded: {len(ids)} orders at risk")
