"""A failure sensor may read a failed run before Dagster has tagged whether it will be retried (the tag is written a
moment after the status). Such a run must not be taken for a dead letter: Dagster's own rule decides it."""

import dagster as dg
import pytest

from santa_videos.order_runs import WILL_RETRY_TAG, will_retry

pytestmark = pytest.mark.unit


@dg.op
def nothing():
    pass


@dg.job
def one_op():
    nothing()


def failed_run_without_its_retry_tag(instance: dg.DagsterInstance) -> dg.DagsterRun:
    run = instance.create_run_for_job(one_op, tags={"dagster/max_retries": "2"})
    failed = run.with_status(dg.DagsterRunStatus.FAILURE)
    instance.delete_run(run.run_id)
    instance.add_run(failed)
    return instance.get_run_by_id(run.run_id)


def test_a_failed_run_read_before_dagster_tags_it_is_decided_by_dagsters_rule():
    with dg.instance_for_test(overrides={"run_retries": {"enabled": True, "max_retries": 2}}) as instance:
        run = failed_run_without_its_retry_tag(instance)
        assert WILL_RETRY_TAG not in run.tags
        assert not will_retry(run)  # the tag alone says nothing yet
        assert will_retry(run, instance)
        assert instance.get_run_by_id(run.run_id).tags[WILL_RETRY_TAG] == "true"


def test_without_run_retries_a_failed_run_is_not_retried():
    with dg.instance_for_test(overrides={"run_retries": {"enabled": False}}) as instance:
        run = failed_run_without_its_retry_tag(instance)
        assert not will_retry(run, instance)
