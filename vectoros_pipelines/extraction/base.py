"""The contract every extractor meets, and what it knows about the workspace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.extraction.result import ExtractionResult
from vectoros_pipelines.mail.message import ParsedEmail


@dataclass(frozen=True)
class WorkspaceContext:
    """Who "we" are, so the customer is always the external party."""

    name: str
    domains: tuple[str, ...]  # the workspace's own mail domains, lower-case
    user_emails: tuple[str, ...] = ()
    timezone: str = "UTC"
    extra: dict[str, str] = field(default_factory=dict)

    def is_internal(self, email: str | None) -> bool:
        if not email or "@" not in email:
            return False
        domain = email.rsplit("@", 1)[1].lower()
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


class Extractor(Protocol):
    """Turns one email or event into a typed, grounded ExtractionResult."""

    name: str
    version: str

    def extract_email(self, email: ParsedEmail, context: WorkspaceContext) -> ExtractionResult: ...

    def extract_event(self, event: ParsedEvent, context: WorkspaceContext) -> ExtractionResult: ...

    def extract_emails(
        self, emails: Sequence[ParsedEmail], context: WorkspaceContext
    ) -> list[ExtractionResult]:
        """Batch form; extractors with a batch API (Claude's Message Batches) override it."""
        ...
