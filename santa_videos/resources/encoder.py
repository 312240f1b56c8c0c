import dagster as dg

from santa_videos.media.compose import EncodeSettings


class VideoEncoder(dg.ConfigurableResource):
    """FFmpeg settings for the final encode (x264 CRF 23 High@4.0 is fixed by the delivery spec)."""

    preset: str = "veryfast"
    threads: int = 0
    timeout_seconds: float = 600

    def settings(self) -> EncodeSettings:
        return EncodeSettings(preset=self.preset, crf=23, threads=self.threads, timeout_seconds=self.timeout_seconds)
