"""`python -m santa_videos_tests.fakes`: serve both fakes until stopped. Prints one JSON line: the environment that
points SANTA_PROVIDERS=real at them (their URLs, the made-up keys they accept, a short first poll)."""

import json
import signal
import sys
import threading

from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield, real_providers_env


def main() -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # A fast fake: the demo shows the paid path, not the providers' waiting times.
    with FakeElevenLabs() as voice, FakeHiggsfield(queued_polls=1, running_polls=1) as clips:
        print(json.dumps({**real_providers_env(voice, clips), "HIGGSFIELD_POLL_SECONDS": "0.5"}), flush=True)
        stop.wait()
        print(json.dumps({"elevenlabs_requests": voice.count(), "elevenlabs_speech_requests": voice.count("tts"),
                          "higgsfield_requests": clips.count(),
                          "higgsfield_submissions": clips.count("submit"),
                          "higgsfield_peak_concurrent": clips.peak_active}), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
