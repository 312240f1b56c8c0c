"""`santa-videos health [--json] [--ping]`: one line per check; exit 0 when all pass, 1 otherwise."""

import argparse
import json
import os
import sys

import dagster as dg

from santa_videos.health import (
    Check, check_daemon, check_espeak, check_ffmpeg, check_folder, check_instance, check_provider_keys, check_queue,
    check_reachable, http_probe, scrub,
)
from santa_videos.orders.table import OrderTable
from santa_videos.providers.settings import load_provider_settings
from santa_videos.resources.elevenlabs import ElevenLabsVoice
from santa_videos.settings import apply_instance_env_defaults, load_operations_settings, load_settings

KEY_VARIABLES = {"elevenlabs": "ELEVENLABS_API_KEY", "higgsfield": "HIGGSFIELD_API_KEY"}


def _dagster_checks(max_heartbeat_age: int) -> list[Check]:
    if not os.environ.get("DAGSTER_HOME", "").strip():
        return [Check("dagster instance", False, "DAGSTER_HOME is not set")]
    try:
        apply_instance_env_defaults()  # dagster.yaml reads some settings with {env: ...}
        instance = dg.DagsterInstance.get()
    except Exception as exc:  # a broken dagster.yaml or storage is the finding
        return [Check("dagster instance", False, f"cannot be loaded: {scrub(str(exc))}")]
    with instance:
        found = check_instance(instance)
        return [found, check_daemon(instance, max_heartbeat_age)] if found.ok else [found]


def _ping_checks(providers) -> list[Check]:
    checks = []
    if providers.uses("elevenlabs"):
        voice = ElevenLabsVoice(
            api_key=os.environ.get("ELEVENLABS_API_KEY", ""), voice_id=providers.voice_id,
            base_url=providers.elevenlabs_base_url, timeout_seconds=10,
        )
        checks.append(check_reachable("elevenlabs", voice.quota_status))
    if providers.uses("higgsfield"):
        checks.append(check_reachable("higgsfield", lambda: http_probe(providers.higgsfield_base_url)))
    return checks or [Check("providers", True, "no paid provider in use: nothing to ping")]


def run_health(ping: bool) -> list[Check]:
    settings, operations, providers = load_settings(), load_operations_settings(), load_provider_settings()
    min_free = operations.health_min_free_mb
    checks = [
        check_ffmpeg(),
        check_espeak(),
        check_folder("media folder", settings.media_dir, min_free),
        check_folder("deliveries folder", settings.deliveries_dir, min_free),
        check_folder("cache folder", operations.audio_cache_dir, min_free),
        check_folder("temp folder", settings.media_dir / "tmp", min_free),
        *_dagster_checks(operations.health_heartbeat_max_age_seconds),
        check_provider_keys({p: v for p, v in KEY_VARIABLES.items() if providers.uses(p)}),
    ]
    if ping:
        checks += _ping_checks(providers)
    table = OrderTable(settings.orders_db_url)
    try:
        checks.append(check_queue(table, operations.health_max_queue_age_minutes))
    finally:
        table.dispose()
    return checks


def cmd_health(args: argparse.Namespace) -> int:
    checks = run_health(args.ping)
    if args.json:
        print(json.dumps({"healthy": all(c.ok for c in checks),
                          "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks]}, indent=2))
    else:
        for check in checks:
            print(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:<18} {check.detail}")
    return 0 if all(check.ok for check in checks) else 1


def register(commands) -> None:
    health = commands.add_parser(
        "health", help="check tools, folders, the Dagster instance and daemon, provider keys and the queue",
        description="Check FFmpeg and ffprobe (with libx264 and AAC), espeak-ng, the media, deliveries, cache and "
        "temp folders (writable, HEALTH_MIN_FREE_MB free), the Dagster instance storage (DAGSTER_HOME), fresh "
        "daemon heartbeats (HEALTH_HEARTBEAT_MAX_AGE_SECONDS), the keys of the paid providers in use (never "
        "printed), and the oldest waiting order (HEALTH_MAX_QUEUE_AGE_MINUTES). One line per check; exit 0 when "
        "all pass, 1 otherwise.",
    )
    health.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    health.add_argument("--ping", action="store_true", help="also ask the paid providers in use whether they answer")
    health.set_defaults(handler=cmd_health)
