"""An order's Dagster runs: found by their `dagster/partition` tag (the order id), newest first, and read for what
became of them."""

import dagster as dg

PARTITION_TAG = "dagster/partition"
WILL_RETRY_TAG = "dagster/will_retry"
LIVE_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
CANCELED_REASON = "canceled: the run was terminated before the video was delivered"


def order_of(run: dg.DagsterRun) -> str | None:
    return run.tags.get(PARTITION_TAG)


def order_runs(instance: dg.DagsterInstance, order_id: str) -> list[dg.DagsterRun]:
    return list(instance.get_runs(dg.RunsFilter(tags={PARTITION_TAG: order_id})))


def orders_with_runs(instance: dg.DagsterInstance, order_ids: list[str]) -> set[str]:
    """Which of these orders have a run in Dagster, in one query."""
    if not order_ids:
        return set()
    runs = instance.get_runs(dg.RunsFilter(tags={PARTITION_TAG: order_ids}))
    return {order_of(run) for run in runs}


def live_runs(instance: dg.DagsterInstance, order_id: str) -> list[dg.DagsterRun]:
    return list(instance.get_runs(dg.RunsFilter(tags={PARTITION_TAG: order_id}, statuses=LIVE_STATUSES)))


def will_retry(run: dg.DagsterRun, instance: dg.DagsterInstance | None = None) -> bool:
    """Whether Dagster's run retries will start the failed run again. Dagster tags the run a moment after it marks
    it failed: a run read in between (by a failure sensor) is decided here, with `instance`, by Dagster's own rule."""
    if WILL_RETRY_TAG in run.tags or instance is None or run.status != dg.DagsterRunStatus.FAILURE:
        return run.tags.get(WILL_RETRY_TAG) == "true"
    if not instance.run_retries_enabled:
        return False
    from dagster._daemon.auto_run_reexecution.auto_run_reexecution import should_retry

    return should_retry(run, instance)


def is_dead_letter(run: dg.DagsterRun) -> bool:
    """A failed run that Dagster will not retry, or a terminated one (terminations are never retried)."""
    if run.status == dg.DagsterRunStatus.CANCELED:
        return True
    return run.status == dg.DagsterRunStatus.FAILURE and not will_retry(run)


def is_latest_attempt(instance: dg.DagsterInstance, run: dg.DagsterRun) -> bool:
    order_id = order_of(run)
    newest = instance.get_runs(dg.RunsFilter(tags={PARTITION_TAG: order_id}), limit=1) if order_id else []
    return bool(newest) and newest[0].run_id == run.run_id


def _root_cause(error) -> str:
    """Dagster wraps a step's exception; the innermost cause is the one that says what went wrong."""
    while error.cause is not None:
        error = error.cause
    kind, _, text = error.message.strip().partition(": ")
    return f"{error.cls_name}: {text}" if text and kind.endswith(error.cls_name or "") else error.message.strip()


def failed_step_and_reason(instance: dg.DagsterInstance, run: dg.DagsterRun) -> tuple[str | None, str]:
    """The step that failed (None when the run failed outside any step) and why, from the run's event log."""
    if run.status == dg.DagsterRunStatus.CANCELED:
        return None, CANCELED_REASON
    failures = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE).records
    if failures:
        event = failures[0].event_log_entry.dagster_event
        error = event.step_failure_data.error if event.step_failure_data else None
        return event.step_key, _root_cause(error) if error else event.message or "unknown error"
    run_failures = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records
    message = run_failures[-1].event_log_entry.dagster_event.message if run_failures else None
    return None, message or "the run failed before any step ran"


def describe_failure(step: str | None, reason: str) -> str:
    return f"step {step}: {reason}" if step else reason
