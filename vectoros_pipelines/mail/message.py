"""The parsed form of one email, shared by capture, extraction and matching."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Participant:
    email: str  # lower-cased addr-spec
    name: str | None
    role: str  # from | to | cc | bcc | reply_to


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str | None
    content_type: str
    size_bytes: int


@dataclass(slots=True)
class ParsedEmail:
    """One RFC 822 message reduced to what VectorOS keeps.

    `message_key` is the dedup key within a workspace: the Message-ID without
    angle brackets, or ``sha256:<hex>`` of the raw bytes when the message has none.
    """

    message_key: str
    message_id: str | None
    subject: str
    normalized_subject: str
    sent_at: datetime | None  # timezone-aware UTC
    from_: Participant | None
    participants: list[Participant]
    in_reply_to: str | None
    references: list[str]
    body_text: str  # plain text (HTML converted, hidden HTML dropped), possibly truncated
    body_truncated: bool
    size_bytes: int
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # selected headers: List-Id, Auto-Submitted, Precedence, X-Mailer...
    charset_warnings: list[str] = field(default_factory=list)

    @property
    def thread_root(self) -> str | None:
        """The oldest message this one refers to, the key used to group a thread."""
        if self.references:
            return self.references[0]
        return self.in_reply_to
