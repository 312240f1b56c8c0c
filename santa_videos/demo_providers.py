"""`santa-videos demo --providers fake`: the paid path offline. The fake ElevenLabs and Higgsfield servers of the
test suite run in a child process on 127.0.0.1; the environment it prints (SANTA_PROVIDERS=real pointed at them,
with the fakes' own made-up keys) goes into this process's, which the daemon and its runs inherit."""

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
        os.environ.update(json.loads(line))

    def stop(self) -> str:
        """Stop the fakes; returns what they counted (requests per provider, submissions)."""
        self.process.terminate()
        try:
            _, counted = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, counted = self.process.communicate()
        return counted.strip().splitlines()[-1] if counted.strip() else ""
