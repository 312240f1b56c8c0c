import dagster as dg

from santa_videos.assets.metrics import pipeline_metrics
from santa_videos.logs import CONSOLE_LOGGER_RUN_CONFIG

metrics_job = dg.define_asset_job(
    "metrics_job",
    selection=dg.AssetSelection.assets(pipeline_metrics),
    config=CONSOLE_LOGGER_RUN_CONFIG,
    description="Refresh the pipeline_metrics asset.",
)

metrics_schedule = dg.ScheduleDefinition(
    name="metrics_schedule",
    job=metrics_job,
    cron_schedule="5 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refreshes pipeline_metrics every hour (at minute 5).",
)
