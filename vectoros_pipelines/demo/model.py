"""Plain data the demo generator passes between its stages: people, mails, events, deals.

Everything here is in memory and free of formatting decisions; `eml.py` and
`ics.py` turn it into files. Keeping the labels (deal id, amount stated, close
date stated) next to each message is what lets `truth.json` and the training
iterator stay consistent with the text by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

MailClient = Literal["gmail", "outlook", "apple", "thunderbird", "mailer"]
Language = Literal["en", "de"]
Stage = Literal["lead", "qualified", "demo", "proposal", "negotiation", "closed_won", "closed_lost"]
Status = Literal["open", "won", "lost"]


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    domain: str | None  # None for a customer that writes from a free-mail address
    country: str  # ISO 3166 alpha-2
    timezone: str
    currency: str  # what this customer is quoted in
    language: Language


@dataclass(frozen=True, slots=True)
class Person:
    first: str
    last: str
    email: str
    title: str
    company: str
    timezone: str
    client: MailClient
    language: Language
    female: bool
    phone: str = ""

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()


@dataclass(frozen=True, slots=True)
class Money:
    value: float
    currency: str
    text: str  # exactly as written in the message body


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf", ...
    data: bytes


@dataclass(slots=True)
class Mail:
    """One message as the generator means it, before it is rendered to RFC 822."""

    message_id: str  # without angle brackets
    sender: Person
    to: list[Person]
    subject: str
    body: str  # the new text the sender wrote (quotes are added when rendering)
    sent: datetime  # timezone-aware, in the sender's zone
    category: str  # "deal" or the kind of non-deal mail ("newsletter", "vendor_invoice", ...)
    deal_id: str | None = None
    cc: list[Person] = field(default_factory=list)
    parent: Mail | None = None  # replied-to message: gives In-Reply-To, References and the quote
    forwarded: Mail | None = None  # message quoted in full below the body
    html: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    amount: Money | None = None  # the deal amount this message newly states
    close_date: date | None = None  # the close date this message newly states
    close_date_text: str | None = None
    stage: Stage | None = None  # the deal stage this message shows
    language: Language = "en"
    html_only_body: str | None = None  # hand-written HTML for newsletters and notifications

    @property
    def references(self) -> list[str]:
        if self.parent is None:
            return []
        return [*self.parent.references, self.parent.message_id]


@dataclass(slots=True)
class Event:
    uid: str
    summary: str
    start: datetime  # timezone-aware
    minutes: int
    organizer: Person
    attendees: list[Person]
    description: str
    location: str
    category: str  # "deal" or "internal", "recruiting", "personal", "vendor", ...
    deal_id: str | None = None
    rrule: dict[str, object] | None = None
    exdates: list[datetime] = field(default_factory=list)
    cancelled: bool = False
    sequence: int = 0
    created: datetime | None = None
    stage: Stage | None = None
    declined: list[str] = field(default_factory=list)  # attendee emails that declined


@dataclass(slots=True)
class Deal:
    deal_id: str
    company: Company
    contacts: list[Person]  # the main contact first
    rep: Person
    product: str
    stage: Stage = "lead"
    status: Status = "open"
    value: float | None = None
    currency: str | None = None
    close_date: date | None = None

    def truth(self) -> dict[str, object]:
        value: float | int | None = self.value
        if value is not None and float(value).is_integer():
            value = int(value)
        return {
            "company": self.company.name,
            "domain": self.company.domain,
            "value": value,
            "currency": self.currency if value is not None else None,
            "stage": self.stage,
            "status": self.status,
            "contact_email": self.contacts[0].email,
            "product": self.product,
            "close_date": self.close_date.isoformat() if self.close_date else None,
        }


@dataclass(frozen=True, slots=True)
class Workspace:
    name: str
    domain: str
    timezone: str
    as_of: datetime
    users: list[tuple[Person, str]]  # (person, role)
    staff: list[Person]  # internal people who are not VectorOS users (HR, IT, finance, CEO)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "domains": [self.domain],
            "timezone": self.timezone,
            "as_of": self.as_of.isoformat(),
            "users": [{"email": p.email, "name": p.name, "role": role} for p, role in self.users],
        }


@dataclass(slots=True)
class Scenario:
    """A whole generated company, in memory."""

    seed: int
    industry: str
    workspace: Workspace
    mails: list[Mail]  # sorted by send time
    events: list[Event]  # sorted by start time
    deals: list[Deal]


@dataclass(frozen=True, slots=True)
class ScenarioSummary:
    out_dir: Path
    workspace_path: Path
    mailbox_dir: Path
    calendar_path: Path
    truth_path: Path
    seed: int
    industry: str
    messages: int
    deal_messages: int
    events: int
    deal_events: int
    deals: int
    deals_by_status: dict[str, int]
    deals_by_stage: dict[str, int]
    messages_by_category: dict[str, int]
