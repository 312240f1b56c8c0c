"""The idle figure's instances run their code location as a server of their own, as production does: the daemon
starts no code server (which it would replace every 60 s), its sensors tick through that server, and the sampler
counts both process trees."""

from pathlib import Path

import pytest

from bench.procs import TreeSampler, descendants
from santa_videos.daemon_harness import DaemonHarness


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.slow
def test_a_daemon_on_a_code_server_of_its_own_starts_none_and_ticks_through_it(tmp_path):
    harness = DaemonHarness(tmp_path, SANTA_MAX_CONCURRENT_RUNS="1")
    try:
        server_pid = harness.serve_code_location()
        with TreeSampler(harness.start(), more_roots=(server_pid,)) as sampler:
            harness.wait_for(lambda: [t for t in harness.sensor_ticks("intake_sensor") if t.end_timestamp], 180,
                             "an intake sensor tick")
            sampler.sample()
            started_by_daemon = [command_line(pid) for pid in descendants(harness.process.pid)]
        assert not [line for line in started_by_daemon if " api grpc" in line], started_by_daemon
        assert "santa_videos.definitions" in command_line(server_pid)
        assert {reading.pid for reading in sampler.by_role("code_server")} >= {server_pid}
        assert sampler.by_role("daemon") and all(r.cpu_seconds > 0 for r in sampler.by_role("code_server"))
    finally:
        harness.stop()
    assert harness.code_server.poll() is not None, "the code server stops with the harness"
