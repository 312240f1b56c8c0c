"""The code location: every asset, job, sensor and resource of santa-videos, wired in one Definitions."""

import dagster as dg

from santa_videos.jobs import VIDEO_ASSETS, video_job
from santa_videos.providers.settings import load_provider_settings
from santa_videos.providers.wiring import build_clips, build_voice
from santa_videos.resources.encoder import VideoEncoder
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.orders import OrdersResource
from santa_videos.sensors.intake import intake_sensor
from santa_videos.sensors.reconcile import order_reconciler
from santa_videos.sensors.run_status import RUN_STATUS_SENSORS
from santa_videos.settings import Settings, load_settings
from santa_videos.webhook import delivery_webhook


def build_resources(settings: Settings) -> dict:
    """The embedded default: the orders table, files on local disk, espeak-ng speech and the local clip renderer."""
    providers = load_provider_settings()
    return {
        "orders": OrdersResource(db_url=settings.orders_db_url),
        "media": MediaStore(root=str(settings.media_dir), deliveries=str(settings.deliveries_dir)),
        # SANTA_PROVIDERS picks the chains: local (espeak-ng, local clips) or real (paid APIs in front of them).
        "voice": build_voice(settings, providers),
        "clips": build_clips(settings, providers),
        "encoder": VideoEncoder(
            preset=settings.x264_preset, threads=settings.ffmpeg_threads, timeout_seconds=settings.ffmpeg_timeout_seconds
        ),
        "webhook": delivery_webhook(settings),
    }


def build_definitions(settings: Settings, **resource_overrides) -> dg.Definitions:
    return dg.Definitions(
        assets=VIDEO_ASSETS,
        jobs=[video_job],
        sensors=[intake_sensor, *RUN_STATUS_SENSORS, order_reconciler],
        resources={**build_resources(settings), **resource_overrides},
    )


defs = build_definitions(load_settings())
