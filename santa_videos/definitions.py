"""The code location: every asset, job, sensor and resource of santa-videos, wired in one Definitions."""

import gc

import dagster as dg

from santa_videos.assets.metrics import pipeline_metrics
from santa_videos.assets.warm_up import shared_sentences
from santa_videos.jobs import VIDEO_ASSETS, video_job
from santa_videos.logs import santa_console_logger
from santa_videos.names.location import configured_location
from santa_videos.providers.settings import load_provider_settings
from santa_videos.providers.wiring import build_clips, build_voice
from santa_videos.resources.audio_cache import AudioCacheResource
from santa_videos.resources.encoder import VideoEncoder
from santa_videos.resources.media_store import media_store
from santa_videos.resources.names import NameLexicon
from santa_videos.resources.orders import OrdersResource
from santa_videos.resources.retention import RetentionResource
from santa_videos.schedules.cleanup import cleanup_job, cleanup_schedule, retention_cleanup
from santa_videos.schedules.metrics import metrics_job, metrics_schedule
from santa_videos.sensors.deadlines import deadlines_sensor, no_order_at_risk
from santa_videos.sensors.intake import intake_sensor
from santa_videos.sensors.reconcile import order_reconciler
from santa_videos.sensors.run_status import order_status_sensor
from santa_videos.settings import Settings, load_operations_settings, load_settings
from santa_videos.webhook import delivery_webhook


def build_resources(settings: Settings) -> dict:
    """The embedded default: the orders table, files on local disk, espeak-ng speech and the local clip renderer."""
    providers = load_provider_settings()
    operations = load_operations_settings()
    # SANTA_MEDIA_URL picks the store: this machine's data folder, or a bucket every machine shares.
    media = media_store(env_var_credentials=True)
    # SANTA_NAME_LEXICON: how the shop says the names its voices get wrong, the same for every order.
    names = NameLexicon(location=configured_location(), media=media)
    return {
        "orders": OrdersResource(db_url=settings.orders_db_url),
        "media": media,
        # SANTA_PROVIDERS picks the chains: local (espeak-ng, local clips) or real (paid APIs in front of them).
        "names": names,
        "voice": build_voice(settings, providers, names),
        "clips": build_clips(settings, providers),
        "encoder": VideoEncoder(
            preset=settings.x264_preset, threads=settings.ffmpeg_threads, timeout_seconds=settings.ffmpeg_timeout_seconds
        ),
        "webhook": delivery_webhook(settings),
        "audio_cache": AudioCacheResource(
            root=str(operations.audio_cache_dir), max_size_mb=operations.audio_cache_max_bytes // (1024 * 1024),
            media=media, orders_db_url=settings.orders_db_url,
        ),
        "retention": RetentionResource(
            temp_max_age_hours=operations.temp_max_age_hours,
            jobs_max_age_hours=operations.jobs_max_age_hours,
            failed_max_age_hours=operations.failed_max_age_hours,
            personal_data_max_age_hours=operations.personal_data_max_age_hours,
        ),
    }


def build_definitions(settings: Settings, **resource_overrides) -> dg.Definitions:
    return dg.Definitions(
        assets=[*VIDEO_ASSETS, shared_sentences, retention_cleanup, pipeline_metrics],
        asset_checks=[no_order_at_risk],
        jobs=[video_job, cleanup_job, metrics_job],
        schedules=[cleanup_schedule, metrics_schedule],
        # Every job logs to the console through it: JSON lines when USE_JSON_LOGGING=true.
        loggers={"console": santa_console_logger},
        sensors=[intake_sensor, order_status_sensor, order_reconciler, deadlines_sensor],
        resources={**build_resources(settings), **resource_overrides},
        # As video_job runs: a run launched from the UI (an asset selection) runs its steps in one process too.
        executor=dg.in_process_executor,
    )


defs = build_definitions(load_settings())

# Every run worker and code server imports this module, then keeps what the imports built until it exits. Out of the
# collector's reach, those objects cost no collection, nor the last one at exit: about 0.4 CPU-s per run worker.
gc.freeze()
