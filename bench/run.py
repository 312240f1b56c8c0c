"""`make bench`: media floor, full Dagster path and Dagster's own run side by side; intake at scale, memory, cache.

Every figure comes from one run on this machine, so the ratios hold even when the machine is busy. Speed goals
are printed beside the figures; nothing here passes or fails on time.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from bench.cluster import cluster_available, cluster_repeat, cluster_rows, noop_runs
from bench.deadline_first import deadline_first
from bench.engine_floor import engine_floor, engine_floor_rows
from bench.full_path import full_path
from bench.idle import idle_and_probes
from bench.instance import PROJECT_ROOT, instance_config
from bench.intake import intake_at_scale
from bench.layers import layers_cost
from bench.lipsync import lipsync_figures, lipsync_rows
from bench.name_preview import preview_figures, preview_rows
from bench.render_twice import render_twice
from bench.sentences import sentence_figures, sentence_rows
from bench.stats import (
    Row, fmt, fmt_spread, format_table, overhead_per_video, results_document, spread, videos_per_hour,
)
from bench.storage import STORAGES, BenchStorage
from bench.workload import bench_orders, media_floor
from santa_videos.settings import load_settings

DEFAULT_OUTPUT = PROJECT_ROOT / "bench" / "results" / "latest.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N") or 12), help="videos per repeat")
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")),
                        help="one repeat, and the idle and queue windows 30 s instead of 60 s")
    parser.add_argument("--repeats", type=int,
                        help="media floor, full path and no-op runs, measured side by side (default 2, quick 1)")
    parser.add_argument("--backlog", type=int, default=10_000, help="waiting orders for the intake figures")
    parser.add_argument("--probes", type=int, default=5, help="single orders timed from submission to run created")
    parser.add_argument("--storage", choices=STORAGES, default=os.environ.get("BENCH_STORAGE", "").strip() or "sqlite",
                        help="Dagster's storage and the orders table: SQLite files, or fresh PostgreSQL databases")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the JSON file to write")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instances and videos")
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (1 if args.quick else 2)
    args.window_seconds = 30 if args.quick else 60
    args.page_queries = 2 if args.quick else 3
    return args


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def import_seconds(module: str) -> float:
    """Cumulative import time of `module` in a fresh interpreter, as `python -X importtime` reports it."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True)
    for line in done.stderr.splitlines():
        match = re.match(rf"import time:\s+\d+ \|\s+(\d+) \|\s?{re.escape(module)}$", line)
        if match:
            return int(match.group(1)) / 1e6
    raise RuntimeError(f"python -X importtime did not report {module}")


def measure(args: argparse.Namespace, root: Path, storage: BenchStorage) -> dict:
    parallelism = int(os.environ.get("SANTA_MAX_CONCURRENT_RUNS") or 2)
    figures: dict = {"parallelism": parallelism, "videos": args.n, "storage": storage.kind, "repeats": []}
    say("import times")
    figures["import_seconds"] = {m: import_seconds(m) for m in ("dagster", "santa_videos.definitions")}
    for repeat in range(args.repeats):
        orders = bench_orders(args.n)
        say(f"repeat {repeat + 1}/{args.repeats}: media floor, {args.n} videos at {parallelism} at once")
        floor = media_floor(orders, root / f"floor-{repeat}", parallelism, load_settings())
        say(f"repeat {repeat + 1}/{args.repeats}: full path, same {args.n} orders through dagster-daemon")
        full = full_path(bench_orders(args.n), root / f"full-{repeat}", storage, parallelism, timeout=120 * args.n)
        say(f"repeat {repeat + 1}/{args.repeats}: Dagster's own run, {args.n} no-op runs on the same instance setup")
        engine = engine_floor(args.n, root / f"engine-{repeat}", storage, parallelism, timeout=30 * args.n + 120)
        figures["repeats"].append({"floor": asdict(floor), "full": asdict(full), "engine": asdict(engine)})
        if not cluster_available():
            say(f"repeat {repeat + 1}/{args.repeats}: cluster, same {args.n} orders on two worker hosts, then one")
            cluster = cluster_repeat(bench_orders(args.n), root / f"cluster-{repeat}", parallelism, timeout=120 * args.n)
            for key, result in cluster.items():
                figures.setdefault(key, []).append(result)
    if not cluster_available():
        say(f"cluster: {args.n} no-op runs, Dagster's own cost of a run on a worker")
        figures["cluster_noop"] = asdict(noop_runs(root / "cluster-noop", args.n, parallelism, timeout=60 * args.n))
    layer_orders = bench_orders(min(args.n, 4))
    say(f"talking face and photo: {len(layer_orders)} videos with and without them, one at a time")
    figures["layers"] = asdict(layers_cost(layer_orders, root / "layers", load_settings()))
    say("the same order rendered twice")
    figures["render_twice"] = asdict(render_twice(root / "render-twice", storage))
    say(f"intake at scale: {args.backlog} waiting orders")
    figures["intake"] = asdict(intake_at_scale(root / "intake", storage, args.backlog, parallelism,
                                               args.window_seconds, args.page_queries))
    say(f"idle daemons, {args.window_seconds} s each, then {args.probes} single orders")
    figures["idle"] = asdict(idle_and_probes(root / "idle", storage, parallelism, args.window_seconds, args.probes))
    say("deadline first: urgent orders into a saturated queue")
    figures["deadline_first"] = asdict(deadline_first(root / "deadline-first", storage, parallelism))
    figures["sentences"] = asdict(sentence_figures(root / "sentences", say=say))
    figures["lipsync"] = asdict(lipsync_figures(root / "lipsync", say=say))
    say("name previews: new names and names heard before, through a real intake")
    figures["name_preview"] = asdict(preview_figures(root / "name-preview"))
    return figures


def table_rows(figures: dict) -> list[Row]:
    n, p = figures["videos"], figures["parallelism"]
    pairs = [(r["floor"], r["full"]) for r in figures["repeats"]]
    ratio = spread([floor["wall_seconds"] / full["wall_seconds"] for floor, full in pairs])
    overhead = spread([overhead_per_video(full["wall_seconds"], floor["wall_seconds"], n, p) for floor, full in pairs])

    def runs(key: str):
        return spread([value for _, full in pairs for value in full[key]])

    def per_video(side: int, key: str):
        return spread([pair[side][key] / n for pair in pairs])

    floor_side, full_side = 0, 1
    intake, twice, idle = figures["intake"], figures["render_twice"], figures["idle"]
    worker_rss = max(full["worker_peak_rss_mb"] for _, full in pairs)
    daemon_rss = max(full["daemon_peak_rss_mb"] for _, full in pairs)
    code_server_rss = max(full["code_server_peak_rss_mb"] for _, full in pairs)
    failed = sum(full["failed"] for _, full in pairs)
    orchestration = spread([(full["worker_cpu_seconds"] + full["daemon_cpu_seconds"]) / n for _, full in pairs])
    return [
        Row("throughput ratio (full/floor)", fmt_spread(ratio, digits=3), ">= 0.9"),
        Row("media floor throughput", fmt_spread(spread([videos_per_hour(n, f["wall_seconds"]) for f, _ in pairs]),
                                                 "videos/h", 0), f"N={n}, {p} at once"),
        Row("full path throughput", fmt_spread(spread([videos_per_hour(n, f["wall_seconds"]) for _, f in pairs]),
                                               "videos/h", 0), "first submission to last delivery"),
        Row("overhead per video", fmt_spread(overhead, "s"), "slot-seconds beyond the floor"),
        Row("  first submission -> run created, backlog", fmt_spread(runs("intake_with_backlog"), "s"),
            f"all {n} sent at once: most wait for a slot in the orders table"),
        Row("  run launched -> worker started", fmt_spread(runs("launch"), "s"), "process spawn and code load"),
        Row("  run time outside its steps", fmt_spread(runs("outside_steps"), "s"), "events, step setup"),
        Row("  run steps (media inside)", fmt_spread(runs("steps"), "s")),
        Row("submission -> run created", fmt_spread(spread(idle["probe_seconds"]), "s"),
            f"<= 2 s; {len(idle['probe_seconds'])} single orders on a quiet daemon"),
        Row("orchestration CPU per video", fmt_spread(orchestration, "s"),
            "<= 1.2 s; run worker + daemon + code server, outside FFmpeg and espeak-ng"),
        Row("  CPU/video, run worker python", fmt_spread(per_video(full_side, "worker_cpu_seconds"), "s")),
        Row("  CPU/video, daemon + code server", fmt_spread(per_video(full_side, "daemon_cpu_seconds"), "s")),
        *engine_floor_rows(figures["repeats"], n),
        Row("CPU/video, floor python", fmt_spread(per_video(floor_side, "python_cpu_seconds"), "s")),
        Row("CPU/video, media tools floor/full",
            f"{fmt(per_video(floor_side, 'tools_cpu_seconds').median, 's')} / "
            f"{fmt(per_video(full_side, 'tools_cpu_seconds').median, 's')}", "FFmpeg, ffprobe, espeak-ng"),
        idle_row(idle),
        layers_row(figures["layers"]),
        Row("import santa_videos.definitions", fmt(figures["import_seconds"]["santa_videos.definitions"], "s"),
            f"of which dagster {fmt(figures['import_seconds']['dagster'], 's')}"),
        queued_runs_row(intake),
        Row(f"sensor evaluation, {intake['backlog']} waiting", fmt_spread(spread(intake["evaluation_seconds"]), "s", 3),
            f"< 2 s; requests {fmt_spread(spread(intake['runs_requested']), digits=0)} runs"),
        Row(f"add {intake['backlog']} partitions", fmt(intake["partition_add_seconds"], "s", 3), "in one call"),
        Row(f"partitions page query, {intake['partitions']} partitions",
            fmt_spread(spread(intake["page_query_seconds"]), "s", 3), "GraphQL via dagster-webserver"),
        deadline_first_row(figures["deadline_first"]),
        Row("peak RSS run worker", fmt(worker_rss, "MB", 0), "< 300 MB"),
        Row("peak RSS daemon / code server", f"{fmt(daemon_rss, 'MB', 0)} / {fmt(code_server_rss, 'MB', 0)}"),
        Row("render same order: first / second", f"{fmt(twice['first_seconds'], 's')} / {fmt(twice['second_seconds'], 's')}",
            f"audio step {fmt(twice['first_audio_step_seconds'], 's')} / {fmt(twice['second_audio_step_seconds'], 's')}"),
        *sentence_rows(figures["sentences"]),
        *lipsync_rows(figures["lipsync"]),
        *preview_rows(figures["name_preview"]),
        *(cluster_rows(figures, [full["wall_seconds"] for _, full in pairs]) if figures.get("cluster") else
          [Row("cluster rows", "n/a", cluster_available() or "not measured")]),
        Row("storage", figures.get("storage", "sqlite"), "Dagster's storage and the orders table (--storage)"),
        Row("orders not delivered on the full path", str(failed), "must be 0: figures are void otherwise"),
    ]


def layers_row(layers: dict) -> Row:
    without, with_layers = spread(layers["without_cpu_seconds"]), spread(layers["with_cpu_seconds"])
    extra = sum(layers["with_cpu_seconds"]) / sum(layers["without_cpu_seconds"]) - 1
    return Row("media CPU/video without / with face+photo",
               f"{fmt(without.median, 's')} / {fmt(with_layers.median, 's')} ({extra:+.1%})",
               "extra < +15%; same orders, one at a time")


def idle_row(idle: dict) -> Row:
    above = idle["project_core_share"] - idle["empty_core_share"]
    return Row("idle CPU above Dagster's baseline", f"{above:.3f}",
               f"<= 0.01; share of one core over {idle['window_seconds']:.0f} s: project "
               f"{idle['project_core_share']:.3f}, empty code location {idle['empty_core_share']:.3f}")


def queued_runs_row(intake: dict) -> Row:
    slots, most = intake["slots"], max(intake["queued_samples"], default=None)
    return Row(f"queued runs with {intake['backlog']:,} waiting orders", "n/a" if most is None else str(most),
               f"<= 3 x {slots} = {3 * slots}; most QUEUED+NOT_STARTED seen, {intake['runs_created']} runs created "
               f"in {intake['watch_seconds']:.0f} s")


def deadline_first_row(result: dict) -> Row:
    share = result["urgent_first"] / result["urgent"]
    return Row("intake order: deadline-first", f"{share:.2f}",
               f"1.0; {result['urgent_first']} of {result['urgent']} urgent started before the "
               f"{result['waiting_at_urgent']} non-urgent still waiting (of {result['non_urgent']})")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="santa-bench-"))
    started, started_at = time.monotonic(), time.strftime("%Y-%m-%dT%H:%M:%S%z")
    try:
        with BenchStorage(args.storage) as storage:
            figures = measure(args, root, storage)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    rows = table_rows(figures)
    meta = {
        "started": started_at, "seconds": round(time.monotonic() - started, 1), "quick": args.quick,
        "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(), "x264_preset": load_settings().x264_preset,
        "dagster_yaml": str(instance_config()), "storage": args.storage, "workdir": str(root) if args.keep else None,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results_document(meta, figures, rows), indent=2))
    print(format_table(rows))
    print(f"\n{len(figures['repeats'])} repeat(s) of {args.n} videos on {args.storage} in {meta['seconds']:.0f} s; "
          f"figures in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
