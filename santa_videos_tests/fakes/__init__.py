"""Fake ElevenLabs and Higgsfield servers on 127.0.0.1 for tests and `santa-videos demo --providers fake`.

    with FakeElevenLabs() as voice, FakeHiggsfield() as clips:
        voice.fail("tts", "rate_limit", times=2)      # the next two TTS requests get 429 + Retry-After
        clips.outcome = "nsfw"                        # new generations end in moderation
        ... voice.count("tts"), clips.count("submit"), clips.requests("status")

Each fake lists its routes and its named faults (`faults_by_name`) in its module. `real_providers_env` is the
environment that points the real provider resources (SANTA_PROVIDERS=real) at a pair of fakes.
"""

from santa_videos_tests.fakes.elevenlabs import FakeElevenLabs
from santa_videos_tests.fakes.higgsfield import FakeCdn, FakeHiggsfield
from santa_videos_tests.fakes.server import Fault, FakeServer, Request


def real_providers_env(voice: FakeElevenLabs, clips: FakeHiggsfield) -> dict[str, str]:
    """SANTA_PROVIDERS=real with the fakes' loopback URLs and the (made-up) keys and voice they accept."""
    return {
        "SANTA_PROVIDERS": "real",
        "ELEVENLABS_BASE_URL": voice.url, "ELEVENLABS_API_KEY": voice.api_key, "SANTA_VOICE_ID": sorted(voice.voice_ids)[0],
        "HIGGSFIELD_BASE_URL": clips.url, "HIGGSFIELD_API_KEY": clips.api_key,
    }


__all__ = ["FakeElevenLabs", "FakeHiggsfield", "FakeCdn", "FakeServer", "Fault", "Request", "real_providers_env"]
