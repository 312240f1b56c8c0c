"""A provider's finished video fetched from its CDN: streamed, capped in size, probed before it counts."""

from pathlib import Path

import httpx

from santa_videos.media.ffmpeg_run import MediaError, probe
from santa_videos.media.files import atomic_path
from santa_videos.providers.errors import PermanentProviderError, TransientProviderError


def download_video(url: str, out: Path, timeout: httpx.Timeout, max_bytes: int, provider: str,
                   classify_status) -> Path:
    """No credentials are sent (CDN URLs are public). Broken transfers are transient; an oversized file or one
    that is not a playable video is permanent. `classify_status(status, body)` maps HTTP errors."""
    too_big = PermanentProviderError(provider, f"the video is larger than {max_bytes // (1024 * 1024)} MB")
    with atomic_path(out) as temp:
        try:
            with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
                if response.status_code >= 400:
                    raise classify_status(response.status_code, response.read()[:500].decode("utf-8", "replace"))
                if int(response.headers.get("content-length") or 0) > max_bytes:
                    raise too_big
                size = 0
                with temp.open("wb") as handle:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise too_big
                        handle.write(chunk)
        except httpx.TransportError as exc:
            raise TransientProviderError(provider, f"the video download broke off ({type(exc).__name__})") from None
        try:
            streams = probe(temp)["streams"]
        except (MediaError, KeyError, ValueError):
            raise PermanentProviderError(provider, "the downloaded file is not a playable video") from None
        if not any(stream.get("codec_type") == "video" for stream in streams):
            raise PermanentProviderError(provider, "the downloaded file has no video stream")
    return out
