"""A name preview asked for: the order's name fields and language, validated and moderated as an order's are."""

from dataclasses import dataclass
from typing import Any

from santa_videos.orders.ids import new_order_id
from santa_videos.orders.model import OrderInvalid, parse_order

FIELDS = ("child_name", "phonetic_name", "language", "order_id")
# The Order model wants an age; the greeting never says it, so any valid one stands in.
ANY_AGE = 0


@dataclass(frozen=True)
class PreviewRequest:
    order_id: str
    child_name: str
    phonetic_name: str | None
    language: str


def parse_preview(data: Any) -> PreviewRequest:
    """The request, or OrderInvalid listing every problem in the words an order gets. Without an order id, a new
    one: the phrasing Santa uses depends on it, so the order must then be sent with that id."""
    if not isinstance(data, dict):
        raise OrderInvalid(["a name preview must be an object with child_name and language"])
    errors = [f"{field}: is not a field of a name preview" for field in data if field not in FIELDS]
    fields = {field: data[field] for field in FIELDS if field in data}
    if not fields.get("order_id"):
        fields["order_id"] = new_order_id()
    try:
        order = parse_order({**fields, "age": ANY_AGE})
    except OrderInvalid as exc:
        errors = exc.errors + errors
    if errors:
        raise OrderInvalid(errors)
    return PreviewRequest(order.order_id, order.child_name, order.phonetic_name, order.language)
