from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from santa_videos.media.clip import LOCAL_STRATEGIES, render_local_clip


@dataclass(frozen=True)
class ClipResult:
    path: Path
    provider: str
    strategy: str
    skipped: str


class LocalClipRenderer(dg.ConfigurableResource):
    """Santa in a North Pole scene drawn and animated with FFmpeg on this machine: no key, no network."""

    timeout_seconds: float = 600
    threads: int = 0

    def render(self, requested: str, duration: float, out: Path, scene_dir: Path) -> ClipResult:
        strategy, skipped = requested, ""
        if requested not in LOCAL_STRATEGIES:
            strategy = "template"
            skipped = f"{requested}: no lip-sync provider is configured, so the template clip serves instead"
        render_local_clip(strategy, duration, out, scene_dir, self.timeout_seconds, self.threads)
        return ClipResult(path=out, provider="local-ffmpeg", strategy=strategy, skipped=skipped)
