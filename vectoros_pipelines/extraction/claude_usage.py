"""Token counts and their price, so a run can report what the Claude extractor cost.

Prices are USD per million tokens, taken from Anthropic's pricing page
(https://platform.claude.com/docs/en/about-claude/pricing) and the model pages
(https://platform.claude.com/docs/en/models/<model>/overview) as read in November 2026.
Cache writes are the 5-minute TTL rate (1.25x input), the only TTL this extractor uses;
cache reads are the "cache hits and refreshes" column. The Message Batches API bills
50% of every rate; the discount stacks with the cache multipliers.
Re-check this table when prices change: a model missing from it is reported with cost None
rather than a wrong figure.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ModelPrice:
    input: float
    output: float
    cache_write: float
    cache_read: float


PRICES_USD_PER_MTOK: dict[str, ModelPrice] = {
    "claude-sonnet-5-5": ModelPrice(2.00, 10.00, 2.50, 0.10),  # cache reads cut from 0.20 on 2026-10-07
    "claude-sonnet-5": ModelPrice(2.00, 10.00, 2.50, 0.20),
    "claude-sonnet-4-5": ModelPrice(3.00, 15.00, 3.75, 0.30),
    "claude-haiku-4-5": ModelPrice(1.00, 5.00, 1.25, 0.10),
    "claude-opus-5-5": ModelPrice(4.00, 20.00, 5.00, 0.20),
    "claude-opus-5": ModelPrice(5.00, 25.00, 6.25, 0.50),
    "claude-opus-4-8": ModelPrice(5.00, 25.00, 6.25, 0.50),
    "claude-opus-4-7": ModelPrice(5.00, 25.00, 6.25, 0.50),
    "claude-opus-4-6": ModelPrice(5.00, 25.00, 6.25, 0.50),
    "claude-opus-4-5": ModelPrice(5.00, 25.00, 6.25, 0.50),
}
BATCH_DISCOUNT = 0.5

_DATED_SUFFIX = re.compile(r"-\d{8}$")


def price_for(model: str) -> ModelPrice | None:
    """Looks up a model id, accepting dated snapshots (claude-sonnet-4-5-20250929)."""
    return PRICES_USD_PER_MTOK.get(_DATED_SUFFIX.sub("", model))


@dataclass
class TokenCounts:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0
    requests: int = 0

    def cost_usd(self, price: ModelPrice) -> float:
        return (
            self.input_tokens * price.input
            + self.output_tokens * price.output
            + self.cache_creation_input_tokens * price.cache_write
            + self.cache_read_input_tokens * price.cache_read
        ) / 1_000_000


@dataclass
class ClaudeUsage:
    """Thread-safe totals for one extractor: tokens by tier, requests, retries and failures."""

    model: str
    standard: TokenCounts = field(default_factory=TokenCounts)
    batch: TokenCounts = field(default_factory=TokenCounts)
    retries: int = 0
    failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, usage: Any, *, batch: bool = False) -> None:
        """Adds the `usage` object of one Messages API reply (SDK model or dict-like)."""
        counts = self.batch if batch else self.standard

        def get(name: str) -> int:
            value = usage.get(name) if isinstance(usage, dict) else getattr(usage, name, None)
            return int(value or 0)

        with self._lock:
            counts.input_tokens += get("input_tokens")
            counts.output_tokens += get("output_tokens")
            counts.cache_read_input_tokens += get("cache_read_input_tokens")
            counts.cache_creation_input_tokens += get("cache_creation_input_tokens")
            counts.requests += 1

    def note_retry(self) -> None:
        with self._lock:
            self.retries += 1

    def note_failure(self) -> None:
        with self._lock:
            self.failed += 1

    @property
    def total(self) -> TokenCounts:
        s, b = self.standard, self.batch
        return TokenCounts(
            input_tokens=s.input_tokens + b.input_tokens,
            output_tokens=s.output_tokens + b.output_tokens,
            cache_read_input_tokens=s.cache_read_input_tokens + b.cache_read_input_tokens,
            cache_creation_input_tokens=s.cache_creation_input_tokens + b.cache_creation_input_tokens,
            requests=s.requests + b.requests,
        )

    def cost_usd(self) -> float | None:
        price = price_for(self.model)
        if price is None:
            return None
        return self.standard.cost_usd(price) + BATCH_DISCOUNT * self.batch.cost_usd(price)

    def as_metadata(self) -> dict[str, int | float | str | None]:
        """Flat values for Dagster run/asset metadata."""
        total = self.total
        cost = self.cost_usd()
        return {
            "claude_model": self.model,
            "claude_requests": total.requests,
            "claude_batch_requests": self.batch.requests,
            "claude_input_tokens": total.input_tokens,
            "claude_output_tokens": total.output_tokens,
            "claude_cache_read_tokens": total.cache_read_input_tokens,
            "claude_cache_creation_tokens": total.cache_creation_input_tokens,
            "claude_retries": self.retries,
            "claude_failed": self.failed,
            "claude_cost_usd": round(cost, 6) if cost is not None else None,
        }
