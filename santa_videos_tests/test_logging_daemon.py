"""USE_JSON_LOGGING=true under a real dagster-daemon: the daemon's lines and the lines of the run workers it launches
are JSON objects; the run's lines carry the order id, and none carries the child's name."""

import json
import subprocess

import pytest

from santa_videos.daemon_harness import BIN, DaemonHarness
from santa_videos.logs import daemon_log_args
from santa_videos_tests.conftest import PROJECT_ROOT


CODE_SERVER_NOTICES = ("INFO:dagster.code_server:", "WARNING:dagster.code_server:")


@pytest.mark.slow
def test_daemon_and_run_workers_log_json_lines(tmp_path, monkeypatch):
    harness = DaemonHarness(tmp_path, USE_JSON_LOGGING="true", LOG_LEVEL="DEBUG", SANTA_MAX_CONCURRENT_RUNS="2")
    monkeypatch.setenv("USE_JSON_LOGGING", "true")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("DAGSTER_HOME", str(harness.home))
    submitted = harness.cli("submit", "--name", "Ottoline Fairweather", "--age", "7", "--language", "en",
                            "--mention", "you fed the winter robins")
    assert submitted.returncode == 0, submitted.stderr
    order_id = submitted.stdout.strip()
    with harness.log.open("ab") as log:
        harness.process = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml", *daemon_log_args()],
            cwd=PROJECT_ROOT, env=harness.env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        harness.wait_for(lambda: harness.statuses([order_id]) == ["delivered"], 600, "delivery")
        harness.wait_for_runs_to_end()
        # The run worker writes its last lines through a buffered stdout, which may reach the file after the run ends.
        harness.wait_for(
            lambda: any('"STEP_SUCCESS"' in line and '"step": "delivery"' in line for line in harness.log.read_text().splitlines()),
            60, "the delivery step's last log line",
        )
    finally:
        harness.stop()

    lines = [line for line in harness.log.read_text().splitlines() if line.strip()]
    # Dagster's code server prints its shutdown notices in the standard library's plain format when the daemon stops
    # it during a sensor evaluation (docs/season.md); every other line is one JSON object.
    records = [json.loads(line) for line in lines if not line.startswith(CODE_SERVER_NOTICES)]
    daemon_lines = [r for r in records if r.get("logger", "").startswith("dagster.daemon")]
    run_lines = [r for r in records if r.get("job") == "video_job"]
    assert daemon_lines and {"event", "level", "timestamp"} <= set(daemon_lines[0])
    assert len(run_lines) > 20
    assert all(r["order_id"] == order_id and r["run_id"] for r in run_lines)
    assert {r["step"] for r in run_lines if r["event"] == "STEP_SUCCESS"} == {
        "script", "audio", "clip", "video", "delivery"}
    assert not [line for line in lines if "Ottoline" in line or "Fairweather" in line or "winter robins" in line]
