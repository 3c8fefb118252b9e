"""Small display helpers shared by the pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd


def money(value: float | None, currency: str | None = None) -> str:
    if value is None or pd.isna(value):
        return "—"
    text = f"{value / 1_000_000:,.2f}M" if abs(value) >= 1_000_000 else f"{value:,.0f}"
    return f"{text} {currency}" if currency else text


def ago(moment: Any) -> str:
    """'3 h ago' for a timestamp, 'never' for none; naive timestamps (SQLite) are UTC."""
    if moment is None or (not isinstance(moment, datetime) and pd.isna(moment)):
        return "never"
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize(UTC) if stamp.tzinfo is None else stamp
    seconds = (pd.Timestamp(datetime.now(UTC)) - stamp).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


def deal_link(deal_id: Any) -> str:
    return f"/deal?deal={int(deal_id)}"
