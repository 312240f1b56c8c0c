"""How runs log to the console: one JSON object per line when USE_JSON_LOGGING=true (time, level, order id, step,
run id, message), Dagster's usual text lines otherwise; LOG_LEVEL sets the level.

`santa_console_logger` replaces Dagster's default console logger for every job of the code location (each job
names it in its default run config), so run workers launched by the daemon log this way. The daemon's own lines use
Dagster's `--log-format json` (see `daemon_log_args`). Log lines carry ids only: the order id is the run's
partition, never the child's name.
"""

import json
import logging
import re
import sys
from datetime import datetime, timezone

import dagster as dg
from dagster._core.log_manager import LOG_RECORD_METADATA_ATTR

from santa_videos.order_runs import PARTITION_TAG
from santa_videos.settings import load_operations_settings

ORDER_ID = re.compile(r"\bord_[0-9a-z]{26}\b")
TEXT_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record. Dagster's records carry their run, step and tags; other records get the order
    id from an `order_id` attribute or the first order id in their message."""

    def format(self, record: logging.LogRecord) -> str:
        meta = getattr(record, LOG_RECORD_METADATA_ATTR, None) or {}
        message = meta.get("orig_message") or record.getMessage()
        tags = meta.get("job_tags") or {}
        event = meta.get("dagster_event")
        found = ORDER_ID.search(message)
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "order_id": tags.get(PARTITION_TAG) or getattr(record, "order_id", None) or (found and found.group(0)),
            "step": meta.get("step_key"),
            "run_id": meta.get("run_id"),
            "job": meta.get("job_name"),
            "event": event.event_type_value if event is not None else None,
            "logger": record.name,
            "message": message,
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(line, ensure_ascii=False)


def console_handler(use_json: bool, level: str) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter() if use_json else logging.Formatter(TEXT_FORMAT))
    handler.setLevel(level)
    return handler


@dg.logger(
    config_schema={
        "json": dg.Field(dg.Noneable(bool), default_value=None, description="unset: USE_JSON_LOGGING"),
        "log_level": dg.Field(dg.Noneable(str), default_value=None, description="unset: LOG_LEVEL"),
    },
    description="The console: JSON lines or text, at LOG_LEVEL (read when the run starts, in its own process).",
)
def santa_console_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    operations = load_operations_settings()
    config = init_context.logger_config
    use_json = operations.use_json_logging if config["json"] is None else config["json"]
    level = (config["log_level"] or operations.log_level).upper()
    log = logging.Logger("santa_videos", level=level)
    log.addHandler(console_handler(use_json, level))
    return log


# Dagster starts a job's custom loggers only when its run config names them: every job of ours sets this
# default, so its runs log through santa_console_logger without anyone writing run config.
CONSOLE_LOGGER_RUN_CONFIG = {"loggers": {"console": {}}}


def daemon_log_args() -> list[str]:
    """Arguments for `dagster-daemon run` / `dagster dev` that follow USE_JSON_LOGGING and LOG_LEVEL."""
    operations = load_operations_settings()
    return ["--log-format", "json" if operations.use_json_logging else "colored",
            "--log-level", operations.log_level.lower()]
