from pathlib import Path

import dagster as dg

from santa_videos.media.loudness import level_sentence
from santa_videos.media.sentence_cuts import VoicedSentence
from santa_videos.media.speech import ESPEAK_VOICES, Speech, speak_line, synthesize


class EspeakVoice(dg.ConfigurableResource):
    """Santa's voice from espeak-ng: offline, free, always available; the last link of the speech chain."""

    speed_wpm: int = 135
    pitch: int = 22
    timeout_seconds: float = 120

    @property
    def provider(self) -> str:
        return "espeak-ng"

    def voice_for(self, language: str) -> str:
        return ESPEAK_VOICES[language]

    def speak(self, lines: list[tuple[str, str]], language: str, out: Path, workdir: Path) -> Speech:
        """`lines` are (spoken, caption) pairs; returns the WAV with one caption cue per line."""
        return synthesize(lines, language, out, workdir, self.speed_wpm, self.pitch, self.timeout_seconds)

    def voice_sentence(self, text: str, language: str, out: Path, workdir: Path) -> VoicedSentence:
        """One sentence, its silent ends trimmed and levelled like every other (media/loudness.py)."""
        workdir.mkdir(parents=True, exist_ok=True)
        raw = workdir / f"espeak-{out.stem}.wav"
        try:
            speak_line(text, language, raw, self.speed_wpm, self.pitch, self.timeout_seconds)
            duration = level_sentence(["-i", str(raw)], out, self.timeout_seconds, trim_silence=True)
        finally:
            raw.unlink(missing_ok=True)
        return VoicedSentence(path=out, duration=duration, words=[])
