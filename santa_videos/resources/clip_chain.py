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
from santa_videos.orders.table import OrderTable
from santa_videos.providers.errors import ProviderError
from santa_videos.providers.retry import Attempts
from santa_videos.resources.higgsfield import HiggsfieldClips

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


class OrderRequestLedger:
    """The lip-sync request id kept on the order's row."""

    def __init__(self, table: OrderTable, order_id: str):
        self.table, self.order_id = table, order_id

    def saved(self) -> str | None:
        return self.table.get(self.order_id).clip_request_id

    def save(self, request_id: str) -> None:
        self.table.set_clip_request(self.order_id, request_id)

    def clear(self) -> None:
        self.table.set_clip_request(self.order_id, None)


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
        workdir: Path, table: OrderTable, log: Callable[[str], None],
    ) -> ServedClip:
        todo, skipped = strategies_for(requested, self.strategies)
        started, requests = time.monotonic(), {}
        for strategy in todo:
            failed_at = time.monotonic()
            served = ServedClip(path=out, provider=PROVIDERS.get(strategy, strategy), strategy=strategy, requests=requests)
            try:
                self._render(strategy, order_id, duration, audio, out, scene_dir, workdir, table, served, log)
            except (ProviderError, MediaError) as exc:
                reason = exc.reason if isinstance(exc, ProviderError) else str(exc)
                skipped.append(f"{strategy}: {reason}")
                log(f"clip strategy {strategy} skipped: {reason}")
                continue
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
            served.skipped = skipped
            served.fallback_seconds = round(failed_at - started, 3)
            return served
        raise dg.Failure("no clip strategy could serve the order: " + "; ".join(skipped), allow_retries=False)

    def _render(self, strategy, order_id, duration, audio, out, scene_dir, workdir, table, served, log) -> None:
        if strategy == "lipsync":
            missing = self.higgsfield.missing_configuration()
            if missing:
                raise ProviderError("Higgsfield", missing)
            calls: dict[str, int] = {}
            try:
                result = self.higgsfield.lipsync(
                    order_id, audio, ensure_portrait(scene_dir), out, OrderRequestLedger(table, order_id),
                    Attempts(), log, calls,
                )
            finally:
                served.requests.update({f"higgsfield_{route}": count for route, count in calls.items()})
            served.request_id, served.resumed = result.request_id, result.resumed
        elif strategy == "template":
            workdir.mkdir(parents=True, exist_ok=True)
            cut_template_clip(order_id, duration, out, scene_dir, workdir, self.timeout_seconds, self.threads)
        elif strategy == "still":
            render_still_clip(order_id, audio, duration, out, scene_dir, workdir, self.timeout_seconds, self.threads)
        else:
            raise ProviderError(strategy, f"unknown clip strategy (known: {', '.join(CLIP_STRATEGIES)})")
