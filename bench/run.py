"""`make bench`: the media floor and the full Dagster path side by side, intake at scale, memory and cache.

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

from bench.cluster import cluster_available, cluster_path, cluster_rows
from bench.full_path import full_path
from bench.instance import PROJECT_ROOT, instance_config
from bench.intake import intake_at_scale
from bench.layers import layers_cost
from bench.render_twice import render_twice
from bench.stats import (
    Row, fmt, fmt_spread, format_table, overhead_per_video, results_document, spread, videos_per_hour,
)
from bench.workload import bench_orders, media_floor
from santa_videos.settings import load_settings

DEFAULT_OUTPUT = PROJECT_ROOT / "bench" / "results" / "latest.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N") or 12), help="videos per repeat")
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")),
                        help="one repeat, and the daemon's intake tick watched for 90 s instead of 240 s")
    parser.add_argument("--repeats", type=int, help="floor + full path pairs (default 2, quick 1)")
    parser.add_argument("--backlog", type=int, default=10_000, help="waiting orders for the intake figures")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the JSON file to write")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instances and videos")
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (1 if args.quick else 2)
    args.tick_budget = 90 if args.quick else 240
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


def measure(args: argparse.Namespace, root: Path) -> dict:
    parallelism = int(os.environ.get("SANTA_MAX_CONCURRENT_RUNS") or 2)
    figures: dict = {"parallelism": parallelism, "videos": args.n, "repeats": []}
    say("import times")
    figures["import_seconds"] = {m: import_seconds(m) for m in ("dagster", "santa_videos.definitions")}
    for repeat in range(args.repeats):
        orders = bench_orders(args.n)
        say(f"repeat {repeat + 1}/{args.repeats}: media floor, {args.n} videos at {parallelism} at once")
        floor = media_floor(orders, root / f"floor-{repeat}", parallelism, load_settings())
        say(f"repeat {repeat + 1}/{args.repeats}: full path, same {args.n} orders through dagster-daemon")
        full = full_path(bench_orders(args.n), root / f"full-{repeat}", parallelism, timeout=120 * args.n)
        figures["repeats"].append({"floor": asdict(floor), "full": asdict(full)})
        if not cluster_available():
            say(f"repeat {repeat + 1}/{args.repeats}: cluster, same {args.n} orders over two Celery worker hosts")
            cluster = cluster_path(bench_orders(args.n), root / f"cluster-{repeat}", parallelism, timeout=120 * args.n)
            figures.setdefault("cluster", []).append(asdict(cluster))
    layer_orders = bench_orders(min(args.n, 4))
    say(f"talking face and photo: {len(layer_orders)} videos with and without them, one at a time")
    figures["layers"] = asdict(layers_cost(layer_orders, root / "layers", load_settings()))
    say("the same order rendered twice")
    figures["render_twice"] = asdict(render_twice(root / "render-twice"))
    say(f"intake at scale: {args.backlog} waiting orders")
    figures["intake"] = asdict(intake_at_scale(root / "intake", args.backlog, args.tick_budget, args.page_queries))
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
    intake, twice = figures["intake"], figures["render_twice"]
    worker_rss = max(full["worker_peak_rss_mb"] for _, full in pairs)
    daemon_rss = max(full["daemon_peak_rss_mb"] for _, full in pairs)
    code_server_rss = max(full["code_server_peak_rss_mb"] for _, full in pairs)
    failed = sum(full["failed"] for _, full in pairs)
    return [
        Row("throughput ratio (full/floor)", fmt_spread(ratio, digits=3), ">= 0.9"),
        Row("media floor throughput", fmt_spread(spread([videos_per_hour(n, f["wall_seconds"]) for f, _ in pairs]),
                                                 "videos/h", 0), f"N={n}, {p} at once"),
        Row("full path throughput", fmt_spread(spread([videos_per_hour(n, f["wall_seconds"]) for _, f in pairs]),
                                               "videos/h", 0), "first submission to last delivery"),
        Row("overhead per video", fmt_spread(overhead, "s"), "slot-seconds beyond the floor"),
        Row("  submission -> run created", fmt_spread(runs("intake"), "s"), "sensor loop and tick"),
        Row("  run launched -> worker started", fmt_spread(runs("launch"), "s"), "process spawn and code load"),
        Row("  run time outside its steps", fmt_spread(runs("outside_steps"), "s"), "events, step setup"),
        Row("  run steps (media inside)", fmt_spread(runs("steps"), "s")),
        Row("CPU/video, floor python", fmt_spread(per_video(floor_side, "python_cpu_seconds"), "s")),
        Row("CPU/video, run worker python", fmt_spread(per_video(full_side, "worker_cpu_seconds"), "s"),
            "outside FFmpeg and espeak-ng"),
        Row("CPU/video, daemon + code server", fmt_spread(per_video(full_side, "daemon_cpu_seconds"), "s"),
            "outside FFmpeg and espeak-ng"),
        Row("CPU/video, media tools floor/full",
            f"{fmt(per_video(floor_side, 'tools_cpu_seconds').median, 's')} / "
            f"{fmt(per_video(full_side, 'tools_cpu_seconds').median, 's')}", "FFmpeg, ffprobe, espeak-ng"),
        layers_row(figures["layers"]),
        Row("import santa_videos.definitions", fmt(figures["import_seconds"]["santa_videos.definitions"], "s"),
            f"of which dagster {fmt(figures['import_seconds']['dagster'], 's')}"),
        Row(f"sensor evaluation, {intake['backlog']} waiting", fmt_spread(spread(intake["evaluation_seconds"]), "s", 3),
            "< 2 s per batch of 200"),
        Row("add 200 partitions", fmt_spread(spread(intake["partition_add_seconds"]), "s", 3)),
        daemon_tick_row(intake),
        Row(f"partitions page query, {intake['partitions']} partitions",
            fmt_spread(spread(intake["page_query_seconds"]), "s", 3), "GraphQL via dagster-webserver"),
        Row("peak RSS run worker", fmt(worker_rss, "MB", 0), "< 300 MB"),
        Row("peak RSS daemon / code server", f"{fmt(daemon_rss, 'MB', 0)} / {fmt(code_server_rss, 'MB', 0)}"),
        Row("render same order: first / second", f"{fmt(twice['first_seconds'], 's')} / {fmt(twice['second_seconds'], 's')}",
            f"audio step {fmt(twice['first_audio_step_seconds'], 's')} / {fmt(twice['second_audio_step_seconds'], 's')}"),
        *(cluster_rows(figures, [full["wall_seconds"] for _, full in pairs]) if figures.get("cluster") else
          [Row("cluster rows", "n/a", cluster_available() or "not measured")]),
        Row("orders not delivered on the full path", str(failed), "must be 0: figures are void otherwise"),
    ]


def layers_row(layers: dict) -> Row:
    without, with_layers = spread(layers["without_cpu_seconds"]), spread(layers["with_cpu_seconds"])
    extra = sum(layers["with_cpu_seconds"]) / sum(layers["without_cpu_seconds"]) - 1
    return Row("media CPU/video without / with face+photo",
               f"{fmt(without.median, 's')} / {fmt(with_layers.median, 's')} ({extra:+.1%})",
               "extra < +15%; same orders, one at a time")


def daemon_tick_row(intake: dict) -> Row:
    figure = "daemon tick (evaluate, partitions, runs)"
    if intake["daemon_tick_seconds"]:
        runs = fmt_spread(spread(intake["runs_per_daemon_tick"]), digits=0)
        return Row(figure, fmt_spread(spread(intake["daemon_tick_seconds"]), "s", 1), f"{runs} runs per tick")
    if intake["unfinished_tick_runs"]:
        pace = intake["unfinished_tick_seconds"] / intake["unfinished_tick_runs"]
        return Row(figure, f"unfinished: {intake['unfinished_tick_runs']} runs in "
                   f"{intake['unfinished_tick_seconds']:.0f} s", f"about {pace * 200:.0f} s per 200 runs")
    return Row(figure, "n/a", "not measured")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="santa-bench-"))
    started, started_at = time.monotonic(), time.strftime("%Y-%m-%dT%H:%M:%S%z")
    try:
        figures = measure(args, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    rows = table_rows(figures)
    meta = {
        "started": started_at, "seconds": round(time.monotonic() - started, 1), "quick": args.quick,
        "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(), "x264_preset": load_settings().x264_preset,
        "dagster_yaml": str(instance_config()), "workdir": str(root) if args.keep else None,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results_document(meta, figures, rows), indent=2))
    print(format_table(rows))
    print(f"\n{len(figures['repeats'])} repeat(s) of {args.n} videos in {meta['seconds']:.0f} s; figures in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
