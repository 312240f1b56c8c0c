"""`santa-videos health [--json] [--ping]`: one line per check; exit 0 when all pass, 1 otherwise."""

import argparse
import json

from santa_videos.cli.help import add_command


def cmd_health(args: argparse.Namespace) -> int:
    from santa_videos.health import run_health  # imports dagster: only this command pays for it

    checks = run_health(args.ping)
    if args.json:
        print(json.dumps({"healthy": all(c.ok for c in checks),
                          "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks]}, indent=2))
    else:
        for check in checks:
            print(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:<18} {check.detail}")
    return 0 if all(check.ok for check in checks) else 1


def register(commands) -> None:
    health = add_command(
        commands, "health", help="check tools, folders, the Dagster instance and daemon, provider keys and the queue",
        description="Check FFmpeg and ffprobe (with libx264 and AAC), espeak-ng, the media, deliveries, cache and "
        "temp folders (writable, HEALTH_MIN_FREE_MB free), the Dagster instance's storage (see santa-videos --help), fresh "
        "daemon heartbeats (HEALTH_HEARTBEAT_MAX_AGE_SECONDS), the keys of the paid providers in use (never "
        "printed), and the oldest waiting order (HEALTH_MAX_QUEUE_AGE_MINUTES). One line per check; exit 0 when "
        "all pass, 1 otherwise.",
        examples=["santa-videos health", "santa-videos health --json --ping"],
    )
    health.add_argument("--json", action="store_true", help="print one JSON object instead of lines")
    health.add_argument("--ping", action="store_true", help="also ask the paid providers in use whether they answer")
    health.set_defaults(handler=cmd_health)
