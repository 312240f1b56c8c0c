"""Pure helpers of the benchmark: spreads over repeats, the derived figures, the printed table, the JSON shape."""

import statistics
from dataclasses import dataclass

SECONDS_PER_HOUR = 3600
RESULTS_VERSION = 1


@dataclass(frozen=True)
class Spread:
    """Minimum, median and maximum of one figure over its samples."""

    min: float
    median: float
    max: float
    count: int

    def as_dict(self) -> dict:
        return {"min": self.min, "median": self.median, "max": self.max, "count": self.count}


def spread(samples: list[float]) -> Spread | None:
    values = [float(v) for v in samples if v is not None]
    if not values:
        return None
    return Spread(min=min(values), median=statistics.median(values), max=max(values), count=len(values))


def videos_per_hour(videos: int, wall_seconds: float) -> float:
    return videos * SECONDS_PER_HOUR / wall_seconds


def overhead_per_video(full_wall: float, floor_wall: float, videos: int, parallelism: int) -> float:
    """Extra seconds each video holds one of the `parallelism` slots on the full path, compared with the floor."""
    return (full_wall - floor_wall) * parallelism / videos


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    goal: str = ""


def fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}{(' ' + unit) if unit else ''}"


def fmt_spread(value: Spread | None, unit: str = "", digits: int = 2) -> str:
    """`median (min-max)`, or the single value when there is only one sample."""
    if value is None:
        return "n/a"
    if value.count == 1:
        return fmt(value.median, unit, digits)
    low, high = f"{value.min:.{digits}f}", f"{value.max:.{digits}f}"
    return f"{fmt(value.median, unit, digits)} (min {low}, max {high}, n={value.count})"


def format_table(rows: list[Row]) -> str:
    headers = Row("figure", "value", "goal")
    widths = [max(len(getattr(r, field)) for r in [headers, *rows]) for field in ("figure", "value")]
    lines = []
    for number, row in enumerate([headers, *rows]):
        line = f"{row.figure:<{widths[0]}}  {row.value:<{widths[1]}}  {row.goal}".rstrip()
        lines.append(line)
        if number == 0:
            lines.append("-" * len(line.ljust(sum(widths) + 4 + len("goal"))))
    return "\n".join(lines)


def results_document(meta: dict, figures: dict, rows: list[Row]) -> dict:
    """What goes to the JSON file: how the run was made, every raw figure, and the table as printed."""
    return {
        "version": RESULTS_VERSION,
        "meta": meta,
        "figures": figures,
        "table": [{"figure": r.figure, "value": r.value, "goal": r.goal} for r in rows],
    }
