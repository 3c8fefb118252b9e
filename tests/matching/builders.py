"""Small builders for matching tests: captured rows in the warehouse as the extractor would leave them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select, update

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.extraction.result import ExtractionResult
from vectoros_pipelines.mail.message import ParsedEmail, Participant
from vectoros_pipelines.mail.subjects import normalize_subject
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage.capture_store import EventRecord, MailRecord, store_emails, store_events
from vectoros_pipelines.storage.schema import captured_calendar_events, captured_emails
from vectoros_pipelines.storage.workspaces import Workspace, add_user, create_workspace

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def make_workspace(engine: Engine, name: str = "Northwind Test", domain: str = "seller.io") -> Workspace:
    with engine.begin() as conn:
        workspace = create_workspace(conn, name, [domain])
        add_user(conn, workspace.id, f"rep@{domain}", "Rep", "admin")
    return workspace


def deal_result(company: str | None = None, domain: str | None = None, contact: str | None = None, *,
                amount: float | None = None, currency: str | None = "USD", product: str | None = None,
                stage: str | None = None, outcome: str | None = None, confidence: float = 0.95,
                close: date | None = None) -> ExtractionResult:
    return ExtractionResult(
        is_deal_related=True, confidence=confidence, company=company, company_domain=domain,
        amount=amount, currency=currency if amount is not None else None, contact_email=contact,
        contact_name=contact.split("@")[0].title() if contact else None, product=product,
        stage_hint=stage, outcome=outcome, close_date_hint=close,
    )


def not_deal(confidence: float = 0.05) -> ExtractionResult:
    return ExtractionResult(is_deal_related=False, confidence=confidence)


@dataclass
class Mail:
    key: str
    sender: str
    to: list[str]
    subject: str
    day: float
    result: ExtractionResult
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)


def store_mail(engine: Engine, workspace: Workspace, mails: list[Mail]) -> None:
    """Stores messages through capture_store, then records each one's extraction as the extractor would."""
    records = []
    for m in mails:
        sender = Participant(m.sender, None, "from")
        people = [sender] + [Participant(a, None, "to") for a in m.to]
        parsed = ParsedEmail(
            message_key=m.key, message_id=m.key, subject=m.subject, normalized_subject=normalize_subject(m.subject),
            sent_at=T0 + timedelta(days=m.day), from_=sender, participants=people, in_reply_to=m.in_reply_to,
            references=m.references, body_text="(body)", body_truncated=False, size_bytes=100,
        )
        records.append(MailRecord(locator=m.key, month=parsed.sent_at.strftime("%Y-%m"), parsed=parsed))  # type: ignore[union-attr]
    with engine.begin() as conn:
        store_emails(conn, workspace, None, records, load_cipher())
        for m in mails:
            conn.execute(update(captured_emails).where(
                captured_emails.c.workspace_id == workspace.id, captured_emails.c.message_key == m.key
            ).values(status="processed", is_deal_related=m.result.is_deal_related, confidence=m.result.confidence,
                     extracted_data=m.result.to_json(), extracted_at=datetime.now(UTC)))


def store_event(engine: Engine, workspace: Workspace, uid: str, title: str, attendees: list[str], day: float,
                result: ExtractionResult) -> None:
    event = ParsedEvent(
        uid=uid, recurrence_id="", summary=title, description="", location=None,
        starts_at=T0 + timedelta(days=day), ends_at=None, all_day=False, status="confirmed",
        organizer=Participant(f"rep@{workspace.domains[0]}", "Rep", "organizer"),
        attendees=[Participant(a, None, "attendee") for a in attendees],
    )
    with engine.begin() as conn:
        store_events(conn, workspace, None, [EventRecord(locator=uid, month="2026-06", parsed=event)], load_cipher())
        conn.execute(update(captured_calendar_events).where(
            captured_calendar_events.c.workspace_id == workspace.id, captured_calendar_events.c.uid == uid
        ).values(status="processed", is_deal_related=result.is_deal_related, confidence=result.confidence,
                 extracted_data=result.to_json(), extracted_at=datetime.now(UTC)))


def deal_of(engine: Engine, workspace: Workspace, key: str) -> int | None:
    with engine.connect() as conn:
        row = conn.execute(select(captured_emails.c.deal_id).where(
            captured_emails.c.workspace_id == workspace.id, captured_emails.c.message_key == key)).first()
        if row is None:
            row = conn.execute(select(captured_calendar_events.c.deal_id).where(
                captured_calendar_events.c.workspace_id == workspace.id, captured_calendar_events.c.uid == key)).first()
    return row[0] if row else None
