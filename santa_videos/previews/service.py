"""Name previews as the intake and the `say-name` command make them: with the resources the pipeline builds (the
same voice chain, name lexicon and audio cache a run gets), in a scratch folder that is gone afterwards."""

import tempfile
import threading
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


@dataclass(frozen=True)
class Preview:
    audio: PreviewAudio
    wav: bytes


class NamePreviews:
    def __init__(self, settings: Settings):
        from santa_videos.definitions import build_resources

        self.daily_cap = settings.preview_max_characters_per_day
        self.ledger = PreviewLedger(table_at(settings.orders_db_url).engine)
        every = build_resources(settings)
        self._resources = {name: every[name] for name in RESOURCES}
        self._threads = threading.local()
        # Under the scratch folders the cleanup's temp sweep empties, should a process die mid-preview.
        self._scratch = every["media"].scratch_root() / "previews"

    def _instance(self) -> dg.DagsterInstance:
        """An ephemeral instance per thread (its in-memory storage is SQLite, bound to the thread that made it):
        build_resources would otherwise make one every time, most of a cached preview's time."""
        if not hasattr(self._threads, "instance"):
            self._threads.instance = dg.DagsterInstance.ephemeral()
        return self._threads.instance

    def speak(self, request: PreviewRequest, now: datetime | None = None) -> Preview:
        """The greeting for `request` (see greeting.speak_greeting for what it raises). Resources are built for each
        preview, as for each run, so an edited name lexicon counts from the next preview on."""
        now = now or datetime.now(timezone.utc)
        self._scratch.mkdir(parents=True, exist_ok=True)
        with (dg.build_resources(self._resources, self._instance()) as built,
              tempfile.TemporaryDirectory(dir=self._scratch) as folder):
            out = Path(folder) / "preview.wav"
            audio = speak_greeting(built.voice, built.audio_cache.cache(), self.ledger, self.daily_cap, request, out,
                                   Path(folder) / "speech", now)
            return Preview(audio, out.read_bytes())
