"""A cluster on this one machine: a central part (the code server, dagster-daemon, PostgreSQL databases, Redis, the
S3 server) and worker hosts, each with its own DAGSTER_HOME, data folder, temp folder and SANTA_HOST_NAME. The hosts
share nothing but what they reach over the network: PostgreSQL, Redis and the S3 server."""

import os
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from santa_videos.cluster.services import RedisServer, S3Server, ServiceError, wait_until
from santa_videos.code_server import BIN, code_server_command, grpc_workspace, serving
from santa_videos.processes import free_port, stop_process

CLUSTER_INSTANCE_YAML = Path(__file__).resolve().parents[2] / "deploy" / "dagster.cluster.yaml"
CODE_LOCATION = ("santa_videos.definitions", "santa_videos")


def prepare_home(folder: Path, instance_yaml: Path = CLUSTER_INSTANCE_YAML) -> Path:
    """A DAGSTER_HOME holding the cluster instance file."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(instance_yaml, folder / "dagster.yaml")
    return folder


def as_user(user: str | None) -> dict:
    """Popen arguments that run a process as `user` alone (its own group, none of root's)."""
    return {"user": user, "group": user, "extra_groups": []} if user else {}


def own(folder: Path, user: str | None) -> None:
    """Give `folder` and all in it to `user`, readable by no one else (mode 700): one machine's disk."""
    folder.chmod(0o700)
    if not user:
        return
    for path in [folder, *folder.rglob("*")]:
        try:
            shutil.chown(path, user, user)
        except FileNotFoundError:
            pass  # a file its programs removed meanwhile


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (its pool processes, their FFmpeg), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class Host:
    """One worker machine: `santa-videos worker` with folders of its own, optionally as its own system user."""

    name: str
    root: Path
    env: dict[str, str]
    concurrency: int = 1
    user: str | None = None
    process: subprocess.Popen | None = None

    def __post_init__(self):
        self.home = self.root / "dagster_home"
        self.env = {
            **self.env, "DAGSTER_HOME": str(self.home), "SANTA_DATA_DIR": str(self.data), "TMPDIR": str(self.temp),
            "SANTA_HOST_NAME": self.name, "HOME": str(self.root),
        }

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def temp(self) -> Path:
        return self.root / "tmp"

    def start(self) -> None:
        """Start the worker, making its folders first (again, after a lost machine) and giving them to its user."""
        prepare_home(self.home)
        for folder in (self.data, self.temp):
            folder.mkdir(parents=True, exist_ok=True)
        own(self.root, self.user)
        with (self.root / "worker.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "santa-videos"), "worker", "--concurrency", str(self.concurrency)],
                cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT, **as_user(self.user),
            )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def processes(self) -> list[int]:
        return [self.process.pid, *descendants(self.process.pid)] if self.alive else []

    def stop(self) -> None:
        """Celery's warm shutdown: runs in progress finish first."""
        stop_process(self.process, timeout=120)

    def lose(self) -> None:
        """The machine is gone: every process killed at once, its disk with them."""
        for pid in self.processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.rmtree(self.temp, ignore_errors=True)


@dataclass
class LocalCluster:
    """Redis, the S3 server, a dagster-daemon and worker hosts under `root`; PostgreSQL is reached by `env`."""

    root: Path
    env: dict[str, str]
    central_user: str | None = None
    code_location: tuple[str, str] = CODE_LOCATION  # module, location name
    hosts: list[Host] = field(default_factory=list)
    daemon: subprocess.Popen | None = None
    code_server: subprocess.Popen | None = None

    def __post_init__(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o711)  # each host's folder below is its own; only the names can be seen
        self.redis = RedisServer(self.root / "redis")
        self.s3 = S3Server(self.root / "s3")
        for service in (self.redis, self.s3):
            own(service.folder, None)
        self.central = prepare_home(self.root / "central" / "dagster_home")
        (self.root / "central" / "data").mkdir(exist_ok=True)
        own(self.root / "central", self.central_user)

    def start_services(self) -> None:
        """Redis and the S3 server, and Dagster's tables in PostgreSQL: made once here, before any worker starts,
        because workers that all find them missing would all create them at once (and all but one fail)."""
        self.redis.start()
        self.s3.start()
        self.env = {
            **self.env,
            "SANTA_CELERY_BROKER_URL": self.redis.url(0),
            "SANTA_CELERY_BACKEND_URL": self.redis.url(1),
            **self.s3.env(),
        }
        migrate = self.start_central([str(BIN / "dagster"), "instance", "migrate"], "migrate.log")
        if migrate.wait(timeout=300) != 0:
            raise ServiceError(f"dagster instance migrate failed: see {self.root / 'central' / 'migrate.log'}")

    @property
    def central_env(self) -> dict[str, str]:
        central = self.root / "central"
        return {**self.env, "DAGSTER_HOME": str(self.central), "SANTA_DATA_DIR": str(central / "data"),
                "TMPDIR": str(central), "HOME": str(central)}

    def add_host(self, name: str, concurrency: int = 1, user: str | None = None) -> Host:
        host = Host(name, self.root / "hosts" / name, dict(self.env), concurrency, user)
        self.hosts.append(host)
        return host

    def start_central(self, command: list[str], log_name: str) -> subprocess.Popen:
        """A process of the central machine (daemon, webserver, order intake), as its user when there is one."""
        with (self.root / "central" / log_name).open("ab") as log:
            return subprocess.Popen(
                command, cwd=self.central, env=self.central_env, stdout=log, stderr=subprocess.STDOUT,
                **as_user(self.central_user),
            )

    def start_code_server(self) -> None:
        """The code location in a server of its own, and the central workspace.yaml pointing at it. A daemon that
        starts its code server itself restarts it every 60 s, loading the definitions again each time."""
        module, location_name = self.code_location
        port = free_port()
        self.code_server = self.start_central(code_server_command(module, location_name, port), "code-server.log")
        wait_until(lambda: serving(port, self.central_env), 180, "the code server", self.code_server)
        (self.central / "workspace.yaml").write_text(grpc_workspace(port, location_name))

    def start_daemon(self, log_args: list[str] = ()) -> None:
        """The daemon, after the code server it reads (started first when it is not running)."""
        if self.code_server is None or self.code_server.poll() is not None:
            self.start_code_server()
        workspace = str(self.central / "workspace.yaml")
        self.daemon = self.start_central([str(BIN / "dagster-daemon"), "run", "-w", workspace, *log_args], "daemon.log")

    def stop(self) -> None:
        """Everything started here, workers first (their runs report to the others)."""
        for host in self.hosts:
            if host.alive:
                host.stop()
        stop_process(self.daemon, timeout=60)
        stop_process(self.code_server, timeout=60)
        self.s3.stop()
        self.redis.stop()
