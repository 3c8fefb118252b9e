"""Captured rows back into the parsed objects extractors take (bodies decrypted on the way)."""

from __future__ import annotations

from typing import Any

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.mail.message import Attachment, ParsedEmail, Participant
from vectoros_pipelines.security.crypto import Cipher


def _people(items: list[dict[str, Any]] | None) -> list[Participant]:
    return [Participant(email=p["email"], name=p.get("name"), role=p.get("role", "to")) for p in items or []]


def email_from_row(row: Any, cipher: Cipher) -> ParsedEmail:
    participants = _people(row.participants)
    return ParsedEmail(
        message_key=row.message_key,
        message_id=None if row.message_key.startswith("sha256:") else row.message_key,
        subject=row.subject or "",
        normalized_subject=row.normalized_subject or "",
        sent_at=row.sent_at,
        from_=next((p for p in participants if p.role == "from"), None),
        participants=participants,
        in_reply_to=row.in_reply_to,
        references=list(row.references or []),
        body_text=cipher.decrypt_text(row.body_ciphertext, row.body_key_id),
        body_truncated=bool(row.truncated),
        size_bytes=row.size_bytes or 0,
        attachments=[Attachment(a.get("filename"), a.get("content_type", ""), a.get("size_bytes", 0))
                     for a in row.attachments or []],
        headers=dict(row.headers or {}),
    )


def event_from_row(row: Any, cipher: Cipher) -> ParsedEvent:
    organizer = (Participant(email=row.organizer_email, name=row.organizer_name, role="organizer")
                 if row.organizer_email else None)
    return ParsedEvent(
        uid=row.uid,
        recurrence_id=row.recurrence_id,
        summary=row.summary or "",
        description=cipher.decrypt_text(row.description_ciphertext, row.description_key_id),
        location=row.location,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        all_day=bool(row.all_day),
        status=row.event_status or "confirmed",
        organizer=organizer,
        attendees=_people(row.attendees),
        sequence=row.sequence or 0,
    )
