"""What matching knows about one captured email or calendar event.

Built from the warehouse row plus its stored ExtractionResult, so the matcher
never needs the message body: thread keys, the external people and domains,
and the extracted deal fields are enough.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from vectoros_pipelines.extraction.companies import company_key
from vectoros_pipelines.extraction.domains import (
    address_domain,
    is_free_mail,
    is_service_sender,
    registrable_domain,
)
from vectoros_pipelines.extraction.result import ExtractionResult
from vectoros_pipelines.mail.subjects import normalize_subject
from vectoros_pipelines.matching.products import product_items

SourceKind = Literal["email", "event"]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Which captured row something came from: the trail from a deal field back to its message."""

    kind: SourceKind
    row_id: int
    key: str  # Message-ID or event UID, what a person can search their mailbox for


@dataclass(frozen=True, slots=True)
class MessageFacts:
    ref: SourceRef
    occurred_at: datetime
    subject: str
    subject_key: str  # normalised subject (events: normalised title)
    thread_refs: tuple[str, ...]  # keys this message points at: thread root, In-Reply-To, References
    own_keys: tuple[str, ...]  # keys later messages may point at: its Message-ID and thread root
    external_emails: tuple[str, ...]
    external_domains: tuple[str, ...]  # registrable, never free-mail
    participant_names: tuple[str, ...]
    direction: str  # inbound | outbound | internal | meeting
    extraction: ExtractionResult
    deal_id: int | None = None  # already linked (a re-extracted message keeps its deal unless evidence moves it)
    with_team: bool = False  # a member of the workspace (a seller, not just anyone at the company) takes part
    cancelled: bool = False  # a meeting called off

    @property
    def company_key(self) -> str | None:
        return company_key(self.extraction.company) if self.extraction.company else None

    @property
    def company_domain(self) -> str | None:
        domain = self.extraction.company_domain
        if domain and not is_free_mail(domain):
            return registrable_domain(domain)
        return None

    @property
    def products(self) -> tuple[str, ...]:
        return product_items(self.extraction.product)

    @property
    def is_internal(self) -> bool:
        return not self.external_emails


@dataclass(frozen=True, slots=True)
class WorkspaceParties:
    """The workspace's own domains and users: everyone else is external."""

    domains: tuple[str, ...]
    user_emails: frozenset[str] = field(default_factory=frozenset)

    def is_internal(self, email: str) -> bool:
        if email in self.user_emails:
            return True
        domain = address_domain(email) or ""
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones. Compare only aware values."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _aware(value: datetime | None) -> datetime:
    return as_utc(value) or datetime(1970, 1, 1, tzinfo=UTC)


def _externals(people: Iterable[Mapping[str, Any]], parties: WorkspaceParties) -> tuple[
        tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    emails: list[str] = []
    names: list[str] = []
    for person in people:
        email = (person.get("email") or "").strip().lower()
        if not email or "@" not in email or parties.is_internal(email):
            continue
        if email not in emails:
            emails.append(email)
            if person.get("name"):
                names.append(str(person["name"]))
    domains: list[str] = []
    for email in emails:
        domain = address_domain(email)
        if domain and not is_free_mail(domain) and not is_service_sender(domain):
            reg = registrable_domain(domain)
            if reg not in domains:
                domains.append(reg)
    return tuple(emails), tuple(domains), tuple(names)


def external_addresses(people: Iterable[Mapping[str, Any]], parties: WorkspaceParties) -> tuple[str, ...]:
    """The participants' addresses outside the workspace, lower-cased, in order."""
    return _externals(people, parties)[0]


def _with_team(people: Iterable[Mapping[str, Any]], parties: WorkspaceParties) -> bool:
    return any((person.get("email") or "").strip().lower() in parties.user_emails for person in people)


def _extraction(data: Mapping[str, Any] | None, confidence: float | None, related: bool | None) -> ExtractionResult:
    if data:
        return ExtractionResult.from_json(dict(data))
    return ExtractionResult(is_deal_related=bool(related), confidence=float(confidence or 0.0))


def facts_from_email_row(row: Mapping[Any, Any], parties: WorkspaceParties) -> MessageFacts:
    """A `captured_emails` row (as a mapping) reduced to matching facts."""
    key = row["message_key"]
    refs = [r for r in (row.get("thread_key"), row.get("in_reply_to"), *(row.get("references") or [])) if r]
    own = [key] + ([row["thread_key"]] if row.get("thread_key") and row["thread_key"] != key else [])
    emails, domains, names = _externals(row.get("participants") or [], parties)
    subject = row.get("subject") or ""
    return MessageFacts(
        ref=SourceRef("email", int(row["id"]), key),
        occurred_at=_aware(row.get("sent_at")),
        subject=subject,
        subject_key=row.get("normalized_subject") or normalize_subject(subject),
        thread_refs=tuple(dict.fromkeys(r for r in refs if r != key)),
        own_keys=tuple(own),
        external_emails=emails,
        external_domains=domains,
        participant_names=names,
        direction=row.get("direction") or ("internal" if not emails else "inbound"),
        extraction=_extraction(row.get("extracted_data"), row.get("confidence"), row.get("is_deal_related")),
        deal_id=row.get("deal_id"),
        with_team=_with_team(row.get("participants") or [], parties),
    )


def facts_from_event_row(row: Mapping[Any, Any], parties: WorkspaceParties) -> MessageFacts:
    """A `captured_calendar_events` row: attendees and organizer are the participants, the title the subject."""
    people = list(row.get("attendees") or [])
    if row.get("organizer_email"):
        people.append({"email": row["organizer_email"], "name": row.get("organizer_name")})
    emails, domains, names = _externals(people, parties)
    title = row.get("summary") or ""
    return MessageFacts(
        ref=SourceRef("event", int(row["id"]), row["uid"]),
        occurred_at=_aware(row.get("starts_at")),
        subject=title,
        subject_key=normalize_subject(title),
        # Occurrences of one recurring series share a UID: the series is the event's "thread".
        thread_refs=(f"uid:{row['uid']}",),
        own_keys=(f"uid:{row['uid']}",),
        external_emails=emails,
        external_domains=domains,
        participant_names=names,
        direction="meeting",
        extraction=_extraction(row.get("extracted_data"), row.get("confidence"), row.get("is_deal_related")),
        deal_id=row.get("deal_id"),
        # A reminder with nobody invited sits in a member's own calendar.
        with_team=not people or _with_team(people, parties),
        cancelled=(row.get("event_status") or "").lower() == "cancelled",
    )


# A message the classifier scores below this, with no stage, outcome or amount of its own, shows no deal
# signal: it joins a deal through its thread or subject, not merely because its sender is on a deal.
SIGNAL_FLOOR = 0.2
_BUYER_SIDE = "we are the buyer"


def shows_deal_signal(facts: MessageFacts) -> bool:
    """Does the message itself look like deal talk (not just mail from a person who is on a deal)?"""
    x = facts.extraction
    if any(reason.startswith(_BUYER_SIDE) for reason in x.reasons):
        return False
    if facts.ref.kind == "event":  # a meeting with a deal's people is deal activity
        return True
    return x.confidence >= SIGNAL_FLOOR or bool(x.stage_hint or x.outcome or x.amount)
