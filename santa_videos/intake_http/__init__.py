from santa_videos.intake_http.app import create_app

__all__ = ["create_app"]
