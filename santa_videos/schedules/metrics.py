import dagster as dg

from santa_videos.assets.metrics import pipeline_metrics

metrics_job = dg.define_asset_job(
    "metrics_job",
    selection=dg.AssetSelection.assets(pipeline_metrics),
    description="Refresh the pipeline_metrics asset.",
)

metrics_schedule = dg.ScheduleDefinition(
    name="metrics_schedule",
    job=metrics_job,
    cron_schedule="5 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refreshes pipeline_metrics every hour (at minute 5).",
)
