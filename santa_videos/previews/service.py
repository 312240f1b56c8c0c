"""Name previews as the intake and the `say-name` command make them: with the resources the pipeline builds (the
same voice chain, name lexicon and audio cache a run gets), in a scratch folder that is gone afterwards."""

import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from santa_videos.previews.greeting import PreviewAudio, speak_greeting
from santa_videos.previews.ledger import PreviewLedger
from santa_videos.previews.request import PreviewRequest
from santa_videos.resources.orders import table_at
from santa_videos.settings import Settings

RESOURCES = ("voice", "audio_cache")
# Resources are built again this often, so an edited name lexicon is read within it: a run reads it once too, and
# building them for every preview would take most of a cached preview's time.
REBUILD_SECONDS = 30.0


@dataclass(frozen=True)
class Preview:
    audio: PreviewAudio
    wav: bytes


class NamePreviews:
    """Safe to share between threads. Make it in the thread that will end it (the ephemeral Dagster instance
    resources are built on keeps an in-memory SQLite database, which must be closed by its own thread)."""

    def __init__(self, settings: Settings):
        from santa_videos.definitions import build_resources

        self.daily_cap = settings.preview_max_characters_per_day
        self.ledger = PreviewLedger(table_at(settings.orders_db_url).engine)
        every = build_resources(settings)
        self._resources = {name: every[name] for name in RESOURCES}
        # Under the scratch folders the cleanup's temp sweep empties, should a process die mid-preview.
        self._scratch = every["media"].scratch_root() / "previews"
        self._instance = dg.DagsterInstance.ephemeral()
        self._lock = threading.Lock()
        self._built, self._built_at, self._stack = None, 0.0, None

    def _built_resources(self):
        with self._lock:
            if self._built is None or time.monotonic() - self._built_at > REBUILD_SECONDS:
                stack = ExitStack()
                self._built = stack.enter_context(dg.build_resources(self._resources, self._instance))
                if self._stack is not None:
                    self._stack.close()
                self._stack, self._built_at = stack, time.monotonic()
            return self._built

    def speak(self, request: PreviewRequest, now: datetime | None = None) -> Preview:
        """The greeting for `request` (see greeting.speak_greeting for what it raises)."""
        now = now or datetime.now(timezone.utc)
        built = self._built_resources()
        self._scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self._scratch) as folder:
            out = Path(folder) / "preview.wav"
            audio = speak_greeting(built.voice, built.audio_cache.cache(), self.ledger, self.daily_cap, request, out,
                                   Path(folder) / "speech", now)
            return Preview(audio, out.read_bytes())
