"""Opaque, time-ordered order ids: `ord_` and 26 Crockford base32 characters (48 bits of time, 80 random)."""

import os
import re
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ORDER_ID_PATTERN = re.compile(r"^ord_[0-9abcdefghjkmnpqrstvwxyz]{26}$")


def new_order_id() -> str:
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "ord_" + "".join(reversed(chars))


def is_order_id(value: str) -> bool:
    return bool(ORDER_ID_PATTERN.match(value))
