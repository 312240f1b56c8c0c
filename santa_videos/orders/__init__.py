from santa_videos.orders.model import Order, OrderInvalid, Status, Strategy, parse_order
from santa_videos.orders.table import OrderNotFound, OrderRecord, OrderTable

__all__ = ["Order", "OrderInvalid", "OrderNotFound", "OrderRecord", "OrderTable", "Status", "Strategy", "parse_order"]
