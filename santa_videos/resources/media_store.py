import shutil
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

    def release_scratch(self, order_id: str, step: str) -> None:
        """Delete the step's scratch folder, and the order's once no step has one left: a delivered order must
        not depend on a sensor to be tidied."""
        shutil.rmtree(self.scratch_dir(order_id, step), ignore_errors=True)
        try:
            self.scratch_dir(order_id, step).parent.rmdir()
        except OSError:
            pass  # missing, or another step's folder is still in it

    def scene_dir(self) -> Path:
        return Path(self.root) / "scene"

    def delivered_video(self, order_id: str) -> Path:
        return Path(self.deliveries) / f"{order_id}.mp4"

    def delivered_thumbnail(self, order_id: str) -> Path:
        return Path(self.deliveries) / f"{order_id}.jpg"
