"""The clip strategies in the order settings give: `lipsync` (Higgsfield), `template` (the clip library cut to
the speech), `still` (the scene slowly zooming). The order's own strategy is where the chain starts; a strategy
that fails hands over to the next, cheaper one, and the result says why."""

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from santa_videos.media.clip import render_still_clip
from santa_videos.media.clip_library import cut_template_clip, ensure_portrait
from santa_videos.media.ffmpeg_run import MediaError
from santa_videos.orders.lipsync_ledger import LipsyncLedger
from santa_videos.orders.table import OrderTable
from santa_videos.providers.errors import ProviderError
from santa_videos.resources.higgsfield import HiggsfieldClips
from santa_videos.resources.lipsync_clip import LipsyncCosts, render_lipsync
from santa_videos.resources.media_store import MediaStore

CLIP_STRATEGIES = ("lipsync", "template", "still")
PROVIDERS = {"lipsync": "higgsfield", "template": "local-ffmpeg", "still": "local-ffmpeg"}


@dataclass
class ServedClip:
    path: Path
    provider: str
    strategy: str
    skipped: list[str] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)
    request_id: str = ""
    resumed: bool = False
    fallback_seconds: float = 0.0
    # What lip-sync made and paid for in this render, also when it failed and a cheaper strategy served.
    lipsync_segments: int = 0
    lipsync_generations: int = 0
    lipsync_seconds_billed: int = 0
    lipsync_segments_reused: int = 0
    lipsync_coverage: float = 0.0

    def count_lipsync(self, costs: LipsyncCosts) -> None:
        self.lipsync_segments, self.lipsync_generations = costs.segments, costs.generations
        self.lipsync_seconds_billed, self.lipsync_segments_reused = costs.seconds_billed, costs.reused
        if self.strategy == "lipsync":
            self.lipsync_coverage = costs.coverage
            self.request_id, self.resumed = ", ".join(costs.request_ids), costs.resumed


@dataclass(frozen=True)
class LipsyncInputs:
    """What the lip-sync strategy needs beyond the speech: its timings (cues.json), the media store that keeps
    generated clips, and who claims segments in the ledger (this run, on this machine)."""

    timing: dict
    media: MediaStore
    claimer: str


def strategies_for(requested: str, configured: list[str]) -> tuple[list[str], list[str]]:
    """(strategies to try, reasons for those passed over): start at the requested one, never go dearer."""
    if requested in configured:
        return configured[configured.index(requested):], []
    later = [s for s in configured if CLIP_STRATEGIES.index(s) > CLIP_STRATEGIES.index(requested)] if requested in CLIP_STRATEGIES else configured
    return later, [f"{requested}: not enabled (SANTA_CLIP_STRATEGIES is {','.join(configured)})"]


class ClipChain(dg.ConfigurableResource):
    """Santa on screen as long as he speaks, by the first strategy that can serve the order."""

    strategies: list[str] = ["template", "still"]
    higgsfield: HiggsfieldClips
    timeout_seconds: float = 600
    threads: int = 0

    def render(
        self, order_id: str, requested: str, duration: float, audio: Path, out: Path, scene_dir: Path,
        workdir: Path, table: OrderTable, log: Callable[[str], None], lipsync: LipsyncInputs | None = None,
    ) -> ServedClip:
        todo, skipped = strategies_for(requested, self.strategies)
        started, requests, costs = time.monotonic(), {}, LipsyncCosts()
        for strategy in todo:
            failed_at = time.monotonic()
            served = ServedClip(path=out, provider=PROVIDERS.get(strategy, strategy), strategy=strategy, requests=requests)
            try:
                self._render(strategy, order_id, duration, audio, out, scene_dir, workdir, table, lipsync, requests,
                             costs, log)
            except (ProviderError, MediaError) as exc:
                reason = exc.reason if isinstance(exc, ProviderError) else str(exc)
                skipped.append(f"{strategy}: {reason}")
                log(f"clip strategy {strategy} skipped: {reason}")
                continue
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
            served.skipped = skipped
            served.count_lipsync(costs)
            served.fallback_seconds = round(failed_at - started, 3)
            return served
        raise dg.Failure("no clip strategy could serve the order: " + "; ".join(skipped), allow_retries=False)

    def _render(self, strategy, order_id, duration, audio, out, scene_dir, workdir, table, lipsync, requests, costs,
                log) -> None:
        if strategy == "lipsync":
            self._lipsync(order_id, audio, out, scene_dir, workdir, table, lipsync, requests, costs, log)
        elif strategy == "template":
            workdir.mkdir(parents=True, exist_ok=True)
            cut_template_clip(order_id, duration, out, scene_dir, workdir, self.timeout_seconds, self.threads)
        elif strategy == "still":
            render_still_clip(order_id, audio, duration, out, scene_dir, workdir, self.timeout_seconds, self.threads)
        else:
            raise ProviderError(strategy, f"unknown clip strategy (known: {', '.join(CLIP_STRATEGIES)})")

    def _lipsync(self, order_id, audio, out, scene_dir, workdir, table, lipsync, requests, costs, log) -> None:
        missing = self.higgsfield.missing_configuration()
        if missing or lipsync is None:
            raise ProviderError("Higgsfield", missing or "the speech's timings were not given")
        calls: dict[str, int] = {}
        ledger = LipsyncLedger(table.engine, lipsync.claimer, self.higgsfield.claim_stale_seconds)
        try:
            render_lipsync(
                self.higgsfield, order_id, lipsync.timing, audio, ensure_portrait(scene_dir), out, workdir,
                lipsync.media, ledger, calls, costs, log, self.timeout_seconds, self.threads,
            )
        finally:
            requests.update({f"higgsfield_{route}": count for route, count in calls.items()})
