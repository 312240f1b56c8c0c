"""Retention: the cleanup pass the schedule runs, and the erasure of one order's data on request."""

from santa_videos.cleanup.order_data import OrderBusy, Tally, erase, purge
from santa_videos.cleanup.sweep import RetentionPolicy, run_cleanup

__all__ = ["OrderBusy", "RetentionPolicy", "Tally", "erase", "purge", "run_cleanup"]
