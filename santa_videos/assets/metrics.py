import dagster as dg

from santa_videos.metrics import collect_metrics, markdown_table
from santa_videos.resources.orders import OrdersResource
from santa_videos.settings import load_operations_settings


@dg.asset(group_name="operations", kinds={"python"})
def pipeline_metrics(context: dg.AssetExecutionContext, orders: OrdersResource) -> dg.MaterializeResult:
    """How the pipeline is doing, from the orders table and this Dagster instance: orders received, delivered and
    failed, success rate, order-to-delivery latency and per-step times (p50/p95), speech provider and clip strategy
    shares, fallback and sentence cache hit rates, characters and lip-sync seconds billed and estimated cost per video, queue depth, the age of the
    oldest waiting order, and the orders at risk of missing their deadline (which its check `no_order_at_risk` names,
    kept current by `deadlines_sensor`). Refreshed by `metrics_schedule`; materialize it to refresh now."""
    operations = load_operations_settings()
    metrics = collect_metrics(
        context.instance, orders.table(), operations.cost_per_1k_characters, operations.cost_per_clip,
        cost_per_second=operations.cost_per_second,
    )
    figures = metrics.as_dict()
    metadata: dict = {"summary": dg.MetadataValue.md(markdown_table(metrics))}
    for name, value in figures.items():
        if isinstance(value, dict | list):
            metadata[name] = dg.MetadataValue.json(value)
        elif value is not None:
            metadata[name] = value
    return dg.MaterializeResult(metadata=metadata)
