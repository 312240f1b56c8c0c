"""The run request for an order's video, as the intake sensor and the reconciler both make it."""

import dagster as dg

from santa_videos.jobs import video_run_tags
from santa_videos.orders.table import OrderTable
from santa_videos.providers.settings import load_provider_settings
from santa_videos.providers.tags import provider_tags


def video_run_requests(table: OrderTable, wanted: list[tuple[int, str, str]]) -> list[dg.RunRequest]:
    """One request per (seq, order id, run key). Runs that will call a paid provider carry its slot tag, which the
    run queue limits (dagster.yaml), however the run was requested."""
    if not wanted:
        return []
    providers = load_provider_settings()
    strategies = table.strategies_of([order_id for _seq, order_id, _key in wanted])
    return [
        dg.RunRequest(
            partition_key=order_id, run_key=run_key,
            tags={**video_run_tags(), **provider_tags(providers, seq, strategies.get(order_id, ""))},
        )
        for seq, order_id, run_key in wanted
    ]
