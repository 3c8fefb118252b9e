"""Reads of deals for export and display; every query is filtered by workspace."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from vectoros_pipelines.storage.schema import captured_calendar_events, captured_emails, deals

EXPORT_FIELDS = (
    "id", "company", "domain", "value", "currency", "stage", "status", "contact_email", "product",
    "close_date", "source",
)


def export_deals(conn: Connection, workspace_id: int) -> list[dict[str, Any]]:
    """Live deals (not merged away) with the Message-IDs and event UIDs linked to each."""
    rows = conn.execute(
        select(deals).where(deals.c.workspace_id == workspace_id, deals.c.merged_into.is_(None)).order_by(deals.c.id)
    ).all()
    messages: dict[int, list[str]] = {}
    for deal_id, key in conn.execute(
        select(captured_emails.c.deal_id, captured_emails.c.message_key)
        .where(captured_emails.c.workspace_id == workspace_id, captured_emails.c.deal_id.is_not(None))
        .order_by(captured_emails.c.sent_at, captured_emails.c.id)
    ):
        messages.setdefault(deal_id, []).append(key)
    events: dict[int, list[str]] = {}
    for deal_id, uid in conn.execute(
        select(captured_calendar_events.c.deal_id, captured_calendar_events.c.uid)
        .where(captured_calendar_events.c.workspace_id == workspace_id,
               captured_calendar_events.c.deal_id.is_not(None))
        .order_by(captured_calendar_events.c.starts_at)
    ):
        if uid not in events.setdefault(deal_id, []):
            events[deal_id].append(uid)
    out = []
    for row in rows:
        item = {field: getattr(row, field) for field in EXPORT_FIELDS}
        item["close_date"] = row.close_date.isoformat() if row.close_date else None
        item["messages"] = messages.get(row.id, [])
        item["events"] = events.get(row.id, [])
        out.append(item)
    return out
