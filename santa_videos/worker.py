"""A Celery worker that runs this instance's Dagster runs on this machine (deploy/dagster.cluster.yaml).

The worker takes its broker, result backend and Celery settings from the instance's own CeleryRunLauncher, so the
daemon that sends runs and every worker that takes them read one file: $DAGSTER_HOME/dagster.yaml.
"""

import os

import dagster as dg

from santa_videos.settings import SettingsError, host_name

QUEUE = "dagster"


class NotACluster(SettingsError):
    """The instance does not send its runs to Celery, so a worker would wait for nothing."""


def celery_app(instance: dg.DagsterInstance):
    """The launcher's Celery app with dagster-celery's run tasks registered on it."""
    from dagster_celery.launcher import CeleryRunLauncher
    from dagster_celery.tasks import create_execute_job_task, create_resume_job_task

    launcher = instance.run_launcher
    if not isinstance(launcher, CeleryRunLauncher):
        raise NotACluster(
            f"the instance in {instance.root_directory} launches runs with {type(launcher).__name__}, not "
            "CeleryRunLauncher: link deploy/dagster.cluster.yaml to $DAGSTER_HOME/dagster.yaml"
        )
    app = launcher.celery
    create_execute_job_task(app)
    create_resume_job_task(app)
    return app


def worker_argv(concurrency: int, queue: str, log_level: str) -> list[str]:
    return [
        "worker",
        "--queues", queue,
        "--concurrency", str(concurrency),
        # The node name says which machine took a run, in Celery's own tools and in the run's debug info.
        "--hostname", f"santa-videos@{host_name()}",
        # Take a run only when a process is free: a run never waits behind another on a busy machine.
        "--disable-prefetch",
        "--prefetch-multiplier", "1",
        "--optimization", "fair",
        # A fresh process now and then bounds what a long season leaks.
        "--max-tasks-per-child", "200",
        "--loglevel", log_level,
        "--without-mingle",
    ]


def run_worker(concurrency: int, queue: str = QUEUE, log_level: str = "INFO") -> None:
    if not os.environ.get("DAGSTER_HOME", "").strip():
        raise NotACluster("DAGSTER_HOME is not set: point it at a folder holding deploy/dagster.cluster.yaml as dagster.yaml")
    instance = dg.DagsterInstance.get()
    app = celery_app(instance)
    instance.dispose()
    preload()
    app.worker_main(worker_argv(concurrency, queue, log_level))


def preload() -> None:
    """Load the code location and the S3 client's modules before Celery forks its processes: each of them, and each
    that replaces one after --max-tasks-per-child, then starts its first run with them already imported."""
    import santa_videos.definitions  # noqa: F401
    import santa_videos.storage.s3  # noqa: F401
