"""Turning what a customer sent (CLI flags, a JSON file, CSV rows) into validated orders, all or none."""

import csv
import json
from pathlib import Path
from typing import Any

from santa_videos.orders.model import Order, OrderInvalid, parse_order

# In CSV a cell holds one string, so several mentions share the `mentions` cell, separated by this.
CSV_MENTION_SEPARATOR = "|"


class BatchInvalid(ValueError):
    """Some orders of a batch are bad; `errors` names each by its row (or item) number."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def parse_batch(items: list[Any], label: str, first_number: int = 1) -> list[Order]:
    orders, errors, seen = [], [], {}
    for number, item in enumerate(items, start=first_number):
        if isinstance(item, str):
            errors.append(f"{label} {number}: {item}")
            continue
        try:
            order = parse_order(item)
        except OrderInvalid as exc:
            errors.extend(f"{label} {number}: {message}" for message in exc.errors)
            continue
        if order.order_id in seen:
            errors.append(f"{label} {number}: order_id: repeats {label} {seen[order.order_id]}")
        seen.setdefault(order.order_id, number)
        orders.append(order)
    if errors:
        raise BatchInvalid(errors)
    return orders


def read_json_orders(path: Path) -> list[Order]:
    """A JSON file holds one order (an object) or several (a list of objects)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchInvalid([f"{path}: cannot be read ({exc})"]) from None
    except json.JSONDecodeError as exc:
        raise BatchInvalid([f"{path}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]) from None
    if isinstance(data, dict):
        try:
            return [parse_order(data)]
        except OrderInvalid as exc:
            raise BatchInvalid(exc.errors) from None
    if not isinstance(data, list) or not data:
        raise BatchInvalid([f"{path}: must hold an order object or a non-empty list of them"])
    return parse_batch(data, "item")


def read_csv_orders(path: Path) -> list[Order]:
    """A header row of order field names, then one order per row; empty cells are left out."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BatchInvalid([f"{path}: cannot be read as UTF-8 CSV ({exc})"]) from None
    if not rows:
        raise BatchInvalid([f"{path}: has no orders (a header row and at least one row are needed)"])
    items = []
    for row in rows:
        if None in row:
            items.append("has more cells than the header has columns")
            continue
        item = {key.strip(): value for key, value in row.items() if key and value is not None and value.strip() != ""}
        if "mentions" in item:
            item["mentions"] = [m for m in (part.strip() for part in item["mentions"].split(CSV_MENTION_SEPARATOR)) if m]
        items.append(item)
    # Row numbers count the header as row 1, as spreadsheets do.
    return parse_batch(items, "row", first_number=2)
