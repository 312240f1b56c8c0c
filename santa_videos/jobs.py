import dagster as dg

from santa_videos.assets.audio import audio
from santa_videos.assets.clip import clip
from santa_videos.assets.delivery import delivery
from santa_videos.assets.script import script
from santa_videos.assets.video import video
from santa_videos.logs import CONSOLE_LOGGER_RUN_CONFIG
from santa_videos.providers.settings import load_provider_settings
from santa_videos.settings import load_settings

VIDEO_ASSETS = [script, audio, clip, video, delivery]
MAX_RUNTIME_TAG = "dagster/max_runtime"


def video_run_tags() -> dict[str, str]:
    settings = load_settings()
    providers = load_provider_settings()
    # Where lip-sync is offered, a clip may be polled for up to the provider's deadline before the run goes on.
    lipsync = providers.higgsfield_deadline_seconds if "lipsync" in providers.clip_strategies else 0
    return {
        # MAX_JOB_ATTEMPTS counts runs per order, so a run may be retried one time fewer.
        "dagster/max_retries": str(settings.max_job_attempts - 1),
        MAX_RUNTIME_TAG: str(int(settings.run_max_runtime_seconds + lipsync)),
    }


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
