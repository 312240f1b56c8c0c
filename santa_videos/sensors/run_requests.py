"""The run request for an order's video, as the intake sensor and the reconciler both make it."""

from datetime import datetime, timezone

import dagster as dg

from santa_videos.jobs import video_run_tags

PRIORITY_TAG = "dagster/priority"
# Minutes from an order's due time to this moment are its run's priority: sooner due, higher priority.
_PRIORITY_HORIZON = datetime(2100, 1, 1, tzinfo=timezone.utc)


def due_priority(due_at: datetime) -> str:
    """Dagster's queue starts higher priorities first: an order due sooner overtakes runs already queued."""
    return str(int((_PRIORITY_HORIZON - due_at).total_seconds() // 60))


def video_run_requests(wanted: list[tuple[str, str, datetime | None]]) -> list[dg.RunRequest]:
    """One request per (order id, run key, due time). The paid providers' limits are pools on the assets
    (providers/pools.py), which hold however a run was requested, so a request carries nothing about them."""
    tags = video_run_tags()
    return [
        dg.RunRequest(partition_key=order_id, run_key=run_key,
                      tags={**tags, **({PRIORITY_TAG: due_priority(due_at)} if due_at else {})})
        for order_id, run_key, due_at in wanted
    ]
