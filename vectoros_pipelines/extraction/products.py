"""Which product or plan a message is about: the workspace's own catalogue first, then "<Name> plan/tier/edition"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_GENERIC = re.compile(
    r"\b(?P<name>(?:[A-Z][\w+-]*[ \t]){1,3}?)(?P<kind>plan|tier|edition|license|licence|package|pack|bundle|subscription"
    r"|Paket|Lizenz|Tarif|Edition|Plan)\b"
)
_NOT_A_PRODUCT = {"the", "a", "our", "your", "this", "that", "business", "project", "action", "test", "rollout", "payment", "unser", "ihr", "das", "der", "die"}


@dataclass(frozen=True, slots=True)
class ProductMention:
    name: str
    start: int
    end: int


def _catalogue_pattern(catalogue: tuple[str, ...]) -> re.Pattern[str] | None:
    names = sorted({n.strip() for n in catalogue if n.strip()}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


_PATTERN_CACHE: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def find_product(text: str, catalogue: Iterable[str] = ()) -> ProductMention | None:
    """The first catalogue product named in `text`, else the first "<Capitalised> plan|tier|…" phrase."""
    key = tuple(catalogue)
    if key not in _PATTERN_CACHE:
        _PATTERN_CACHE[key] = _catalogue_pattern(key)
    pattern = _PATTERN_CACHE[key]
    if pattern is not None:
        m = pattern.search(text)
        if m:
            return ProductMention(m.group(0), m.start(), m.end())
    for m in _GENERIC.finditer(text):
        first = m.group("name").split()[0].lower()
        if first in _NOT_A_PRODUCT:
            continue
        return ProductMention(m.group(0), m.start(), m.end())
    return None
