"""Deliberate faults for failure drills: SANTA_FAULTS_FILE names a JSON file of faults to inject, shared by every
process of an instance (daemon, sensors, run workers) and editable while they run.

    {"step:video": {"kind": "transient", "times": 2},    # the next two video steps raise, then it works again
     "step:clip": {"kind": "permanent", "times": -1},    # every clip step fails for good until removed
     "intake": {"kind": "transient", "times": 1},       # the next intake read raises after reading its batch
     "status:failed": {"kind": "hold", "times": 1}}     # the next dead-letter write waits until released

A `hold` stops the process at that point (it marks the fault `held`) until the drill releases it (`release`), so a
drill can make a race happen in the order it wants rather than by luck. Without the variable nothing is read and
nothing can fail here.
"""

import fcntl
import json
import os
import time
from pathlib import Path

FAULTS_ENV = "SANTA_FAULTS_FILE"
HOLD_TIMEOUT_SECONDS = 300


class InjectedFault(RuntimeError):
    """A transient fault a drill asked for: retrying the same work may succeed."""


def _plan_path() -> Path | None:
    path = os.environ.get(FAULTS_ENV, "").strip()
    return Path(path) if path and Path(path).exists() else None


def _edit(path: Path, change) -> object:
    """Read the plan and let `change` edit it in place; written back if it changed, all under one lock."""
    with open(path, "r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        plan = json.loads(handle.read() or "{}")
        before = json.dumps(plan)
        outcome = change(plan)
        if json.dumps(plan) != before:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(plan))
        return outcome


def _take(path: Path, point: str) -> str | None:
    """The kind of the fault planned at `point`, consuming one of its `times` (-1 never runs out)."""

    def take(plan: dict) -> str | None:
        fault = plan.get(point)
        if not fault or fault.get("times", 0) == 0:
            return None
        if fault["times"] > 0:
            fault["times"] -= 1
        kind = fault.get("kind", "transient")
        if kind == "hold":
            fault["held"] = True
        return kind

    return _edit(path, take)


def _hold(path: Path, point: str) -> None:
    deadline = time.monotonic() + HOLD_TIMEOUT_SECONDS
    while is_held(path, point) and time.monotonic() < deadline:
        time.sleep(0.05)


def inject(point: str) -> None:
    path = _plan_path()
    kind = _take(path, point) if path else None
    if kind == "hold":
        _hold(path, point)
        return
    if kind == "permanent":
        import dagster as dg  # only a drill pays for importing Dagster here

        raise dg.Failure(f"injected permanent fault at {point}", allow_retries=False)
    if kind is not None:
        raise InjectedFault(f"injected transient fault at {point}")


def is_held(path: Path, point: str) -> bool:
    """Whether a process waits at `point` (a drill's `hold`)."""
    return bool(_edit(path, lambda plan: (plan.get(point) or {}).get("held")))


def release(path: Path, point: str) -> None:
    _edit(path, lambda plan: (plan.get(point) or {}).pop("held", None))


def write_plan(path: Path, plan: dict) -> None:
    """Replace the drill's plan under the same lock the readers take, so none sees half of it."""
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(plan))
