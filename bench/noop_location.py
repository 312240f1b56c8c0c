"""Dagster's own cost of a run: a code location with one dynamically partitioned asset that does nothing, and a
sensor that hands each new key over as the intake sensor hands over an order (a partition added, a run requested,
in one SensorResult). Run through the same instance (run queue, launcher, run retries, run monitoring) as the
videos, its CPU per run is the engine's floor, the figure the bench divides ours by.

The keys to run are the names of the files in BENCH_NOOP_INBOX; a key is handed over once (the cursor is the
last name handed over, and names sort in the order they are written).
"""

import os
from pathlib import Path

import dagster as dg

noop_keys = dg.DynamicPartitionsDefinition(name="noop_keys")


@dg.asset(partitions_def=noop_keys)
def noop() -> None:
    return None


# In one process, as video_job runs its steps: Dagster's default executor would spawn a second process per run.
noop_job = dg.define_asset_job(
    "noop_job", selection=[noop], partitions_def=noop_keys, executor_def=dg.in_process_executor
)


@dg.sensor(job=noop_job, minimum_interval_seconds=1, default_status=dg.DefaultSensorStatus.RUNNING)
def noop_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    inbox = Path(os.environ["BENCH_NOOP_INBOX"])
    keys = sorted(path.name for path in inbox.iterdir() if path.name > (context.cursor or ""))
    if not keys:
        return dg.SensorResult(skip_reason="no new keys")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=key, partition_key=key) for key in keys],
        dynamic_partitions_requests=[noop_keys.build_add_request(keys)],
        cursor=keys[-1],
    )


defs = dg.Definitions(assets=[noop], jobs=[noop_job], sensors=[noop_sensor])
