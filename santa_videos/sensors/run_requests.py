"""The run request for an order's video, as the intake sensor and the reconciler both make it."""

import dagster as dg

from santa_videos.jobs import video_run_tags


def video_run_requests(wanted: list[tuple[str, str]]) -> list[dg.RunRequest]:
    """One request per (order id, run key). The paid providers' limits are pools on the assets (providers/pools.py),
    which hold however a run was requested, so a request carries nothing about them."""
    return [dg.RunRequest(partition_key=order_id, run_key=run_key, tags=video_run_tags()) for order_id, run_key in wanted]
