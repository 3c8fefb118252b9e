"""What the live connectors hand to the capture store: raw mail and calendar changes.

Connectors do not parse mail: the same `parse_email` runs on Gmail, IMAP and
file imports, so a message looks the same whichever way it arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Mailbox roles shared by Gmail labels and IMAP folders, so downstream code can
# tell outbound mail (SENT) from inbound without knowing the provider.
INBOX = "INBOX"
SENT = "SENT"


@dataclass(frozen=True, slots=True)
class RawMessage:
    """One message exactly as the provider returned it (RFC 822 bytes)."""

    source_id: str  # Gmail message id, or "<folder>:<uidvalidity>:<uid>" for IMAP
    raw: bytes
    labels: tuple[str, ...]  # Gmail labelIds, or (INBOX,) / (SENT,) for IMAP folders
    folder: str | None = None  # IMAP folder name; None for Gmail
    thread_id: str | None = None  # Gmail threadId
    received_at: datetime | None = None  # Gmail internalDate / IMAP INTERNALDATE, UTC

    @property
    def locator(self) -> str:
        return self.source_id


@dataclass(frozen=True, slots=True)
class EventCancellation:
    """A calendar event deleted at the source, known only by its key.

    Google returns deleted events as `{"id": ..., "status": "cancelled"}` without
    a start time, so there is nothing to build a ParsedEvent from; the store marks
    the existing row cancelled instead of inserting a new one.
    """

    uid: str
    recurrence_id: str
