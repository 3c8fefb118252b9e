"""The deal and activity records that health, insights and forecasts read.

Storage turns warehouse rows into these; the domain modules never see SQL rows,
so they can be fed from a CRM export, a test fixture or the warehouse alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DealRecord:
    id: int
    status: str  # open | won | lost
    stage: str
    value: float | None
    opened_at: datetime | None
    closed_at: datetime | None = None
    close_date: date | None = None  # expected (open) or actual (closed) close date
    product: str | None = None
    company: str | None = None
    owner: str | None = None
    name: str | None = None
    external_id: str | None = None
    source: str = "email"
    currency: str | None = None
    created_at: datetime | None = None
    stage_changed_at: datetime | None = None
    close_date_slips: int = 0  # how often the expected close date moved later (from deal_changes)

    @property
    def known_since(self) -> datetime | None:
        """When the deal existed for us: opened, else first stored (a CRM row without a created date)."""
        return self.opened_at or self.created_at

    @property
    def closed_on(self) -> datetime | None:
        if self.status == "open":
            return None
        if self.closed_at is not None:
            return self.closed_at
        if self.close_date is not None:
            return datetime(self.close_date.year, self.close_date.month, self.close_date.day)
        return self.created_at


@dataclass(frozen=True)
class ActivityRecord:
    deal_id: int
    kind: str  # email_in | email_out | email_internal | meeting | crm
    occurred_at: datetime
    participants: tuple[str, ...] = field(default_factory=tuple)
