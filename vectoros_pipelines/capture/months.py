"""Month partitions of captured data: which month a message or event belongs to."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

FUTURE_MONTHS = 3  # calendars hold upcoming meetings; mail never comes from the future


def history_start() -> date:
    """First month partition; mail dated earlier is filed under it (`VECTOROS_HISTORY_START`)."""
    return date.fromisoformat(os.environ.get("VECTOROS_HISTORY_START", "2000-01-01")).replace(day=1)


def month_key(value: date | datetime) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def last_month(now: datetime | None = None) -> date:
    now = now or datetime.now(UTC)
    return add_months(now.date().replace(day=1), FUTURE_MONTHS)


def partition_month(when: datetime | None, fallback: datetime | None = None) -> str:
    """The month partition for a timestamp, clamped into the partitioned range.

    Messages without a usable date go to the month of `fallback` (the file's mtime),
    so they are still captured and visible rather than dropped.
    """
    when = when or fallback or datetime.now(UTC)
    first, last = history_start(), last_month()
    day = when.date() if isinstance(when, datetime) else when
    if day < first:
        return month_key(first)
    if day >= add_months(last, 1):
        return month_key(last)
    return month_key(day)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    end_day = add_months(start.date(), 1)
    return start, datetime(end_day.year, end_day.month, 1, tzinfo=UTC)
