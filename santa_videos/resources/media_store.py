from pathlib import Path

import dagster as dg


class MediaStore(dg.ConfigurableResource):
    """Where an order's files live: a private working folder per order and the public deliveries folder."""

    root: str
    deliveries: str

    def order_dir(self, order_id: str) -> Path:
        return Path(self.root) / "orders" / order_id

    def file(self, order_id: str, name: str) -> Path:
        return self.order_dir(order_id) / name

    def scratch_dir(self, order_id: str, step: str) -> Path:
        return Path(self.root) / "tmp" / order_id / step

    def scene_dir(self) -> Path:
        return Path(self.root) / "scene"

    def delivered_video(self, order_id: str) -> Path:
        return Path(self.deliveries) / f"{order_id}.mp4"

    def delivered_thumbnail(self, order_id: str) -> Path:
        return Path(self.deliveries) / f"{order_id}.jpg"
