"""Fake ElevenLabs and Higgsfield servers on 127.0.0.1 for tests and `santa-videos demo --providers fake`.

    with FakeElevenLabs() as voice, FakeHiggsfield() as clips:
        voice.fail("tts", "rate_limit", times=2)      # the next two TTS requests get 429 + Retry-After
        clips.outcome = "nsfw"                        # new generations end in moderation
        ... voice.count("tts"), clips.count("submit"), clips.requests("status")

Each fake lists its routes and its named faults (`faults_by_name`) in its module.
"""

from santa_videos_tests.fakes.elevenlabs import FakeElevenLabs
from santa_videos_tests.fakes.higgsfield import FakeCdn, FakeHiggsfield
from santa_videos_tests.fakes.server import Fault, FakeServer, Request

__all__ = ["FakeElevenLabs", "FakeHiggsfield", "FakeCdn", "FakeServer", "Fault", "Request"]
