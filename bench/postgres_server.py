"""A PostgreSQL server of the bench's own (Debian's binaries, default settings, a temporary data folder), so that
what its processes spend is what the cluster's databases cost: every backend from fork to exit, connection setup
included, and the server's background work. A server shared with anything else cannot tell its backends apart
once they have exited."""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from bench.procs import TICKS, descendants
from santa_videos.cluster.local import as_user
from santa_videos.cluster.services import port_open, wait_until
from santa_videos.processes import free_port, stop_process


def server_binaries() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root: then it runs as the `postgres` system user, as Debian's own server does."""
    if os.geteuid() != 0:
        return None
    pwd.getpwnam("postgres")
    return "postgres"


@contextmanager
def postgres_server(settings: dict[str, str] | None = None) -> Iterator[tuple[sa.URL, int]]:
    """A running server on a free port of 127.0.0.1 (trust authentication) in a temporary folder of its own (its
    user must reach it), removed afterwards: its admin URL and its postmaster's pid. `settings` are server settings
    (`log_connections`, say)."""
    binaries, user = server_binaries(), _server_user()
    if binaries is None:
        raise RuntimeError("PostgreSQL's server binaries are not installed: apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="santa-bench-postgres-"))
    if user:
        os.chown(folder, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
    data, port = folder / "data", free_port()
    try:
        initdb = subprocess.run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                 "-E", "UTF8", "--no-sync"], capture_output=True, text=True, cwd=folder,
                                **as_user(user))
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed in {folder}:\n{initdb.stderr}")
        with (folder / "postgres.log").open("ab") as log:
            server = subprocess.Popen(
                [str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(folder),
                 "-c", "listen_addresses=127.0.0.1",
                 *[f"-c{name}={value}" for name, value in (settings or {}).items()]],
                cwd=folder, stdout=log, stderr=subprocess.STDOUT, **as_user(user),
            )
        try:
            wait_until(lambda: port_open(port), 60, "the bench's PostgreSQL", server)
            yield sa.make_url(f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres"), server.pid
        finally:
            stop_process(server, timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def server_cpu_seconds(postmaster_pid: int) -> float:
    """CPU seconds of the whole server so far: the postmaster, the backends it has reaped, and those still alive."""
    total = _own_and_reaped(postmaster_pid)
    for pid in descendants(postmaster_pid):
        try:
            total += _own_and_reaped(pid)
        except (OSError, IndexError, ValueError):
            continue  # a backend that exited meanwhile: it is in the postmaster's reaped time from now on
    return total


def _own_and_reaped(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / TICKS
