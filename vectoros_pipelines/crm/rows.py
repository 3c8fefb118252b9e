"""A validated CRM opportunity, and what is wrong with a row that is not one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class CrmDeal:
    external_id: str
    name: str | None
    company: str | None
    value: float | None
    currency: str | None
    stage: str  # our vocabulary: lead | qualified | demo | proposal | negotiation | closed_won | closed_lost
    status: str  # open | won | lost
    opened_on: date | None
    close_date: date | None
    owner: str | None
    product: str | None
    source_ref: str  # "file.csv:LINE", where the row came from
    attributes: dict[str, Any] = field(default_factory=dict)  # CRM fields with no deals column (owner name, list price…)


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: line {self.line}: {self.reason}"


@dataclass(frozen=True)
class ParsedExport:
    deals: list[CrmDeal]
    errors: list[RowError]
    mapping: str
