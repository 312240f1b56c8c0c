"""The reconciler finds orders that wait with no live run and requests them again once, dead-letters those whose
last attempt failed unseen, and leaves alone what the intake sensor or a live run still owns. Real Dagster instance
on SQLite; runs fail for real at an injected fault in their first step."""

import dagster as dg
import pytest

from santa_videos.faults import write_plan
from santa_videos.orders.status_rules import RunRef
from santa_videos.sensors.reconcile import order_reconciler
from santa_videos_tests.conftest import make_order

pytestmark = pytest.mark.integration


@pytest.fixture
def failing_run(instance, definitions, table, tmp_path, monkeypatch):
    """An order whose run failed in its first step, as a crash-free permanent failure does."""
    faults = tmp_path / "faults.json"
    write_plan(faults, {"step:script": {"kind": "permanent", "times": -1}})
    monkeypatch.setenv("SANTA_FAULTS_FILE", str(faults))
    monkeypatch.setenv("SANTA_RECONCILE_GRACE_SECONDS", "0")
    order = make_order()
    table.add([order])
    instance.add_dynamic_partitions("videos", [order.order_id])
    result = definitions.resolve_job_def("video_job").execute_in_process(
        instance=instance, partition_key=order.order_id, raise_on_error=False
    )
    assert not result.success and table.get(order.order_id).status == "rendering"
    return order.order_id, instance.get_run_by_id(result.run_id)


def reconcile(instance, definitions):
    return order_reconciler(dg.build_sensor_context(instance=instance))


def test_a_retry_that_never_came_is_requested_again_under_a_stable_run_key(failing_run, instance, definitions, table):
    order_id, run = failing_run
    instance.add_run_tags(run.run_id, {"dagster/will_retry": "true"})
    first, second = reconcile(instance, definitions), reconcile(instance, definitions)
    (request,) = first.run_requests
    assert (request.partition_key, request.run_key) == (order_id, f"{order_id}/reconcile/1")
    assert request.tags["dagster/max_retries"] == "2"
    # Evaluated again before the run exists, the tick asks for the same key: the daemon creates one run.
    assert [r.run_key for r in second.run_requests] == [request.run_key]
    assert table.get(order_id).status == "rendering"


def test_an_unseen_dead_letter_is_marked_failed_with_its_step_and_reason(failing_run, instance, definitions, table):
    order_id, run = failing_run
    instance.add_run_tags(run.run_id, {"dagster/will_retry": "false"})
    result = reconcile(instance, definitions)
    assert isinstance(result, dg.SkipReason) and "dead-lettered 1" in result.skip_message
    record = table.get(order_id)
    assert record.status == "failed" and record.run_id == run.run_id
    assert record.last_error == "step script: Failure: injected permanent fault at step:script"


def test_orders_with_a_live_run_or_not_yet_taken_by_intake_are_left_alone(failing_run, instance, definitions, table):
    order_id, run = failing_run
    instance.add_run_tags(run.run_id, {"dagster/will_retry": "true"})
    live = instance.create_run_for_job(
        definitions.resolve_job_def("video_job"), tags={"dagster/partition": order_id},
        status=dg.DagsterRunStatus.STARTED,
    )
    waiting = make_order(child_name="Mateo")
    table.add([waiting])
    result = reconcile(instance, definitions)
    assert isinstance(result, dg.SkipReason) and "dead-lettered 0" in result.skip_message
    assert table.get(waiting.order_id).status == "queued"
    assert instance.get_run_by_id(live.run_id).status == dg.DagsterRunStatus.STARTED


def test_an_order_queued_again_whose_rerun_is_gone_is_requested_not_failed(failing_run, instance, definitions, table):
    """`dlq retry` queued the order again after its run failed, and the re-run it submitted was deleted: the late
    failure must not fail the order again; the reconciler requests the run the operator asked for."""
    order_id, run = failing_run
    instance.add_run_tags(run.run_id, {"dagster/will_retry": "false"})
    table.mark_failed(order_id, "step script: Failure", RunRef.of(instance.get_run_record_by_id(run.run_id)))
    assert table.requeue(order_id)
    (request,) = reconcile(instance, definitions).run_requests
    assert (request.partition_key, request.run_key) == (order_id, f"{order_id}/reconcile/1")
    assert table.get(order_id).status == "queued"
