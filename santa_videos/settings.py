"""Every setting the project reads from the environment, with its default, in one place."""

import os
import socket
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    """An environment variable holds a value the project cannot use."""


def _number(name: str, default: float, minimum: float = 0, kind=float):
    """The variable as a number of `kind` (float or int), at least `minimum`; `default` when unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a {'whole ' if kind is int else ''}number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {raw}")
    return value


def _int(name: str, default: int, minimum: int = 0) -> int:
    return _number(name, default, minimum, kind=int)


def _float(name: str, default: float) -> float:
    return _number(name, default)


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _default_data_dir() -> Path:
    # The media and the orders table live beside the Dagster instance unless told otherwise, so every
    # process of one instance (CLI, daemon, run workers) agrees on them without extra configuration.
    dagster_home = os.environ.get("DAGSTER_HOME", "").strip()
    if dagster_home:
        return Path(dagster_home) / "santa"
    return Path.cwd() / "var"


def _delivery_webhook_enabled() -> bool:
    # Only whether it is set: the URL and the secret reach the webhook resource through EnvVar, never Settings.
    if not os.environ.get("SANTA_DELIVERY_WEBHOOK_URL", "").strip():
        return False
    if not os.environ.get("SANTA_WEBHOOK_SECRET", "").strip():
        raise SettingsError("SANTA_WEBHOOK_SECRET must be set when SANTA_DELIVERY_WEBHOOK_URL is (deliveries are signed)")
    return True


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    orders_db_url: str
    max_job_attempts: int
    intake_interval_seconds: int
    intake_batch_size: int
    intake_queued_runs_per_slot: int
    intake_listen_seconds: float
    default_deadline_hours: int
    ffmpeg_timeout_seconds: int
    x264_preset: str
    ffmpeg_threads: int
    reconcile_interval_seconds: int
    reconcile_grace_seconds: int
    run_max_runtime_seconds: int
    public_url: str
    delivery_webhook_enabled: bool
    intake_orders_per_minute: int
    preview_per_minute: int
    preview_max_characters_per_day: int
    intake_photo_max_bytes: int
    intake_photo_max_pixels: int
    max_concurrent_runs: int
    expected_render_seconds: float

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def deliveries_dir(self) -> Path:
        return self.data_dir / "deliveries"


@dataclass(frozen=True)
class OperationsSettings:
    """Running a season: the audio cache, cleanup and retention, health thresholds, cost estimates, logging."""

    audio_cache_dir: Path
    audio_cache_max_bytes: int
    cleanup_interval_hours: int
    temp_max_age_hours: int
    jobs_max_age_hours: int
    failed_max_age_hours: int
    personal_data_max_age_hours: int
    health_min_free_mb: int
    health_max_queue_age_minutes: int
    health_heartbeat_max_age_seconds: int
    cost_per_1k_characters: dict[str, float]
    cost_per_clip: dict[str, float]
    cost_per_second: dict[str, float]
    use_json_logging: bool
    log_level: str


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def load_operations_settings() -> OperationsSettings:
    data_dir = load_settings().data_dir
    interval = _int("CLEANUP_INTERVAL_HOURS", 6, minimum=1)
    if interval > 24:
        raise SettingsError(f"CLEANUP_INTERVAL_HOURS must be at most 24, got {interval}")
    log_level = os.environ.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if log_level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}")
    return OperationsSettings(
        audio_cache_dir=Path(os.environ.get("AUDIO_CACHE_DIR", "").strip() or data_dir / "audio_cache").resolve(),
        audio_cache_max_bytes=_int("AUDIO_CACHE_MAX_SIZE_MB", 1024, minimum=1) * 1024 * 1024,
        cleanup_interval_hours=interval,
        temp_max_age_hours=_int("TEMP_MAX_AGE_HOURS", 24, minimum=1),
        jobs_max_age_hours=_int("JOBS_MAX_AGE_HOURS", 168, minimum=1),
        failed_max_age_hours=_int("FAILED_MAX_AGE_HOURS", 720, minimum=1),
        personal_data_max_age_hours=_int("PERSONAL_DATA_MAX_AGE_HOURS", 720, minimum=1),
        health_min_free_mb=_int("HEALTH_MIN_FREE_MB", 1024),
        health_max_queue_age_minutes=_int("HEALTH_MAX_QUEUE_AGE_MINUTES", 30, minimum=1),
        health_heartbeat_max_age_seconds=_int("HEALTH_HEARTBEAT_MAX_AGE_SECONDS", 120, minimum=1),
        # What a paid provider bills; the free local ones cost nothing. Set them to your plans' prices.
        cost_per_1k_characters={"elevenlabs": _float("ELEVENLABS_COST_PER_1K_CHARACTERS", 0.30)},
        # Per lip-sync generation, and per second of it for a plan that bills by its duration (5, 10 or 15 s).
        cost_per_clip={"higgsfield": _float("HIGGSFIELD_COST_PER_CLIP", 0.50)},
        cost_per_second={"higgsfield": _float("HIGGSFIELD_COST_PER_SECOND", 0.0)},
        use_json_logging=_flag("USE_JSON_LOGGING"),
        log_level=log_level,
    )


def moderation_allowed_names() -> tuple[str, ...]:
    """SANTA_MODERATION_ALLOWED_NAMES: real names the operator lets through moderation (comma-separated), the
    remedy for a child's name refused because it is also a bad word somewhere."""
    return tuple(name.strip() for name in os.environ.get("SANTA_MODERATION_ALLOWED_NAMES", "").split(",") if name.strip())


INSTANCE_ENV_DEFAULTS = {"SANTA_MAX_CONCURRENT_RUNS": "2"}


def apply_instance_env_defaults() -> None:
    """dagster.yaml reads these with {env: ...}, which has no default: set ours where the user set none."""
    for name, value in INSTANCE_ENV_DEFAULTS.items():
        if not os.environ.get(name, "").strip():
            os.environ[name] = value


def host_name() -> str:
    """The name this machine's runs record on the orders they render (SANTA_HOST_NAME, else the host's name)."""
    return os.environ.get("SANTA_HOST_NAME", "").strip() or socket.gethostname()


def default_orders_db_url(data_dir: Path) -> str:
    """The orders table when SANTA_ORDERS_DB_URL is unset: a SQLite file in the data folder."""
    return f"sqlite:///{data_dir / 'orders.db'}"


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("SANTA_DATA_DIR", "").strip() or _default_data_dir()).resolve()
    orders_db_url = os.environ.get("SANTA_ORDERS_DB_URL", "").strip() or default_orders_db_url(data_dir)
    return Settings(
        data_dir=data_dir,
        orders_db_url=orders_db_url,
        max_job_attempts=_int("MAX_JOB_ATTEMPTS", 3, minimum=1),
        # dagster-daemon passes over its sensors every 5 s; a 5 s minimum made the intake skip every other pass.
        intake_interval_seconds=_int("SANTA_INTAKE_INTERVAL_SECONDS", 1, minimum=1),
        intake_batch_size=min(_int("SANTA_INTAKE_BATCH_SIZE", 200, minimum=1), 200),
        # Dagster's queue holds at most this many runs per slot; the rest of the backlog waits in the orders table.
        intake_queued_runs_per_slot=_int("SANTA_INTAKE_QUEUED_RUNS_PER_SLOT", 2, minimum=1),
        # An evaluation with nothing to hand over watches for a new order this long (0: it returns at once).
        # Less than the daemon's 5 s pass: a stopping daemon waits for the evaluation in flight.
        intake_listen_seconds=_number("SANTA_INTAKE_LISTEN_SECONDS", 3, minimum=0),
        # An order without a deadline is due this long after it arrived: the intake hands orders over earliest due
        # first, so a backlog of orders without deadlines cannot starve one that has a close deadline.
        default_deadline_hours=_int("SANTA_DEFAULT_DEADLINE_HOURS", 72, minimum=1),
        ffmpeg_timeout_seconds=_int("SANTA_FFMPEG_TIMEOUT_SECONDS", 600, minimum=1),
        x264_preset=os.environ.get("SANTA_X264_PRESET", "").strip() or "veryfast",
        ffmpeg_threads=_int("SANTA_FFMPEG_THREADS", 0),
        reconcile_interval_seconds=_int("SANTA_RECONCILE_INTERVAL_SECONDS", 60, minimum=1),
        reconcile_grace_seconds=_int("SANTA_RECONCILE_GRACE_SECONDS", 300),
        # Run monitoring fails a video run that takes longer (and run retries start it again): the only way a run
        # whose worker machine vanished is ever found (deploy/dagster.cluster.yaml). Lip-sync runs get the
        # provider's polling deadline on top.
        run_max_runtime_seconds=_int("SANTA_RUN_MAX_RUNTIME_SECONDS", 600, minimum=30),
        public_url=(os.environ.get("SANTA_PUBLIC_URL", "").strip() or "http://127.0.0.1:8080").rstrip("/"),
        delivery_webhook_enabled=_delivery_webhook_enabled(),
        intake_orders_per_minute=_int("SANTA_INTAKE_ORDERS_PER_MINUTE", 10, minimum=1),
        # Name previews are paid speech: each client gets a few a minute, and all of them together a daily budget.
        preview_per_minute=_int("SANTA_PREVIEW_PER_MINUTE", 10, minimum=1),
        preview_max_characters_per_day=_int("SANTA_PREVIEW_MAX_CHARACTERS_PER_DAY", 20000),
        intake_photo_max_bytes=_int("SANTA_INTAKE_PHOTO_MAX_MB", 5, minimum=1) * 1024 * 1024,
        intake_photo_max_pixels=_int("SANTA_INTAKE_PHOTO_MAX_MEGAPIXELS", 25, minimum=1) * 1_000_000,
        max_concurrent_runs=_int("SANTA_MAX_CONCURRENT_RUNS", int(INSTANCE_ENV_DEFAULTS["SANTA_MAX_CONCURRENT_RUNS"])),
        # One video's render time until there are deliveries to measure it (orders/estimates.py).
        expected_render_seconds=_number("SANTA_EXPECTED_RENDER_SECONDS", 120, minimum=1),
    )


@dataclass(frozen=True)
class StorageSettings:
    """Where files live (SANTA_MEDIA_URL: this machine's data folder by default, or s3://BUCKET/PREFIX) and where
    this machine works on them (its scratch folders and clip library, always local)."""

    media_url: str
    work_dir: Path
    s3_endpoint_url: str
    s3_public_endpoint_url: str
    s3_region: str
    link_seconds: int
    retry_seconds: int

    @property
    def is_s3(self) -> bool:
        return self.media_url.startswith("s3://")


def load_storage_settings() -> StorageSettings:
    settings = load_settings()
    media_url = os.environ.get("SANTA_MEDIA_URL", "").strip() or str(settings.data_dir)
    if media_url.startswith("s3://") and not media_url[len("s3://"):].split("/")[0]:
        raise SettingsError(f"SANTA_MEDIA_URL must name a bucket: s3://BUCKET/PREFIX, got {media_url!r}")
    if "://" in media_url and not media_url.startswith(("s3://", "file://")):
        raise SettingsError(f"SANTA_MEDIA_URL must be a folder, file:///PATH or s3://BUCKET/PREFIX, got {media_url!r}")
    return StorageSettings(
        media_url=media_url,
        work_dir=settings.media_dir,
        s3_endpoint_url=os.environ.get("SANTA_S3_ENDPOINT_URL", "").strip(),
        s3_public_endpoint_url=os.environ.get("SANTA_S3_PUBLIC_ENDPOINT_URL", "").strip(),
        s3_region=os.environ.get("SANTA_S3_REGION", "").strip(),
        link_seconds=_int("SANTA_MEDIA_LINK_SECONDS", 900, minimum=1),
        retry_seconds=_int("SANTA_S3_RETRY_SECONDS", 60, minimum=0),
    )
