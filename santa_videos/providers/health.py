"""Whether the paid providers can serve right now, in plain words, for `santa-videos health`."""

import dagster as dg

from santa_videos.providers.settings import load_provider_settings
from santa_videos.providers.wiring import build_voice
from santa_videos.settings import load_settings


def elevenlabs_status() -> tuple[bool, str]:
    """(usable, words) from ElevenLabs' subscription, e.g. "quota exceeded", asked by the voice a run would use."""
    providers = load_provider_settings()
    # Initialized as in a run, so EnvVar keys are read from the environment.
    with dg.build_resources({"voice": build_voice(load_settings(), providers)}) as resources:
        return resources.voice.elevenlabs.quota_status()
