"""What an interrupted run can leave behind for one order: its scratch folder and half-written files."""

import shutil
from pathlib import Path

from santa_videos.media.files import TEMP_MARKER


def leftovers(media_root: Path, deliveries: Path, order_id: str) -> list[Path]:
    """Temporary files (named with TEMP_MARKER) of the order's working folder and its deliveries, and its scratch
    folder under tmp/."""
    found = [p for p in (media_root / "orders" / order_id).glob(f"{TEMP_MARKER}*")]
    found += [p for p in deliveries.glob(f"{TEMP_MARKER}*-{order_id}.*")]
    scratch = media_root / "tmp" / order_id
    return found + ([scratch] if scratch.exists() else [])


def remove_leftovers(media_root: Path, deliveries: Path, order_id: str) -> int:
    """Delete them; call only when no run of the order is live, or a running step would lose its files."""
    removed = leftovers(media_root, deliveries, order_id)
    for path in removed:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return len(removed)
