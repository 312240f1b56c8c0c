"""CPU time and peak memory of a process tree, read from /proc while it runs (Linux).

A thread samples every descendant of a root process a few times a second and keeps the last reading of each:
its own CPU seconds, the CPU seconds of the children it has reaped (the media tools a run worker waited for),
and its peak resident set size (VmHWM).
"""

import os
import threading
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("ffmpeg", "ffprobe", "espeak-ng")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class ProcessReading:
    pid: int
    role: str
    cpu_seconds: float
    reaped_children_cpu_seconds: float
    peak_rss_mb: float


def role_of(comm: str, cmdline: str, is_root: bool) -> str:
    if is_root:
        return "daemon"
    if comm in TOOLS:
        return "tool"
    if "spawn_main" in cmdline:
        # The code server starts each run in a freshly spawned interpreter (multiprocessing "spawn").
        return "run_worker"
    if " api grpc" in cmdline or " code-server start" in cmdline:
        return "code_server"
    return "other"


class Zombie(Exception):
    """The process has exited and waits to be reaped: its command line is gone, its last live reading stands."""


def _read_stat(pid: int) -> tuple[str, int, float, float]:
    raw = Path(f"/proc/{pid}/stat").read_text()
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        raise Zombie(pid)
    # After the comm: state ppid ... utime(14) stime(15) cutime(16) cstime(17), numbered from 1 in proc(5).
    ppid = int(fields[1])
    own = (int(fields[11]) + int(fields[12])) / TICKS
    reaped = (int(fields[13]) + int(fields[14])) / TICKS
    return comm, ppid, own, reaped


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")


class TreeSampler:
    """Samples the tree under `root_pid` (and under each of `more_roots`: a code server of its own, say) every
    `interval` seconds until stopped."""

    def __init__(self, root_pid: int, interval: float = 0.2, more_roots: tuple[int, ...] = ()):
        self.root_pid = root_pid
        self.roots = {root_pid, *more_roots}
        self.interval = interval
        self.readings: dict[int, ProcessReading] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tree-sampler", daemon=True)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        parents, stats = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                comm, ppid, own, reaped = _read_stat(int(entry))
            except (OSError, ValueError, IndexError, Zombie):
                continue
            parents[int(entry)] = ppid
            stats[int(entry)] = (comm, own, reaped)
        for pid in stats:
            if not self._descends(pid, parents):
                continue
            comm, own, reaped = stats[pid]
            try:
                # Read each time: a spawned worker shows its parent's command line until it has exec'd. An exiting
                # process shows an empty one: a role once known is kept rather than becoming "other".
                role = role_of(comm, _cmdline(pid), pid == self.root_pid)
                known = self.readings.get(pid)
                if role == "other" and known is not None:
                    role = known.role
                self.readings[pid] = ProcessReading(pid, role, own, reaped, _peak_rss_mb(pid))
            except OSError:
                continue

    def _descends(self, pid: int, parents: dict[int, int]) -> bool:
        while pid > 1:
            if pid in self.roots:
                return True
            pid = parents.get(pid, 0)
        return False

    def by_role(self, role: str) -> list[ProcessReading]:
        return [r for r in self.readings.values() if r.role == role]


def daemon_side_cpu(sampler: TreeSampler, baseline: dict[int, float], at_end: dict[int, float]) -> float:
    """CPU seconds of everything but run workers and media tools (the daemon, its code server, their helpers)
    between two samples: `baseline` and `at_end` map pid -> CPU seconds read then."""
    return sum(at_end.get(r.pid, r.cpu_seconds) - baseline.get(r.pid, 0.0)
               for role in ("daemon", "code_server", "other") for r in sampler.by_role(role))


def descendants(root_pid: int) -> list[int]:
    """Every live process under `root_pid`, read from /proc now."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = _read_stat(int(entry))[1]
            except (OSError, ValueError, IndexError, Zombie):
                continue
    found, frontier = [], [root_pid]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found
