"""The health check: media tools, folders and free space, the Dagster instance and its daemon, provider keys (and,
on request, the providers themselves), the age of the oldest waiting order, and orders at risk of missing their
deadline. Each check says what it saw."""

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import httpx
import sqlalchemy as sa

from santa_videos.instance_home import NoInstance, require_instance
from santa_videos.orders.estimates import at_risk_orders, current_pace
from santa_videos.orders.model import Status
from santa_videos.orders.table import OrderTable, orders
from santa_videos.providers.health import elevenlabs_status
from santa_videos.providers.settings import load_provider_settings
from santa_videos.resources.media_store import media_store
from santa_videos.settings import (
    StorageSettings, load_operations_settings, load_settings, load_storage_settings,
)

SECRET_NAME = re.compile(r"KEY|SECRET|PASSWORD|TOKEN", re.IGNORECASE)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def scrub(text: str) -> str:
    """The first line of an error, with the value of every secret-looking environment variable blanked out."""
    line = (text.strip().splitlines() or [""])[0][:300]
    for name, value in os.environ.items():
        if SECRET_NAME.search(name) and len(value) >= 4:
            line = line.replace(value, "***")
    return line


def _tool_output(args: list[str]) -> str:
    return subprocess.run(args, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL).stdout


def check_ffmpeg() -> Check:
    missing = [tool for tool in ("ffmpeg", "ffprobe") if not shutil.which(tool)]
    if missing:
        return Check("ffmpeg", False, f"not found on PATH: {', '.join(missing)}")
    version = (_tool_output(["ffmpeg", "-hide_banner", "-version"]).splitlines() or ["ffmpeg"])[0].split(" Copyright")[0]
    encoders = {line.split()[1] for line in _tool_output(["ffmpeg", "-hide_banner", "-encoders"]).splitlines()
                if len(line.split()) > 1 and line.startswith(" ")}
    lacking = [name for name in ("libx264", "aac") if name not in encoders]
    if lacking:
        return Check("ffmpeg", False, f"{version} lacks the encoders {', '.join(lacking)}")
    return Check("ffmpeg", True, f"{version}; ffprobe; encoders libx264, aac")


def check_espeak() -> Check:
    if not shutil.which("espeak-ng"):
        return Check("espeak-ng", False, "not found on PATH (the offline voice needs it)")
    return Check("espeak-ng", True, _tool_output(["espeak-ng", "--version"]).strip() or "present")


def check_folder(name: str, folder: Path, min_free_mb: int) -> Check:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-"):
            pass
        free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    except OSError as exc:
        return Check(name, False, f"{folder} is not writable: {scrub(str(exc))}")
    if free_mb < min_free_mb:
        return Check(name, False, f"{folder}: only {free_mb} MB free (HEALTH_MIN_FREE_MB is {min_free_mb})")
    return Check(name, True, f"{folder} writable, {free_mb} MB free")


def check_store(storage: StorageSettings) -> Check:
    """A bucket: write and delete a probe object (no retries: the answer is wanted now)."""
    try:
        return Check("media store", True, media_store(replace(storage, retry_seconds=0)).backend().check_writable())
    except Exception as exc:  # an unreachable server, a missing bucket, refused credentials: each is the finding
        return Check("media store", False, f"{storage.media_url} is not writable: {scrub(str(exc))}")


def storage_checks(storage: StorageSettings, cache_dir: Path, min_free_mb: int) -> list[Check]:
    """The media store, and this machine's scratch folder; a local store is checked for free space as well."""
    temp = check_folder("temp folder", storage.work_dir / "tmp", min_free_mb)
    if storage.is_s3:
        return [check_store(storage), temp]  # the audio cache lives in the bucket too
    root = media_store(storage).backend().root
    return [
        check_folder("media folder", root / "media", min_free_mb),
        check_folder("deliveries folder", root / "deliveries", min_free_mb),
        check_folder("cache folder", cache_dir, min_free_mb),
        temp,
    ]


def check_instance(instance: dg.DagsterInstance) -> Check:
    storage = type(instance.run_storage).__name__
    try:
        instance.get_runs(limit=1)
    except Exception as exc:  # any failure to read the storage is the finding itself
        return Check("dagster instance", False, f"{storage} not reachable: {scrub(str(exc))}")
    return Check("dagster instance", True, f"{storage} reachable")


def check_daemon(instance: dg.DagsterInstance, max_age_seconds: int) -> Check:
    beats = instance.get_daemon_heartbeats()
    now = time.time()
    required = list(instance.get_required_daemon_types())
    missing = [kind for kind in required if kind not in beats]
    stale = {kind: now - beats[kind].timestamp for kind in required if kind in beats}
    stale = {kind: age for kind, age in stale.items() if age > max_age_seconds}
    if missing or stale:
        problems = [f"no heartbeat from {', '.join(missing)}"] if missing else []
        problems += [f"{kind} last seen {age:.0f} s ago" for kind, age in stale.items()]
        return Check("daemon", False, "; ".join(problems) + f" (limit {max_age_seconds} s): is dagster-daemon running?")
    return Check("daemon", True, f"{len(required)} daemons, heartbeats within {max_age_seconds} s")


def check_provider_keys(needed: dict[str, str]) -> Check:
    """`needed` maps each paid provider in use to the environment variable of its key; values are never shown."""
    if not needed:
        return Check("provider keys", True, "none needed: local providers only")
    unset = [f"{provider} ({variable})" for provider, variable in needed.items() if not os.environ.get(variable)]
    if unset:
        return Check("provider keys", False, f"not set: {', '.join(unset)}")
    return Check("provider keys", True, "set: " + ", ".join(f"{p} ({v})" for p, v in needed.items()))


def check_reachable(name: str, probe: Callable[[], tuple[bool, str]]) -> Check:
    try:
        ok, detail = probe()
    except Exception as exc:  # the probe's failure is the finding
        ok, detail = False, scrub(str(exc))
    return Check(name, ok, scrub(detail))


def http_probe(url: str, timeout: float = 5) -> tuple[bool, str]:
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        return False, f"{url} not reachable: {type(exc).__name__}"
    return response.status_code < 500, f"{url} answered HTTP {response.status_code}"


def check_queue(table: OrderTable, max_age_minutes: int) -> Check:
    try:
        with table.engine.connect() as conn:
            oldest, waiting = conn.execute(
                sa.select(sa.func.min(orders.c.created_at), sa.func.count())
                .where(orders.c.status.in_([Status.RECEIVED, Status.QUEUED]))
            ).one()
    except sa.exc.SQLAlchemyError as exc:
        return Check("queue", False, f"orders table not readable: {scrub(str(exc))}")
    if not waiting:
        return Check("queue", True, "no order waiting")
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=timezone.utc)
    minutes = (datetime.now(timezone.utc) - oldest).total_seconds() / 60
    detail = f"{waiting} waiting, the oldest for {minutes:.0f} min (limit {max_age_minutes} min)"
    return Check("queue", minutes <= max_age_minutes, detail)


def check_deadlines(table: OrderTable) -> Check:
    """Fails while any unfinished order will miss its deadline at the current pace (orders/estimates.py)."""
    try:
        late, pace = at_risk_orders(table), current_pace(table)
    except sa.exc.SQLAlchemyError as exc:
        return Check("deadlines", False, f"orders table not readable: {scrub(str(exc))}")
    if not late:
        return Check("deadlines", True, f"no order at risk of missing its deadline (pace: {pace.describe()})")
    shown = ", ".join(late[:5]) + (f" and {len(late) - 5} more" if len(late) > 5 else "")
    return Check("deadlines", False, f"{len(late)} orders will miss their deadline at the current pace "
                                     f"({pace.describe()}): {shown}")


KEY_VARIABLES = {"elevenlabs": "ELEVENLABS_API_KEY", "higgsfield": "HIGGSFIELD_API_KEY"}


def _dagster_checks(max_heartbeat_age: int) -> list[Check]:
    try:
        require_instance("health")
    except NoInstance as exc:
        return [Check("dagster instance", False, str(exc))]
    try:
        instance = dg.DagsterInstance.get()
    except Exception as exc:  # a broken dagster.yaml or storage is the finding
        return [Check("dagster instance", False, f"cannot be loaded: {scrub(str(exc))}")]
    with instance:
        found = check_instance(instance)
        return [found, check_daemon(instance, max_heartbeat_age)] if found.ok else [found]


def _ping_checks(providers) -> list[Check]:
    checks = []
    if providers.uses("elevenlabs"):
        checks.append(check_reachable("elevenlabs", elevenlabs_status))
    if providers.uses("higgsfield"):
        checks.append(check_reachable("higgsfield", lambda: http_probe(providers.higgsfield_base_url)))
    return checks or [Check("providers", True, "no paid provider in use: nothing to ping")]


def run_health(ping: bool) -> list[Check]:
    settings, operations, providers = load_settings(), load_operations_settings(), load_provider_settings()
    min_free = operations.health_min_free_mb
    checks = [
        check_ffmpeg(),
        check_espeak(),
        *storage_checks(load_storage_settings(), operations.audio_cache_dir, min_free),
        *_dagster_checks(operations.health_heartbeat_max_age_seconds),
        check_provider_keys({p: v for p, v in KEY_VARIABLES.items() if providers.uses(p)}),
    ]
    if ping:
        checks += _ping_checks(providers)
    table = OrderTable(settings.orders_db_url)
    try:
        checks.append(check_queue(table, operations.health_max_queue_age_minutes))
        checks.append(check_deadlines(table))
    finally:
        table.dispose()
    return checks
