"""The name as Santa says it, for people (the order's status page): what the lexicon says now, and what the order's
video was made with."""

import json
from dataclasses import dataclass

from santa_videos.names.lexicon import Lexicon, spoken_name
from santa_videos.orders.table import OrderRecord
from santa_videos.resources.media_store import MediaStore


@dataclass(frozen=True)
class NameAsSpoken:
    spoken: str
    source: str  # order, lexicon or spelling

    def as_json(self) -> dict:
        return {"spoken": self.spoken, "source": self.source}


def name_as_spoken(order: OrderRecord, lexicon: Lexicon) -> NameAsSpoken:
    """How Santa will say the order's name with this lexicon."""
    return NameAsSpoken(*spoken_name(order.child_name or "", order.phonetic_name, order.language, lexicon))


def name_said_in_video(media: MediaStore, order_id: str) -> NameAsSpoken | None:
    """How the order's script says the name (the `script` step keeps it in plan.json); None before the step ran,
    after the order was erased, or for a script made before names were recorded."""
    data = media.backend().get_bytes(media.order_key(order_id, "plan.json"))
    name = json.loads(data).get("name") if data is not None else None
    return NameAsSpoken(name["spoken"], name["source"]) if name else None
