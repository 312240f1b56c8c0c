"""`santa-videos demo --providers fake`: the paid path offline. The fake ElevenLabs and Higgsfield servers of the
test suite run in a child process on 127.0.0.1, and this process's environment (inherited by the daemon and its
runs) points SANTA_PROVIDERS=real at them with the fakes' own made-up keys."""

import json
import os
import subprocess
import sys
from pathlib import Path


class FakeProviders:
    def __init__(self, project_dir: Path):
        if not (project_dir / "santa_videos_tests" / "fakes").is_dir():
            raise RuntimeError(f"the fake providers live in the source tree; {project_dir} has no santa_videos_tests/fakes")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "santa_videos_tests.fakes"], cwd=project_dir,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the fake providers did not start: {self.process.stderr.read()[-2000:]}")
        self.endpoints = json.loads(line)
        os.environ.update({
            "SANTA_PROVIDERS": "real",
            "ELEVENLABS_BASE_URL": self.endpoints["elevenlabs_url"],
            "ELEVENLABS_API_KEY": self.endpoints["elevenlabs_api_key"],
            "SANTA_VOICE_ID": self.endpoints["voice_id"],
            "HIGGSFIELD_BASE_URL": self.endpoints["higgsfield_url"],
            "HIGGSFIELD_API_KEY": self.endpoints["higgsfield_api_key"],
            "HIGGSFIELD_POLL_SECONDS": "0.5",
        })

    def stop(self) -> str:
        """Stop the fakes; returns what they counted (requests per provider, submissions)."""
        self.process.terminate()
        try:
            _, counted = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, counted = self.process.communicate()
        return counted.strip().splitlines()[-1] if counted.strip() else ""
