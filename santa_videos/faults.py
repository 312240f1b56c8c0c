"""Deliberate faults for failure drills: SANTA_FAULTS_FILE names a JSON file of faults to inject, shared by every
process of an instance (daemon, sensors, run workers) and editable while they run.

    {"step:video": {"kind": "transient", "times": 2},    # the next two video steps raise, then it works again
     "step:clip": {"kind": "permanent", "times": -1},    # every clip step fails for good until removed
     "intake": {"kind": "transient", "times": 1}}        # the next intake read raises after reading its batch

Without the variable nothing is read and nothing can fail here.
"""

import fcntl
import json
import os
from pathlib import Path

FAULTS_ENV = "SANTA_FAULTS_FILE"


class InjectedFault(RuntimeError):
    """A transient fault a drill asked for: retrying the same work may succeed."""


def _take(point: str) -> str | None:
    """The kind of the fault planned at `point`, consuming one of its `times` (-1 never runs out)."""
    path = os.environ.get(FAULTS_ENV, "").strip()
    if not path or not Path(path).exists():
        return None
    with open(path, "r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        plan = json.loads(handle.read() or "{}")
        fault = plan.get(point)
        if not fault or fault.get("times", 0) == 0:
            return None
        if fault["times"] > 0:
            fault["times"] -= 1
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(plan))
        return fault.get("kind", "transient")


def inject(point: str) -> None:
    kind = _take(point)
    if kind == "permanent":
        import dagster as dg  # only a drill pays for importing Dagster here

        raise dg.Failure(f"injected permanent fault at {point}", allow_retries=False)
    if kind is not None:
        raise InjectedFault(f"injected transient fault at {point}")


def write_plan(path: Path, plan: dict) -> None:
    """Replace the drill's plan under the same lock the readers take, so none sees half of it."""
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(plan))
