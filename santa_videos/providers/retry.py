"""Retry a provider call inside the step: exponential backoff with jitter, Retry-After honoured, bounded in time.

Only TransientProviderError is retried. A permanent error, or an interrupt from a terminated run, passes through
at once.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from santa_videos.providers.errors import TransientProviderError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryBudget:
    max_attempts: int = 4
    base_delay_seconds: float = 1.0
    max_delay_seconds: float = 30.0
    total_seconds: float = 90.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """The pause after failed attempt number `attempt` (1-based): doubling, capped, with ±50 % jitter."""
        ceiling = min(self.max_delay_seconds, self.base_delay_seconds * 2 ** (attempt - 1))
        return ceiling * rng.uniform(0.5, 1.5)


@dataclass
class Attempts:
    """How many requests one call took, and why the retried ones failed."""

    count: int = 0
    waited_seconds: float = 0.0
    reasons: list[str] | None = None

    def note(self, reason: str) -> None:
        self.reasons = [*(self.reasons or []), reason]


def call_with_retries(
    call: Callable[[], T],
    budget: RetryBudget,
    attempts: Attempts,
    log: Callable[[str], None],
    what: str,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> T:
    rng = rng or random.Random()
    started = time.monotonic()
    tries = 0
    while True:
        tries += 1
        attempts.count += 1
        try:
            return call()
        except TransientProviderError as exc:
            attempts.note(exc.reason)
            delay = exc.retry_after if exc.retry_after is not None else budget.backoff(tries, rng)
            elapsed = time.monotonic() - started
            if tries >= budget.max_attempts or elapsed + delay > budget.total_seconds:
                raise TransientProviderError(
                    exc.provider,
                    f"{exc.reason} (gave up {what} after {tries} attempt{'s' if tries > 1 else ''} in {elapsed:.1f} s)",
                ) from None
            log(f"{exc.provider} {what}: {exc.reason}; attempt {tries} of {budget.max_attempts}, retrying in {delay:.1f} s")
            attempts.waited_seconds += delay
            sleep(delay)
