"""Child processes on this machine: a free loopback port, a server started and awaited, a process stopped."""

import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process(process: subprocess.Popen | None, timeout: float = 60, sig: int = signal.SIGTERM) -> None:
    """`sig` (SIGTERM: finish cleanly), then SIGKILL if the process has not ended within `timeout` seconds."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class ServerProcess:
    """A server command run in `cwd`, its output in `log`, ready once `ready_path` answers on 127.0.0.1:`port`."""

    def __init__(self, command: list[str], env: dict, log: Path, port: int, ready_path: str = "/",
                 cwd: Path | None = None, start_timeout: float = 180):
        self.command, self.env, self.log, self.port, self.ready_path = command, env, log, port, ready_path
        self.cwd, self.start_timeout = cwd, start_timeout
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "ServerProcess":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.command[0]} exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + self.ready_path, timeout=5, trust_env=False).status_code < 500:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        self.__exit__()
        raise AssertionError(
            f"{self.command[0]} did not answer within {self.start_timeout:.0f} s:\n{self.log.read_text()[-3000:]}"
        )

    def __exit__(self, *exc) -> None:
        stop_process(self.process, timeout=30)
