"""The intake sensor under faults, on PostgreSQL with a real daemon: a tick that raises in the middle of its batch
loses no order, and an order submitted twice or seen again after a cursor reset gets one run and one MP4."""

import json
import time

import pytest
from dagster._core.scheduler.instigation import TickStatus

from santa_videos_tests.reliability import drill  # noqa: F401 (fixture)


def intake_state(instance):
    (state,) = [s for s in instance.all_instigator_state() if s.name == "intake_sensor"]
    return state


def intake_ticks(instance, status):
    state = intake_state(instance)
    return instance.get_ticks(state.instigator_origin_id, state.selector_id, statuses=[status])


@pytest.mark.slow
def test_a_failing_tick_loses_nothing_and_a_twice_seen_order_gets_one_run(drill):
    # The first read of the orders raises after fetching its batch, as a dropped connection would.
    drill.set_faults({"intake": {"kind": "transient", "times": 1}})
    order_ids = drill.submit(2)
    again = drill.harness.cli("submit", "--name", "Emma", "--age", "6", "--language", "en", "--order-id", order_ids[0])
    assert again.returncode == 0 and "already queued" in again.stderr

    drill.harness.start(SANTA_MAX_CONCURRENT_RUNS="0")  # runs stay queued while the sensor is tested
    drill.harness.wait_for(lambda: len(drill.runs()) == 2, 120, "one run per order")
    (failed_tick,) = intake_ticks(drill.instance, TickStatus.FAILURE)
    assert failed_tick.error.cause.cls_name == "InjectedFault" and failed_tick.cursor is None
    assert json.loads(drill.faults.read_text())["intake"]["times"] == 0
    assert sorted(r.tags["dagster/partition"] for r in drill.runs()) == sorted(order_ids)

    reset_at = time.time()
    reset = drill.harness.dagster("sensor", "cursor", "intake_sensor", "--delete", "-w", "workspace.yaml")
    assert reset.returncode == 0, reset.stderr
    drill.harness.wait_for(
        lambda: len([t for t in intake_ticks(drill.instance, TickStatus.SKIPPED) if t.timestamp > reset_at]) >= 2,
        60, "two ticks after the cursor reset",
    )
    drill.submit(name="Emma", order_id=order_ids[1])
    assert len(drill.runs()) == 2

    drill.harness.stop()
    drill.harness.start(SANTA_MAX_CONCURRENT_RUNS="2")
    records = drill.assert_invariants(order_ids, timeout=400)
    assert {record.status for record in records.values()} == {"delivered"}
    assert all(len(drill.runs(oid)) == 1 for oid in order_ids)
