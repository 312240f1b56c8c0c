"""The code location in a server of its own (`dagster code-server start`), as docs/production.md runs it: a daemon
or webserver given the package itself starts a code server of its own, and the daemon replaces its one every 60 s,
loading every definition again each time."""

import subprocess
import sys
from pathlib import Path

from santa_videos.cluster.services import port_open

BIN = Path(sys.executable).parent


def code_server_command(module: str, location_name: str, port: int) -> list[str]:
    return [str(BIN / "dagster"), "code-server", "start", "-m", module, "--location-name", location_name,
            "-h", "127.0.0.1", "-p", str(port)]


def serving(port: int, env: dict) -> bool:
    """Whether the code server on `port` answers (it listens before its definitions have loaded)."""
    if not port_open(port):
        return False
    check = subprocess.run([str(BIN / "dagster"), "api", "grpc-health-check", "-p", str(port)],
                           capture_output=True, env=env)
    return check.returncode == 0


def grpc_workspace(port: int, location_name: str) -> str:
    """A workspace that reaches a code server already running, which the daemon and webserver never restart."""
    return f"load_from:\n  - grpc_server:\n      host: 127.0.0.1\n      port: {port}\n" \
        f"      location_name: {location_name}\n"
