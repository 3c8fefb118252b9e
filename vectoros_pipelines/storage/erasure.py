"""Erasure (GDPR): one person's data, or a whole workspace, from SQL and Qdrant — with an audit row.

The audit row records what was removed and a hash of the address, never the
address itself, so the log does not keep what the erasure removed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, or_, select, update

from vectoros_pipelines.storage.schema import (
    audit_log,
    captured_calendar_events,
    captured_emails,
    deal_embeddings,
    deals,
    users,
    workspaces,
)
from vectoros_pipelines.storage.workspaces import Workspace
from vectoros_pipelines.vectors.index import VectorIndex

BATCH = 2000


@dataclass
class ErasureReport:
    emails: int = 0
    events: int = 0
    deals_scrubbed: int = 0
    users: int = 0
    vectors: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def subject_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _mentions(people: Iterable[dict[str, Any]] | None, email: str) -> bool:
    return any((p.get("email") or "").lower() == email for p in people or [])


def erase_person(engine: Engine, workspace: Workspace, email: str, index: VectorIndex | None,
                 actor: str = "system") -> ErasureReport:
    """Deletes every message and meeting the person took part in, their user row, and their name on deals."""
    email = email.strip().lower()
    report = ErasureReport()
    with engine.begin() as conn:
        last = 0
        while True:
            rows = conn.execute(
                select(captured_emails.c.id, captured_emails.c.from_email, captured_emails.c.participants)
                .where(captured_emails.c.workspace_id == workspace.id, captured_emails.c.id > last)
                .order_by(captured_emails.c.id).limit(BATCH)).all()
            if not rows:
                break
            last = rows[-1].id
            doomed = [r.id for r in rows if (r.from_email or "").lower() == email or _mentions(r.participants, email)]
            if doomed:
                report.emails += conn.execute(delete(captured_emails).where(
                    captured_emails.c.workspace_id == workspace.id, captured_emails.c.id.in_(doomed))).rowcount
        events = conn.execute(
            select(captured_calendar_events.c.id, captured_calendar_events.c.organizer_email,
                   captured_calendar_events.c.attendees)
            .where(captured_calendar_events.c.workspace_id == workspace.id)).all()
        doomed = [r.id for r in events
                  if (r.organizer_email or "").lower() == email or _mentions(r.attendees, email)]
        for start in range(0, len(doomed), BATCH):
            report.events += conn.execute(delete(captured_calendar_events).where(
                captured_calendar_events.c.workspace_id == workspace.id,
                captured_calendar_events.c.id.in_(doomed[start:start + BATCH]))).rowcount
        touched = conn.execute(select(deals.c.id).where(
            deals.c.workspace_id == workspace.id,
            or_(deals.c.contact_email == email, deals.c.owner_email == email))).scalars().all()
        if touched:
            conn.execute(update(deals).where(deals.c.workspace_id == workspace.id, deals.c.id.in_(touched))
                         .values(contact_email=None, contact_name=None))
            conn.execute(update(deals).where(deals.c.workspace_id == workspace.id, deals.c.id.in_(touched),
                                             deals.c.owner_email == email).values(owner_email=None))
            # Their vectors may encode the name: drop them so the next run re-embeds without it.
            conn.execute(delete(deal_embeddings).where(deal_embeddings.c.workspace_id == workspace.id,
                                                       deal_embeddings.c.deal_id.in_(touched)))
            report.deals_scrubbed = len(touched)
        report.users = conn.execute(delete(users).where(users.c.workspace_id == workspace.id,
                                                        users.c.email == email)).rowcount
        if index is not None and touched:
            index.delete_deals(workspace.id, list(touched))
            report.vectors = len(touched)
        conn.execute(audit_log.insert().values(
            workspace_id=workspace.id, actor=actor, action="privacy.erase_person", subject_type="person",
            subject_id=subject_hash(email), details=report.as_dict()))
    return report


def erase_workspace(engine: Engine, workspace: Workspace, index: VectorIndex | None, actor: str = "system") -> None:
    """Deletes the workspace and every row in it (foreign keys cascade) and its vectors."""
    with engine.begin() as conn:
        conn.execute(delete(workspaces).where(workspaces.c.id == workspace.id))
        conn.execute(audit_log.insert().values(
            workspace_id=None, actor=actor, action="privacy.erase_workspace", subject_type="workspace",
            subject_id=workspace.slug, details={"workspace_id": workspace.id}))
    if index is not None:
        index.delete_workspace(workspace.id)
