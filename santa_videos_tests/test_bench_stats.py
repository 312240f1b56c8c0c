"""The benchmark's arithmetic and report: spreads over repeats, overhead per video, the table and the JSON file.

Timings themselves are never asserted; these protect what `make bench` prints from being computed wrongly.
"""

import json

import pytest

from bench.run import table_rows
from bench.stats import Row, format_table, overhead_per_video, results_document, spread, videos_per_hour

pytestmark = pytest.mark.unit


def test_spread_gives_min_median_max_and_skips_missing_samples():
    value = spread([3.0, None, 1.0, 2.0, 10.0])
    assert (value.min, value.median, value.max, value.count) == (1.0, 2.5, 10.0, 4)
    assert spread([]) is None and spread([None]) is None


def test_throughput_and_overhead_per_video():
    assert videos_per_hour(12, 60.0) == 720.0
    # 12 videos, 2 slots: 10 s more wall time holds each slot 10 * 2 / 12 s longer per video.
    assert abs(overhead_per_video(70.0, 60.0, 12, 2) - 10 * 2 / 12) < 1e-9
    assert overhead_per_video(60.0, 60.0, 12, 2) == 0.0


def test_table_starts_with_the_throughput_ratio_and_aligns_columns():
    text = format_table([Row("throughput ratio (full/floor)", "0.950", ">= 0.9"), Row("x", "1 s")])
    header, rule, first, second = text.splitlines()
    assert header.split() == ["figure", "value", "goal"]
    assert set(rule) == {"-"}
    assert first.startswith("throughput ratio (full/floor)")
    assert first.index("0.950") == second.index("1 s") == header.index("value")


def synthetic_figures() -> dict:
    floor = {"wall_seconds": 60.0, "python_cpu_seconds": 1.2, "tools_cpu_seconds": 100.0}
    full = {
        "wall_seconds": 75.0, "failed": 0, "intake_with_backlog": [4.0, 5.0], "queued": [0.5, 1.0], "launch": [2.0, 3.0],
        "outside_steps": [0.5, 0.7], "steps": [9.0, 10.0], "worker_cpu_seconds": 24.0, "tools_cpu_seconds": 100.0,
        "daemon_cpu_seconds": 6.0, "worker_peak_rss_mb": 120.0, "daemon_peak_rss_mb": 130.0,
        "code_server_peak_rss_mb": 140.0,
    }
    slower = {**full, "wall_seconds": 80.0}
    return {
        "parallelism": 2, "videos": 12, "import_seconds": {"dagster": 0.9, "santa_videos.definitions": 1.3},
        "repeats": [{"floor": floor, "full": full}, {"floor": floor, "full": slower}],
        "layers": {"without_cpu_seconds": [4.0, 6.0], "with_cpu_seconds": [4.2, 6.3]},
        "render_twice": {"first_seconds": 10.0, "second_seconds": 7.0, "first_audio_step_seconds": 2.0,
                         "second_audio_step_seconds": 0.1},
        "intake": {"backlog": 10000, "slots": 2, "evaluation_seconds": [0.01, 0.02, 0.03],
                   "runs_requested": [4, 4, 4], "partition_add_seconds": 2.5, "page_query_seconds": [1.5, 0.5],
                   "partitions": 10000, "submit_seconds": 5.0, "queued_samples": [0, 3, 4, 4, 2],
                   "watch_seconds": 60.2, "runs_created": 7},
        "idle": {"window_seconds": 60.0, "project_core_share": 0.065, "empty_core_share": 0.05,
                 "probe_seconds": [0.8, 1.4, 0.6], "probe_clock": ["create_timestamp"] * 3},
        "deadline_first": {"non_urgent": 8, "urgent": 3, "waiting_at_urgent": 6, "urgent_first": 2,
                           "urgent_start_order": [1, 2, 4]},
        "sentences": {
            "warm": [{"characters_billed": 60, "script_characters": 400}],
            "cold": [{"characters_billed": 320, "script_characters": 400}],
            "warm_up": [{"sentences_made": 245, "seconds": 60.0}], "loudness_spread_lu": 0.3,
            "loudness_sentences": 12, "race": {"processes": 8, "syntheses": 1, "sentence": "Ho ho ho!"},
        },
        "lipsync": {"orders": [
            {"batch": "first", "strategy": "lipsync", "coverage": 1.0, "seconds_billed": 60, "speech_seconds": 40.0,
             "picture_follows_sound": 0.98},
            {"batch": "warm", "strategy": "lipsync", "coverage": 1.0, "seconds_billed": 15, "speech_seconds": 40.0,
             "picture_follows_sound": 0.97},
        ]},
        "name_preview": {"cold_s": {"min": 0.2, "median": 0.25, "max": 0.3, "count": 5},
                         "cache_hit_s": {"min": 0.01, "median": 0.012, "max": 0.02, "count": 5},
                         "characters_billed": 100},
        "storage": "postgres",
    }


def test_rows_report_the_median_ratio_over_repeats_with_its_range():
    rows = table_rows(synthetic_figures())
    assert rows[0].figure == "throughput ratio (full/floor)"
    # 60/75 = 0.8 and 60/80 = 0.75: median 0.775.
    assert rows[0].value.startswith("0.775 (min 0.750, max 0.800, n=2)")
    by_name = {row.figure: row.value for row in rows}
    assert by_name["  CPU/video, run worker python"].startswith("2.00 s")
    assert by_name["peak RSS run worker"] == "120 MB"
    # 10.5 CPU-s with the layers against 10.0 without: 5% more.
    assert by_name["media CPU/video without / with face+photo"] == "5.00 s / 5.25 s (+5.0%)"


def test_new_intake_and_idle_rows_are_formed_from_their_figures():
    rows = {row.figure: row for row in table_rows(synthetic_figures())}
    # (24 CPU-s of run workers + 6 of the daemon and code server) / 12 videos, in both repeats.
    assert rows["orchestration CPU per video"].value == "2.50 s (min 2.50, max 2.50, n=2)"
    assert rows["orchestration CPU per video"].goal.startswith("<= 1.2 s")
    assert rows["submission -> run created"].value.startswith("0.80 s (min 0.60, max 1.40, n=3)")
    assert rows["submission -> run created"].goal.startswith("<= 2 s")
    idle = rows["idle CPU above Dagster's baseline"]
    assert idle.value == "0.015" and idle.goal.startswith("<= 0.01")
    assert "project 0.065" in idle.goal and "empty code location 0.050" in idle.goal
    queued = rows["queued runs with 10,000 waiting orders"]
    assert queued.value == "4" and queued.goal.startswith("<= 3 x 2 = 6") and "7 runs created in 60 s" in queued.goal
    assert rows["sensor evaluation, 10000 waiting"].goal.endswith("requests 4 (min 4, max 4, n=3) runs")
    deadline = rows["intake order: deadline-first"]
    assert deadline.value == "0.67" and deadline.goal.startswith("1.0; 2 of 3 urgent")
    assert rows["storage"].value == "postgres"
    assert rows["characters billed per video / whole script"].value == "0.150"
    assert rows["lip-sync seconds billed per video / speech seconds"].value == "0.375"
    assert "daemon tick (evaluate, partitions, runs)" not in rows


def test_results_document_is_json_with_meta_figures_and_the_printed_table():
    figures = synthetic_figures()
    rows = table_rows(figures)
    document = json.loads(json.dumps(results_document({"quick": True}, figures, rows)))
    assert set(document) == {"version", "meta", "figures", "table"}
    assert document["table"][0]["figure"] == "throughput ratio (full/floor)"
    assert document["figures"]["intake"]["backlog"] == 10000


def test_a_run_worker_read_while_exiting_stays_a_run_worker(monkeypatch):
    from bench import procs

    sampler = procs.TreeSampler(root_pid=7)
    reading = procs.ProcessReading(pid=42, role="run_worker", cpu_seconds=1.0, reaped_children_cpu_seconds=0.0,
                                   peak_rss_mb=100.0)
    sampler.readings[42] = reading
    monkeypatch.setattr(procs.os, "listdir", lambda _: ["42"])
    monkeypatch.setattr(procs, "_read_stat", lambda pid: ("python3.11", 1, 2.0, 0.0))
    monkeypatch.setattr(procs, "_cmdline", lambda pid: "")  # what /proc shows of a process that is exiting
    monkeypatch.setattr(procs, "_peak_rss_mb", lambda pid: 100.0)
    monkeypatch.setattr(sampler, "_descends", lambda pid, parents: True)
    sampler.sample()
    assert sampler.readings[42].role == "run_worker" and sampler.readings[42].cpu_seconds == 2.0


def test_the_name_preview_rows_give_the_new_name_and_the_cache_hit():
    rows = {row.figure: row for row in table_rows(synthetic_figures())}
    assert rows["name preview: request -> first audio byte"].value.startswith("0.250 s")
    assert rows["name preview: request -> first audio byte, cache hit"].value.startswith("0.012 s")
