"""The audio of each lip-sync generation, cut from the order's speech (a PCM WAV) with Python's `wave`."""

import hashlib
import wave
from pathlib import Path

from santa_videos.media.files import atomic_path
from santa_videos.media.lipsync_segments import Generation


class SpeechAudio:
    """The speech's samples, read once, from which every generation's audio is cut."""

    def __init__(self, path: Path):
        with wave.open(str(path)) as source:
            self.params = source.getparams()
            self.frames = source.readframes(source.getnframes())
        self.frame_bytes = self.params.sampwidth * self.params.nchannels

    def _at(self, seconds: float) -> int:
        sample = min(max(0, round(seconds * self.params.framerate)), len(self.frames) // self.frame_bytes)
        return sample * self.frame_bytes

    def samples_of(self, generation: Generation) -> bytes:
        silence = b"\0" * (round(generation.silence * self.params.framerate) * self.frame_bytes)
        return silence + b"".join(self.frames[self._at(start):self._at(end)] for start, end in generation.spans)

    def write(self, generation: Generation, out: Path) -> str:
        """Write the generation's audio as a WAV like the speech; the SHA-256 of its samples."""
        samples = self.samples_of(generation)
        with atomic_path(out) as temp, wave.open(str(temp), "wb") as target:
            target.setparams(self.params)
            target.writeframes(samples)
        return hashlib.sha256(samples).hexdigest()
