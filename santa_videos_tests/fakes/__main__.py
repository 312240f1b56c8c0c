"""`python -m santa_videos_tests.fakes`: serve both fakes until stopped; prints one JSON line with their URLs
and the credentials they accept (fake ones)."""

import json
import signal
import sys
import threading

from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield


def main() -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # A fast fake: the demo shows the paid path, not the providers' waiting times.
    with FakeElevenLabs() as voice, FakeHiggsfield(queued_polls=1, running_polls=1) as clips:
        print(json.dumps({
            "elevenlabs_url": voice.url, "elevenlabs_api_key": voice.api_key, "voice_id": sorted(voice.voice_ids)[0],
            "higgsfield_url": clips.url, "higgsfield_api_key": clips.api_key,
        }), flush=True)
        stop.wait()
        print(json.dumps({"elevenlabs_requests": voice.count(), "higgsfield_requests": clips.count(),
                          "higgsfield_submissions": clips.count("submit"),
                          "higgsfield_peak_concurrent": clips.peak_active}), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
