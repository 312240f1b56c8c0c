import dagster as dg

from santa_videos.assets.audio import audio
from santa_videos.assets.clip import clip
from santa_videos.assets.delivery import delivery
from santa_videos.assets.script import script
from santa_videos.assets.video import video
from santa_videos.logs import CONSOLE_LOGGER_RUN_CONFIG
from santa_videos.settings import load_settings

VIDEO_ASSETS = [script, audio, clip, video, delivery]


def video_run_tags() -> dict[str, str]:
    # MAX_JOB_ATTEMPTS counts runs per order, so a run may be retried one time fewer.
    return {"dagster/max_retries": str(load_settings().max_job_attempts - 1)}


# In-process execution: the five steps of one video run in one process, one after the other, which saves a
# process start and a code load per step; parallelism comes from running several videos at once.
video_job = dg.define_asset_job(
    "video_job",
    selection=dg.AssetSelection.assets(*VIDEO_ASSETS),
    executor_def=dg.in_process_executor,
    tags=video_run_tags(),
    config=CONSOLE_LOGGER_RUN_CONFIG,
    description="Render and deliver one order's video (one partition of `videos`).",
)
