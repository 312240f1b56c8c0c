"""`santa-videos health`: every check passes in a healthy setup, and each broken part fails its own check alone."""

import json
import os
import shutil
import subprocess
import time
from datetime import datetime, timedelta, timezone

import dagster as dg
import pytest
from dagster._daemon.types import DaemonHeartbeat

from santa_videos.cli import main
from santa_videos.daemon_harness import BIN
from santa_videos.orders.table import orders as orders_table
from santa_videos_tests.conftest import PROJECT_ROOT, make_order
from santa_videos_tests.fakes.elevenlabs import FakeElevenLabs
from santa_videos_tests.fakes.higgsfield import FakeHiggsfield
from santa_videos_tests.postgres import POSTGRES_INSTANCE_YAML, instance_env, temporary_database

pytestmark = pytest.mark.integration

ELEVENLABS_KEY = "sk_fake_elevenlabs_key"
ALL_CHECKS = ["ffmpeg", "espeak-ng", "media folder", "deliveries folder", "cache folder", "temp folder",
              "dagster instance", "daemon", "provider keys", "queue", "deadlines"]


def beat(instance, age_seconds: float = 0) -> None:
    """What a running dagster-daemon writes for each of its daemons."""
    for kind in instance.get_required_daemon_types():
        instance.add_daemon_heartbeat(DaemonHeartbeat(time.time() - age_seconds, kind, "health-test", []))


@pytest.fixture
def healthy(instance, settings, table, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("HEALTH_MIN_FREE_MB", "1")
    monkeypatch.setenv("SANTA_MAX_CONCURRENT_RUNS", "2")
    for name in ("SANTA_PROVIDERS", "ELEVENLABS_API_KEY", "HIGGSFIELD_API_KEY", "AUDIO_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    beat(instance)
    return instance


def health(capsys, *args) -> tuple[int, dict[str, dict]]:
    code = main(["health", "--json", *args])
    report = json.loads(capsys.readouterr().out)
    assert report["healthy"] == (code == 0)
    return code, {check["name"]: check for check in report["checks"]}


def failing(checks: dict) -> list[str]:
    return [name for name, check in checks.items() if not check["ok"]]


def tools_dir(tmp_path, *tools: str):
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        (folder / tool).symlink_to(shutil.which(tool))
    return str(folder)


def test_a_healthy_setup_passes_every_check(healthy, capsys):
    code, checks = health(capsys)
    assert (code, failing(checks)) == (0, [])
    assert list(checks) == ALL_CHECKS
    assert "libx264, aac" in checks["ffmpeg"]["detail"]
    assert checks["dagster instance"]["detail"] == "SqliteRunStorage reachable"


def test_the_command_prints_one_line_per_check_and_exits_0(healthy, settings, tmp_path):
    env = {**os.environ, "SANTA_DATA_DIR": str(settings.data_dir)}
    done = subprocess.run([str(BIN / "santa-videos"), "health"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("  ")[0] for line in lines] == ["ok"] * len(ALL_CHECKS)
    assert [line[6:25].strip() for line in lines] == ALL_CHECKS


def break_ffmpeg_missing(tmp_path, monkeypatch, **_):
    monkeypatch.setenv("PATH", tools_dir(tmp_path, "ffprobe", "espeak-ng"))


def break_ffmpeg_without_libx264(tmp_path, monkeypatch, **_):
    folder = tools_dir(tmp_path, "ffprobe", "espeak-ng")
    wrapper = os.path.join(folder, "ffmpeg")
    # An FFmpeg build without libx264, as some distributions ship it.
    with open(wrapper, "w") as script:
        script.write(f'#!/bin/sh\n{shutil.which("ffmpeg")} "$@" | {shutil.which("grep")} -v libx264\n')
    os.chmod(wrapper, 0o755)
    monkeypatch.setenv("PATH", folder)


def break_espeak_missing(tmp_path, monkeypatch, **_):
    monkeypatch.setenv("PATH", tools_dir(tmp_path, "ffmpeg", "ffprobe"))


def break_cache_folder(tmp_path, monkeypatch, **_):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("AUDIO_CACHE_DIR", str(tmp_path / "a-file" / "cache"))


def break_instance_storage(tmp_path, monkeypatch, **_):
    home = tmp_path / "pg_home"
    home.mkdir()
    # PostgreSQL storage on a port where nothing listens.
    (home / "dagster.yaml").write_text(
        "storage:\n  postgres:\n    postgres_db:\n      hostname: 127.0.0.1\n      port: 1\n"
        "      username: postgres\n      password: {env: DAGSTER_PG_PASSWORD}\n      db_name: nowhere\n")
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", "pg-secret-do-not-print")
    monkeypatch.setenv("DAGSTER_HOME", str(home))


def break_daemon(instance, **_):
    beat(instance, age_seconds=600)


def break_provider_keys(monkeypatch, **_):
    monkeypatch.setenv("SANTA_PROVIDERS", "real")


def break_queue(table, **_):
    order = make_order()
    table.add([order])
    with table.engine.begin() as conn:
        conn.execute(orders_table.update().where(orders_table.c.order_id == order.order_id)
                     .values(created_at=datetime.now(timezone.utc) - timedelta(hours=2)))


def break_deadlines(table, **_):
    # Due in a minute, while a video takes two (SANTA_EXPECTED_RENDER_SECONDS before any delivery).
    table.add([make_order(deadline=(datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat())])


@pytest.mark.parametrize("broken, expected", [
    (break_ffmpeg_missing, ["ffmpeg"]),
    (break_ffmpeg_without_libx264, ["ffmpeg"]),
    (break_espeak_missing, ["espeak-ng"]),
    (break_cache_folder, ["cache folder"]),
    (break_instance_storage, ["dagster instance"]),
    (break_daemon, ["daemon"]),
    (break_provider_keys, ["provider keys"]),
    (break_queue, ["queue"]),
    (break_deadlines, ["deadlines"]),
], ids=lambda value: value.__name__.removeprefix("break_") if callable(value) else None)
def test_each_broken_part_fails_its_own_check(healthy, table, tmp_path, monkeypatch, capsys, broken, expected):
    broken(instance=healthy, table=table, tmp_path=tmp_path, monkeypatch=monkeypatch)
    code, checks = health(capsys)
    assert code == 1
    assert failing(checks) == expected
    text = json.dumps(checks)
    assert "pg-secret-do-not-print" not in text
    if broken is break_ffmpeg_without_libx264:
        assert checks["ffmpeg"]["detail"].endswith("lacks the encoders libx264")


def test_low_free_space_fails_every_folder(healthy, monkeypatch, capsys):
    monkeypatch.setenv("HEALTH_MIN_FREE_MB", str(10**12))
    code, checks = health(capsys)
    assert code == 1
    assert failing(checks) == ["media folder", "deliveries folder", "cache folder", "temp folder"]
    assert "MB free (HEALTH_MIN_FREE_MB is" in checks["cache folder"]["detail"]


def test_ping_reaches_the_providers_and_never_prints_the_keys(healthy, monkeypatch, capsys):
    with FakeElevenLabs(api_key=ELEVENLABS_KEY) as elevenlabs, FakeHiggsfield() as higgsfield:
        monkeypatch.setenv("SANTA_PROVIDERS", "real")
        monkeypatch.setenv("ELEVENLABS_API_KEY", ELEVENLABS_KEY)
        monkeypatch.setenv("HIGGSFIELD_API_KEY", higgsfield.api_key)
        monkeypatch.setenv("SANTA_VOICE_ID", "santa-voice")
        monkeypatch.setenv("ELEVENLABS_BASE_URL", elevenlabs.url)
        monkeypatch.setenv("HIGGSFIELD_BASE_URL", higgsfield.url)
        code, checks = health(capsys, "--ping")
        assert (code, failing(checks)) == (0, [])
        assert elevenlabs.count("subscription") == 1
        assert "characters left" in checks["elevenlabs"]["detail"]

        elevenlabs.exhaust_quota()
        code, checks = health(capsys, "--ping")
        assert (code, failing(checks)) == (1, ["elevenlabs"])
        assert "quota" in checks["elevenlabs"]["detail"]
        text = json.dumps(checks)
        assert ELEVENLABS_KEY not in text and higgsfield.api_key not in text

        monkeypatch.setenv("ELEVENLABS_BASE_URL", "http://127.0.0.1:1")
        monkeypatch.setenv("HIGGSFIELD_BASE_URL", "http://127.0.0.1:1")
        code, checks = health(capsys, "--ping")
        assert (code, failing(checks)) == (1, ["elevenlabs", "higgsfield"])


def test_a_postgresql_instance_is_checked_the_same_way(healthy, tmp_path, monkeypatch, capsys):
    with temporary_database("health") as name:
        home = tmp_path / "pg_home"
        home.mkdir()
        shutil.copy(POSTGRES_INSTANCE_YAML, home / "dagster.yaml")
        for variable, value in instance_env(name).items():
            monkeypatch.setenv(variable, value)
        monkeypatch.setenv("DAGSTER_HOME", str(home))
        code, checks = health(capsys)
        assert checks["dagster instance"] == {"name": "dagster instance", "ok": True,
                                              "detail": "PostgresRunStorage reachable"}
        assert failing(checks) == ["daemon"], "a new database has no daemon heartbeats yet"
        with dg.DagsterInstance.get() as instance:
            beat(instance)
        code, checks = health(capsys)
        assert (code, failing(checks)) == (0, [])
