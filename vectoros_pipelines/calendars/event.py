"""The parsed form of one calendar event occurrence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from vectoros_pipelines.mail.message import Participant


@dataclass(slots=True)
class ParsedEvent:
    """One VEVENT occurrence; recurring series are expanded within a window.

    Keyed within a workspace by (uid, recurrence_id); recurrence_id is "" for a
    single (non-recurring) event and the occurrence start in UTC ISO format otherwise.
    """

    uid: str
    recurrence_id: str
    summary: str
    description: str
    location: str | None
    starts_at: datetime  # timezone-aware UTC (all-day events: midnight UTC of that day)
    ends_at: datetime | None
    all_day: bool
    status: str  # confirmed | tentative | cancelled
    organizer: Participant | None
    attendees: list[Participant] = field(default_factory=list)
    sequence: int = 0
    last_modified: datetime | None = None
