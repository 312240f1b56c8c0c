"""What the browser tests share: Debian's Chromium driven by playwright, and screenshots under test-output/ for a
person to look at."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, sync_playwright

from santa_videos_tests.conftest import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
# Without these Chromium phones home at start-up; on a closed network those connections are refused and slow it.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"


@contextmanager
def chromium(**context_options) -> BrowserContext:
    """A fresh browser profile; `context_options` as playwright's (extra_http_headers={"Accept-Language": ...})."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900}, **context_options,
        )
        try:
            yield context
        finally:
            context.close()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
