"""What an extractor says about one email or event."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

STAGES = ("lead", "qualified", "demo", "proposal", "negotiation", "closed_won", "closed_lost")


@dataclass(frozen=True, slots=True)
class Span:
    """Where in the source text a value came from (character offsets into `text` of the source)."""

    field: str  # subject | body | from | description | summary | attendees
    start: int
    end: int
    text: str


@dataclass(slots=True)
class ExtractionResult:
    is_deal_related: bool
    confidence: float  # probability that the message is about a sales deal of the workspace
    company: str | None = None
    company_domain: str | None = None
    amount: float | None = None
    currency: str | None = None  # ISO 4217
    contact_name: str | None = None
    contact_email: str | None = None
    product: str | None = None
    stage_hint: str | None = None  # one of STAGES
    close_date_hint: date | None = None
    outcome: str | None = None  # won | lost | None
    spans: dict[str, Span] = field(default_factory=dict)
    extractor: str = "local"
    extractor_version: str = ""
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["close_date_hint"] = self.close_date_hint.isoformat() if self.close_date_hint else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExtractionResult:
        data = dict(data)
        spans = {k: Span(**v) for k, v in (data.pop("spans", None) or {}).items()}
        close = data.pop("close_date_hint", None)
        return cls(spans=spans, close_date_hint=date.fromisoformat(close) if close else None, **data)
