"""The Order: what a customer asks for, validated once, with one set of field names for CLI, CSV and JSON."""

import unicodedata
from datetime import date, datetime, time, timezone
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from santa_videos.orders import moderation
from santa_videos.orders.ids import is_order_id, new_order_id
from santa_videos.script.checks import catalog_key_or_drawable, drawable

NAME_MAX_CHARS = 40
MENTION_MAX_CHARS = 150
MAX_MENTIONS = 5
MIN_AGE, MAX_AGE = 0, 17
LANGUAGES = ("en", "es")
NAME_PUNCTUATION = set(" '’-.")


class Status(StrEnum):
    RECEIVED = "received"
    QUEUED = "queued"
    RENDERING = "rendering"
    DELIVERED = "delivered"
    FAILED = "failed"
    REJECTED = "rejected"


class Strategy(StrEnum):
    LIPSYNC = "lipsync"
    TEMPLATE = "template"
    STILL = "still"


class OrderInvalid(ValueError):
    """A submitted order broke one or more rules; `errors` holds one plain sentence per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def clean_text(value: Any, max_chars: int) -> str:
    """NFC-normalized text with single spaces; control and invisible characters are refused, not dropped."""
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = unicodedata.normalize("NFC", value)
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"):
            raise ValueError(f"contains a control or invisible character (U+{ord(char):04X}), which is not allowed")
    text = " ".join(text.split())
    if not text:
        raise ValueError("must not be empty")
    if len(text) > max_chars:
        raise ValueError(f"must be at most {max_chars} characters (got {len(text)})")
    return text


def clean_name(value: Any) -> str:
    name = clean_text(value, NAME_MAX_CHARS)
    bad = sorted({c for c in name if c not in NAME_PUNCTUATION and unicodedata.category(c)[0] not in "LM"})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise ValueError(f"may only contain letters, spaces, apostrophes, hyphens and dots (found {shown})")
    if not any(unicodedata.category(c).startswith("L") for c in name):
        raise ValueError("must contain at least one letter")
    return name


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class Order(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    order_id: str = Field(default_factory=new_order_id)
    child_name: str
    age: int
    language: str
    phonetic_name: Annotated[str | None, BeforeValidator(_blank_to_none)] = None
    mentions: list[str] = Field(default_factory=list)
    strategy: Strategy = Strategy.TEMPLATE
    deadline: Annotated[datetime | None, BeforeValidator(_blank_to_none)] = None

    @field_validator("order_id")
    @classmethod
    def _order_id(cls, value: str) -> str:
        if not is_order_id(value):
            raise ValueError("must look like ord_ followed by 26 letters and digits, or be left out")
        return value

    @field_validator("child_name", "phonetic_name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else clean_name(value)

    @field_validator("child_name")
    @classmethod
    def _drawable_name(cls, value: str) -> str:
        return drawable(value)

    @field_validator("age", mode="before")
    @classmethod
    def _age(cls, value: Any) -> int:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError("must be a whole number")
        try:
            age = int(str(value).strip()) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            raise ValueError("must be a whole number") from None
        if not MIN_AGE <= age <= MAX_AGE:
            raise ValueError(f"must be between {MIN_AGE} and {MAX_AGE} (got {age})")
        return age

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> str:
        code = str(value).strip().lower() if value is not None else ""
        if code not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)} (got {value!r})")
        return code

    @field_validator("mentions", mode="before")
    @classmethod
    def _mentions(cls, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError("must be a list of short sentences")
        if len(value) > MAX_MENTIONS:
            raise ValueError(f"may hold at most {MAX_MENTIONS} mentions (got {len(value)})")
        cleaned = []
        for number, mention in enumerate(value, start=1):
            try:
                cleaned.append(catalog_key_or_drawable(clean_text(mention, MENTION_MAX_CHARS)))
            except ValueError as exc:
                raise ValueError(f"mention {number} {exc}") from None
        return cleaned

    @field_validator("strategy", mode="before")
    @classmethod
    def _strategy(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return Strategy.TEMPLATE
        choices = [s.value for s in Strategy]
        if str(value).strip().lower() not in choices:
            raise ValueError(f"must be one of {', '.join(choices)} (got {value!r})")
        return str(value).strip().lower()

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline(cls, value: Any) -> datetime | None:
        if value is None:
            return None
        try:
            if isinstance(value, datetime):
                moment = value
            elif isinstance(value, date):
                moment = datetime.combine(value, time(23, 59, 59))
            elif len(str(value).strip()) == 10:
                moment = datetime.combine(date.fromisoformat(str(value).strip()), time(23, 59, 59))
            else:
                moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"must be a date like 2026-12-20 or a time like 2026-12-20T18:00:00Z (got {value!r})") from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        if moment < datetime.now(timezone.utc):
            raise ValueError("is in the past")
        return moment.astimezone(timezone.utc)

    @field_validator("child_name", "phonetic_name", "mentions")
    @classmethod
    def _moderated(cls, value: str | list[str] | None, info: ValidationInfo) -> str | list[str] | None:
        """Refuses what Santa must not say to a child, before anything is spoken or paid for; never quotes it."""
        if isinstance(value, list):
            found = [(number, moderation.refusal(text, "mention")) for number, text in enumerate(value, start=1)]
            problems = [f"mention {number} contains {what}" for number, what in found if what]
            if problems:
                raise ValueError(f"{'; '.join(problems)}, which Santa will not say")
        elif value is not None and (what := moderation.refusal(value, "name")):
            raise ValueError(f"contains {what}, which Santa will not say")
        return value

    @property
    def spoken_name(self) -> str:
        return self.phonetic_name or self.child_name


_PLAIN_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of an order",
    "string_type": "must be text",
    "list_type": "must be a list",
}


def parse_order(data: dict[str, Any]) -> Order:
    """Validate raw fields into an Order, or raise OrderInvalid listing every problem in plain words."""
    if not isinstance(data, dict):
        raise OrderInvalid(["an order must be an object with fields such as child_name, age and language"])
    try:
        return Order.model_validate(data)
    except ValidationError as exc:
        raise OrderInvalid([_describe(error) for error in exc.errors()]) from None


def _describe(error: Any) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "order"
    if error["type"] == "value_error":
        message = str(error["ctx"]["error"])
    else:
        message = _PLAIN_MESSAGES.get(error["type"], error["msg"])
    return f"{field}: {message}"
