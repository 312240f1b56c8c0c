"""What an order's renders were billed, and what that cost at the configured prices."""

from santa_videos.orders.table import OrderRecord
from santa_videos.settings import OperationsSettings


def order_bill(order: OrderRecord, operations: OperationsSettings) -> dict:
    characters = order.characters_billed or 0
    generations = order.lipsync_generations or 0
    seconds = order.lipsync_seconds_billed or 0.0
    cost = (characters / 1000 * operations.cost_per_1k_characters.get("elevenlabs", 0.0)
            + generations * operations.cost_per_clip.get("higgsfield", 0.0)
            + seconds * operations.cost_per_second.get("higgsfield", 0.0))
    return {"characters_billed": characters, "lipsync_generations": generations,
            "lipsync_seconds_billed": round(seconds, 1), "estimated_cost": round(cost, 4)}
