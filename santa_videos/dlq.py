"""The dead letter queue: orders whose latest run failed and will not be retried (or was terminated), and their
re-execution from failure through the instance, which reuses every step that succeeded."""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster._core.definitions.selector import JobSubsetSelector
from dagster._core.execution.plan.resume_retry import ReexecutionStrategy
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import WorkspaceFileTarget

from santa_videos.order_runs import failed_step_and_reason, is_dead_letter, order_of, order_runs
from santa_videos.orders.table import OrderNotFound, OrderTable

DLQ_RETRY_TAG = "santa/dlq_retry"


class NotADeadLetter(ValueError):
    pass


@dataclass(frozen=True)
class DeadLetter:
    order_id: str
    status: str
    failed_step: str | None
    error: str
    attempts: int
    age_seconds: float
    run_id: str

    def as_json(self) -> dict:
        return {**self.__dict__, "age_seconds": round(self.age_seconds)}


def _dead_letter(instance: dg.DagsterInstance, order_id: str) -> DeadLetter | None:
    runs = order_runs(instance, order_id)
    if not runs or not is_dead_letter(runs[0]):
        return None
    latest = runs[0]
    record = instance.get_run_record_by_id(latest.run_id)
    ended = record.end_time or record.update_timestamp.timestamp()
    step, error = failed_step_and_reason(instance, latest)
    return DeadLetter(
        order_id=order_id,
        status=latest.status.value.lower(),
        failed_step=step,
        error=error,
        attempts=len(runs),
        age_seconds=max(0.0, time.time() - ended),
        run_id=latest.run_id,
    )


def dead_letters(instance: dg.DagsterInstance) -> list[DeadLetter]:
    """Oldest first; an order appears once, for its latest run."""
    failed = instance.get_runs(
        dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED])
    )
    order_ids = list(dict.fromkeys(order_of(run) for run in failed if order_of(run)))
    found = [letter for letter in (_dead_letter(instance, oid) for oid in order_ids) if letter]
    return sorted(found, key=lambda letter: -letter.age_seconds)


def retry(
    instance: dg.DagsterInstance, table: OrderTable, workspace_file: Path, order_ids: Iterable[str]
) -> list[tuple[str, str]]:
    """Queue a re-execution from failure of each order's latest run; returns (order id, new run id) pairs.

    Every order is checked first, so a wrong id queues nothing."""
    letters = []
    for order_id in order_ids:
        letter = _dead_letter(instance, order_id)
        if letter is None:
            try:
                status = table.get(order_id).status
            except OrderNotFound:
                status = "not in the orders table"
            raise NotADeadLetter(f"{order_id} is not a dead letter ({status})")
        letters.append(letter)
    launched = []
    with WorkspaceProcessContext(instance, WorkspaceFileTarget(paths=[str(workspace_file)])) as context:
        workspace = context.create_request_context()
        for letter in letters:
            # Queued before the run exists: a fast run marks it delivered, and nothing may overwrite that later.
            table.requeue(letter.order_id)
            new_run = _reexecute(instance, workspace, instance.get_run_by_id(letter.run_id))
            launched.append((letter.order_id, new_run.run_id))
    return launched


def _reexecute(instance: dg.DagsterInstance, workspace, failed_run: dg.DagsterRun) -> dg.DagsterRun:
    origin = failed_run.remote_job_origin.repository_origin
    code_location = workspace.get_code_location(origin.code_location_origin.location_name)
    remote_job = code_location.get_job(
        JobSubsetSelector(
            location_name=code_location.name,
            repository_name=origin.repository_name,
            job_name=failed_run.job_name,
            op_selection=failed_run.op_selection,
            asset_selection=None if failed_run.asset_selection is None else list(failed_run.asset_selection),
            asset_check_selection=(
                None if failed_run.asset_check_selection is None else list(failed_run.asset_check_selection)
            ),
        )
    )
    new_run = instance.create_reexecuted_run(
        parent_run=failed_run,
        request_context=workspace,
        code_location=code_location,
        remote_job=remote_job,
        strategy=ReexecutionStrategy.FROM_FAILURE,
        extra_tags={DLQ_RETRY_TAG: "true"},
        use_parent_run_tags=True,
    )
    instance.submit_run(new_run.run_id, workspace)
    return new_run
