"""dagster-celery's CeleryRunLauncher, with termination reported the way Dagster's own launchers report it.

`CeleryRunLauncher.terminate` (dagster-celery 0.29.27) revokes the run's Celery task but never marks the run
CANCELING, as DefaultRunLauncher, K8sRunLauncher and DockerRunLauncher do first. Without it a run terminated from
the UI is not canceled at all: its step is interrupted and retried by its RetryPolicy, run monitoring then reads the
task's REVOKED state as a dead worker and fails the run, and run retries start it again. With the run marked
CANCELING first, the worker's SIGTERM (Celery's `revoke(terminate=True)`) reaches Dagster as an interrupt, FFmpeg is
killed, the steps see the run is being terminated, and Dagster ends the run CANCELED, which is never retried.

Nothing else differs: launching, the queue, health checks and resuming are dagster-celery's own.
"""

from dagster_celery.launcher import CeleryRunLauncher as _CeleryRunLauncher


class CeleryRunLauncher(_CeleryRunLauncher):
    def terminate(self, run_id: str) -> bool:
        run = self._instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            return False
        self._instance.report_run_canceling(run)
        return super().terminate(run_id)
