"""Idempotent writes of captured mail and calendar events.

A message is stored once per workspace, keyed by its Message-ID (or a hash of
its bytes when it has none); an event once per (UID, RECURRENCE-ID). Storing
the same batch again changes nothing; a changed message or event is updated
and goes back to `pending` so the downstream steps see it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.mail.message import ParsedEmail, Participant
from vectoros_pipelines.security.crypto import Cipher
from vectoros_pipelines.storage.db import upsert
from vectoros_pipelines.storage.schema import captured_calendar_events, captured_emails
from vectoros_pipelines.storage.workspaces import Workspace


@dataclass
class MailRecord:
    """One message as read from a source: parsed, or the reason it could not be."""

    locator: str
    month: str
    parsed: ParsedEmail | None = None
    raw_sha256: str | None = None
    error: str | None = None
    labels: tuple[str, ...] = ()


@dataclass
class EventRecord:
    locator: str
    month: str
    parsed: ParsedEvent | None = None
    error: str | None = None
    error_key: str | None = None  # stable key for a quarantined event (hash of file + problem)


@dataclass
class StoreCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: StoreCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.quarantined += other.quarantined
        self.errors.extend(other.errors[: max(0, 50 - len(self.errors))])

    def as_metadata(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "quarantined": self.quarantined}


def _participants_json(people: Sequence[Participant]) -> list[dict[str, Any]]:
    return [{"email": p.email, "name": p.name, "role": p.role} for p in people]


def mail_direction(email: ParsedEmail, workspace: Workspace) -> str:
    def internal(address: str) -> bool:
        domain = address.rsplit("@", 1)[-1].lower()
        return any(domain == d or domain.endswith("." + d) for d in workspace.domains)

    sender = email.from_.email if email.from_ else ""
    if not sender or not internal(sender):
        return "inbound"
    others = [p for p in email.participants if p.role != "from"]
    return "outbound" if any(not internal(p.email) for p in others) else "internal"


def mail_content_hash(email: ParsedEmail) -> str:
    """Hash of what the message says, so the same mail from two sources is 'unchanged'."""
    digest = hashlib.sha256()
    for part in (
        email.subject, email.sent_at.isoformat() if email.sent_at else "", email.from_.email if email.from_ else "",
        ",".join(sorted(p.email + p.role for p in email.participants)), email.body_text,
        ",".join(a.filename or "" for a in email.attachments),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _mail_row(record: MailRecord, workspace: Workspace, integration_id: int | None, cipher: Cipher,
              now: datetime) -> dict[str, Any]:
    base: dict[str, Any] = {
        "workspace_id": workspace.id, "integration_id": integration_id, "month": record.month,
        "source_locator": record.locator, "labels": sorted(record.labels), "updated_at": now,
    }
    email = record.parsed
    if email is None:
        return base | {
            "message_key": f"sha256:{record.raw_sha256}", "content_hash": record.raw_sha256,
            "status": "quarantined", "attempts": 1, "last_error": record.error, "subject": None,
            "participants": [], "references": [], "attachments": [], "headers": {}, "truncated": False,
        }
    return base | {
        "message_key": email.message_key,
        "subject": email.subject,
        "normalized_subject": email.normalized_subject[:500],
        "thread_key": email.thread_root or email.message_key,
        "in_reply_to": email.in_reply_to,
        "references": email.references,
        "from_email": email.from_.email if email.from_ else None,
        "from_name": email.from_.name if email.from_ else None,
        "participants": _participants_json(email.participants),
        "direction": mail_direction(email, workspace),
        "sent_at": email.sent_at,
        "body_ciphertext": cipher.encrypt_text(email.body_text),
        "body_key_id": cipher.key_id,
        "body_chars": len(email.body_text),
        "truncated": email.body_truncated,
        "size_bytes": email.size_bytes,
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type, "size_bytes": a.size_bytes}
            for a in email.attachments
        ],
        "headers": email.headers | ({"charset_warnings": "; ".join(email.charset_warnings)}
                                    if email.charset_warnings else {}),
        "content_hash": mail_content_hash(email),
        "status": "pending", "attempts": 0, "last_error": None,
    }


def store_emails(
    conn: Connection, workspace: Workspace, integration_id: int | None, records: Sequence[MailRecord],
    cipher: Cipher,
) -> StoreCounts:
    """Upserts one batch of messages; unchanged messages are not written at all."""
    counts = StoreCounts()
    now = datetime.now(UTC)
    rows: dict[str, dict[str, Any]] = {}
    for record in records:
        row = _mail_row(record, workspace, integration_id, cipher, now)
        if record.parsed is None:
            counts.errors.append(f"{record.locator}: {record.error}")
        key = row["message_key"]
        if key in rows:  # the same message twice in one batch (e.g. INBOX and a label folder)
            rows[key]["labels"] = sorted(set(rows[key]["labels"]) | set(row["labels"]))
            continue
        rows[key] = row
    if not rows:
        return counts
    existing = {
        r.message_key: r
        for r in conn.execute(
            select(captured_emails.c.message_key, captured_emails.c.content_hash, captured_emails.c.labels,
                   captured_emails.c.status)
            .where(captured_emails.c.workspace_id == workspace.id, captured_emails.c.message_key.in_(list(rows)))
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    label_updates: list[dict[str, Any]] = []
    for key, row in rows.items():
        quarantined = row["status"] == "quarantined"
        old = existing.get(key)
        if old is None:
            inserts.append(row)
            counts.quarantined += quarantined
            counts.new += not quarantined
            continue
        labels = sorted(set(old.labels or []) | set(row["labels"]))
        if old.content_hash == row["content_hash"] and labels == sorted(old.labels or []):
            counts.unchanged += 1
            counts.quarantined += quarantined
            continue
        row["labels"] = labels
        counts.updated += 1
        if old.content_hash == row["content_hash"]:
            label_updates.append({"k": key, "labels": labels})
        else:
            updates.append(row)
    for group in _by_columns(inserts):
        conn.execute(captured_emails.insert(), group)
    for group in _by_columns(updates):
        upsert(conn, captured_emails, group, key=["workspace_id", "message_key"])
    if label_updates:  # same message seen under new labels (Gmail): touch the labels only
        conn.execute(
            update(captured_emails)
            .where(captured_emails.c.workspace_id == workspace.id, captured_emails.c.message_key == bindparam("k"))
            .values(labels=bindparam("labels"), updated_at=now),
            label_updates,
        )
    return counts


def _by_columns(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def event_content_hash(event: ParsedEvent) -> str:
    digest = hashlib.sha256()
    for part in (
        event.summary, event.description, event.location or "", event.starts_at.isoformat(),
        event.ends_at.isoformat() if event.ends_at else "", event.status,
        event.organizer.email if event.organizer else "",
        ",".join(sorted(p.email for p in event.attendees)), str(event.sequence),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _event_row(record: EventRecord, workspace: Workspace, integration_id: int | None, cipher: Cipher,
               now: datetime) -> dict[str, Any]:
    base: dict[str, Any] = {
        "workspace_id": workspace.id, "integration_id": integration_id, "month": record.month,
        "source_locator": record.locator, "updated_at": now,
    }
    event = record.parsed
    if event is None:
        return base | {
            "uid": f"error:{record.error_key}", "recurrence_id": "", "status": "quarantined", "attempts": 1,
            "last_error": record.error, "content_hash": record.error_key, "attendees": [], "all_day": False,
            "sequence": 0,
        }
    return base | {
        "uid": event.uid, "recurrence_id": event.recurrence_id, "summary": event.summary,
        "description_ciphertext": cipher.encrypt_text(event.description) if event.description else None,
        "description_key_id": cipher.key_id if event.description else None,
        "location": event.location, "starts_at": event.starts_at, "ends_at": event.ends_at,
        "all_day": event.all_day, "event_status": event.status,
        "organizer_email": event.organizer.email if event.organizer else None,
        "organizer_name": event.organizer.name if event.organizer else None,
        "attendees": _participants_json(event.attendees), "sequence": event.sequence,
        "content_hash": event_content_hash(event), "status": "pending", "attempts": 0, "last_error": None,
    }


def store_events(
    conn: Connection, workspace: Workspace, integration_id: int | None, records: Sequence[EventRecord],
    cipher: Cipher,
) -> StoreCounts:
    counts = StoreCounts()
    now = datetime.now(UTC)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        row = _event_row(record, workspace, integration_id, cipher, now)
        if record.parsed is None:
            counts.errors.append(f"{record.locator}: {record.error}")
        rows[(row["uid"], row["recurrence_id"])] = row
    if not rows:
        return counts
    uids = sorted({uid for uid, _ in rows})
    existing = {
        (r.uid, r.recurrence_id): r.content_hash
        for r in conn.execute(
            select(captured_calendar_events.c.uid, captured_calendar_events.c.recurrence_id,
                   captured_calendar_events.c.content_hash)
            .where(captured_calendar_events.c.workspace_id == workspace.id,
                   captured_calendar_events.c.uid.in_(uids))
        )
    }
    changed = []
    for key, row in rows.items():
        quarantined = row["status"] == "quarantined"
        if key not in existing:
            counts.new += not quarantined
        elif existing[key] == row["content_hash"]:
            counts.unchanged += 1
        else:
            counts.updated += 1
        counts.quarantined += quarantined
        if existing.get(key) != row["content_hash"]:
            changed.append(row)
    for group in _by_columns(changed):
        upsert(conn, captured_calendar_events, group, key=["workspace_id", "uid", "recurrence_id"])
    return counts
