"""Run tags that bound how many runs use each paid provider at once.

dagster.yaml's tag limits are fixed numbers, so the bound comes from the environment another way: a run that will
call a provider is tagged with one of N slots (SANTA_ELEVENLABS_MAX_RUNS, SANTA_HIGGSFIELD_MAX_RUNS), and the run
queue allows one live run per slot value. Values are slot numbers only, never anything about the order's child.
"""

from santa_videos.providers.settings import ProviderSettings

ELEVENLABS_TAG = "santa/elevenlabs"
HIGGSFIELD_TAG = "santa/higgsfield"


def provider_tags(providers: ProviderSettings, seq: int, strategy: str) -> dict[str, str]:
    """Tags for the run of order number `seq` (the orders table's sequence) asking for `strategy`."""
    tags = {}
    if "elevenlabs" in providers.speech_chain:
        tags[ELEVENLABS_TAG] = f"slot-{seq % providers.elevenlabs_max_runs}"
    if strategy == "lipsync" and "lipsync" in providers.clip_strategies:
        tags[HIGGSFIELD_TAG] = f"slot-{seq % providers.higgsfield_max_runs}"
    return tags
