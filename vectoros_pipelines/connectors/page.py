"""The unit a connector yields: some items plus the cursor that is safe once they are stored.

Storing a page's items and saving its cursor happen in one transaction, so a
sync that dies at any point resumes from the last stored page: no gap, and at
worst a page fetched twice (the store is idempotent).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")

Cursor = dict[str, Any]


@dataclass
class Page(Generic[T]):
    items: list[T]
    # Cursor to persist together with these items; None keeps the stored cursor
    # (e.g. mid-way through a Gmail window the next historyId is not safe yet).
    cursor: Cursor | None = None
    provider_total: int = 0  # items the provider listed for this page's scope
    vanished: int = 0  # listed, then gone at the source before we could fetch them
    failures: list[str] = field(default_factory=list)  # provider ids we could not fetch, with why
    note: str | None = None  # e.g. "history id expired: full window resync"


@dataclass(frozen=True)
class ProbeResult:
    has_news: bool
    reason: str


class Connector(Protocol[T]):
    def pages(self, cursor: Cursor | None) -> Iterator[Page[T]]: ...

    def probe(self, cursor: Cursor | None) -> ProbeResult: ...
