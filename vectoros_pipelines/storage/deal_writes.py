"""Writes of matching outcomes: create, link, update, merge, un-merge.

Every statement is filtered by workspace_id. Callers pass a Connection inside
one transaction (`engine.begin()`), so an outcome lands whole or not at all.
Field updates honour `deals.corrections`: what a person set is never
overwritten by evidence. Every automatic change writes a `deal_changes` row
naming the email or event that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.engine import Connection

from vectoros_pipelines.matching.deal_state import DealFields
from vectoros_pipelines.matching.evidence import SourceRef
from vectoros_pipelines.storage.db import upsert
from vectoros_pipelines.storage.schema import (
    activities,
    audit_log,
    captured_calendar_events,
    captured_emails,
    deal_changes,
    deals,
)

# Bookkeeping fields that change with nearly every message; their history is the activity list itself.
_UNLOGGED = frozenset({"last_activity_at", "company_key", "name"})


class DealNotFound(LookupError):
    pass


@dataclass(frozen=True)
class LinkedItem:
    """One message or event becoming an activity of a deal."""

    ref: SourceRef
    occurred_at: datetime
    kind: str  # email_in | email_out | email_internal | meeting
    summary: str | None
    participants: list[dict[str, Any]]


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _source_ids(ref: SourceRef | None) -> dict[str, int | None]:
    if ref is None:
        return {"email_id": None, "event_id": None}
    return {"email_id": ref.row_id if ref.kind == "email" else None,
            "event_id": ref.row_id if ref.kind == "event" else None}


def _source_json(sources: Mapping[str, SourceRef]) -> dict[str, str]:
    return {name: f"{ref.kind}:{ref.key}" for name, ref in sources.items()}


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return _utc(old) == _utc(new)
    if isinstance(old, float | int) and isinstance(new, float | int):
        return abs(float(old) - float(new)) < 1e-9
    return bool(old == new)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def create_deal(conn: Connection, workspace_id: int, fields: DealFields, *, confidence: float, source: str,
                owner_email: str | None = None, now: datetime | None = None) -> int:
    """Inserts a deal and records each initial field as a change caused by the message that set it."""
    now = now or datetime.now(UTC)
    row = fields.as_row() | {
        "workspace_id": workspace_id, "source": source, "confidence": confidence, "owner_email": owner_email,
        "field_sources": _source_json(fields.sources), "updated_at": now,
    }
    deal_id = int(conn.execute(deals.insert().values(**row).returning(deals.c.id)).scalar_one())
    changes = [
        {"workspace_id": workspace_id, "deal_id": deal_id, "field": name, "old_value": None,
         "new_value": _json_value(value), "actor": "system", "changed_at": now,
         **_source_ids(fields.sources.get(name))}
        for name, value in fields.as_row().items() if value is not None and name not in _UNLOGGED
    ]
    if changes:
        conn.execute(deal_changes.insert(), changes)
    return deal_id


def update_deal_fields(conn: Connection, workspace_id: int, deal_id: int, fields: DealFields,
                       *, now: datetime | None = None, actor: str = "system") -> list[str]:
    """Writes the fields that differ; a field a person corrected keeps the person's value."""
    now = now or datetime.now(UTC)
    current = conn.execute(
        select(deals).where(deals.c.workspace_id == workspace_id, deals.c.id == deal_id)
    ).first()
    if current is None:
        raise DealNotFound(f"deal {deal_id} not found in workspace {workspace_id}")
    corrected = set((current.corrections or {}).keys())
    values: dict[str, Any] = {}
    changes = []
    for name, new in fields.as_row().items():
        old = getattr(current, name)
        if name in corrected or _same(old, new):
            continue
        values[name] = new
        if name not in _UNLOGGED:
            changes.append({
                "workspace_id": workspace_id, "deal_id": deal_id, "field": name, "old_value": _json_value(old),
                "new_value": _json_value(new), "actor": actor, "changed_at": now,
                **_source_ids(fields.sources.get(name)),
            })
    sources = _source_json(fields.sources)
    if values or (current.field_sources or {}) != sources:
        conn.execute(
            update(deals).where(deals.c.workspace_id == workspace_id, deals.c.id == deal_id)
            .values(**values, field_sources=sources, updated_at=now)
        )
    if changes:
        conn.execute(deal_changes.insert(), changes)
    return sorted(values)


def link_items(conn: Connection, workspace_id: int, deal_id: int, items: Sequence[LinkedItem],
               *, now: datetime | None = None) -> None:
    """Each message becomes (or moves to) an activity of the deal, and its captured row points at it."""
    now = now or datetime.now(UTC)
    for item in items:
        ids = _source_ids(item.ref)
        key = "email_id" if item.ref.kind == "email" else "event_id"
        upsert(conn, activities, [{
            "workspace_id": workspace_id, "deal_id": deal_id, "kind": item.kind, **ids,
            "occurred_at": item.occurred_at, "summary": item.summary, "participants": item.participants,
        }], key=["workspace_id", key], update=["deal_id", "kind", "occurred_at", "summary", "participants"])
        table = captured_emails if item.ref.kind == "email" else captured_calendar_events
        conn.execute(
            update(table).where(table.c.workspace_id == workspace_id, table.c.id == item.ref.row_id)
            .values(deal_id=deal_id, matched_at=now)
        )


def mark_matched(conn: Connection, workspace_id: int, refs: Iterable[SourceRef], *,
                 now: datetime | None = None) -> None:
    """Rows looked at and left unlinked: they are not matched again until re-extracted."""
    now = now or datetime.now(UTC)
    by_kind: dict[str, list[int]] = {"email": [], "event": []}
    for ref in refs:
        by_kind[ref.kind].append(ref.row_id)
    for kind, ids in by_kind.items():
        table = captured_emails if kind == "email" else captured_calendar_events
        for start in range(0, len(ids), 500):
            conn.execute(
                update(table).where(table.c.workspace_id == workspace_id, table.c.id.in_(ids[start:start + 500]))
                .values(matched_at=now)
            )


def merge_deals(conn: Connection, workspace_id: int, winner_id: int, loser_id: int, *, actor: str = "system",
                reasons: Sequence[str] = (), now: datetime | None = None) -> dict[str, Any]:
    """Moves the loser's activities and messages to the winner and marks it merged; one audit row says what moved."""
    now = now or datetime.now(UTC)
    if winner_id == loser_id:
        raise ValueError("cannot merge a deal into itself")
    found = {
        r.id: r for r in conn.execute(
            select(deals.c.id, deals.c.merged_into).where(
                deals.c.workspace_id == workspace_id, deals.c.id.in_([winner_id, loser_id]))
        )
    }
    for deal_id in (winner_id, loser_id):
        if deal_id not in found:
            raise DealNotFound(f"deal {deal_id} not found in workspace {workspace_id}")
        if found[deal_id].merged_into is not None:
            raise ValueError(f"deal {deal_id} is already merged into deal {found[deal_id].merged_into}")
    moved_emails = [r[0] for r in conn.execute(select(captured_emails.c.id).where(
        captured_emails.c.workspace_id == workspace_id, captured_emails.c.deal_id == loser_id))]
    moved_events = [r[0] for r in conn.execute(select(captured_calendar_events.c.id).where(
        captured_calendar_events.c.workspace_id == workspace_id, captured_calendar_events.c.deal_id == loser_id))]
    moved_activities = [r[0] for r in conn.execute(select(activities.c.id).where(
        activities.c.workspace_id == workspace_id, activities.c.deal_id == loser_id))]
    for table in (captured_emails, captured_calendar_events, activities):
        conn.execute(update(table).where(table.c.workspace_id == workspace_id, table.c.deal_id == loser_id)
                     .values(deal_id=winner_id))
    conn.execute(update(deals).where(deals.c.workspace_id == workspace_id, deals.c.id == loser_id)
                 .values(merged_into=winner_id, updated_at=now))
    conn.execute(deal_changes.insert().values(
        workspace_id=workspace_id, deal_id=winner_id, field="merged_from", old_value=None, new_value=loser_id,
        actor=actor, changed_at=now))
    details = {"winner": winner_id, "loser": loser_id, "reasons": list(reasons), "emails": moved_emails,
               "events": moved_events, "activities": moved_activities}
    conn.execute(audit_log.insert().values(
        workspace_id=workspace_id, actor=actor, action="deal.merge", subject_type="deal",
        subject_id=str(loser_id), details=details, created_at=now))
    return details


def restore_merge(conn: Connection, workspace_id: int, loser_id: int, *, actor: str,
                  now: datetime | None = None) -> int:
    """Undoes the latest merge of `loser_id`: what moved goes back, the deal is live again. Returns the winner."""
    now = now or datetime.now(UTC)
    row = conn.execute(select(deals.c.merged_into).where(
        deals.c.workspace_id == workspace_id, deals.c.id == loser_id)).first()
    if row is None:
        raise DealNotFound(f"deal {loser_id} not found in workspace {workspace_id}")
    if row.merged_into is None:
        raise ValueError(f"deal {loser_id} is not merged into another deal")
    winner_id = int(row.merged_into)
    merge = conn.execute(
        select(audit_log.c.details).where(
            audit_log.c.workspace_id == workspace_id, audit_log.c.action == "deal.merge",
            audit_log.c.subject_id == str(loser_id))
        .order_by(audit_log.c.id.desc()).limit(1)
    ).first()
    details = merge.details if merge else {}
    for table, ids in ((captured_emails, details.get("emails", [])),
                       (captured_calendar_events, details.get("events", [])),
                       (activities, details.get("activities", []))):
        for start in range(0, len(ids), 500):
            # Only rows still on the winner move back: a person may have moved one by hand since.
            conn.execute(update(table).where(
                and_(table.c.workspace_id == workspace_id, table.c.deal_id == winner_id,
                     table.c.id.in_(ids[start:start + 500]))).values(deal_id=loser_id))
    conn.execute(update(deals).where(deals.c.workspace_id == workspace_id, deals.c.id == loser_id)
                 .values(merged_into=None, updated_at=now))
    conn.execute(deal_changes.insert().values(
        workspace_id=workspace_id, deal_id=winner_id, field="unmerged", old_value=loser_id, new_value=None,
        actor=actor, changed_at=now))
    conn.execute(audit_log.insert().values(
        workspace_id=workspace_id, actor=actor, action="deal.unmerge", subject_type="deal",
        subject_id=str(loser_id), details={"winner": winner_id, "loser": loser_id}, created_at=now))
    return winner_id


def unmerged_pairs(conn: Connection, workspace_id: int) -> set[frozenset[int]]:
    """Pairs a person separated: auto-merge must never join them again."""
    rows = conn.execute(select(audit_log.c.details).where(
        audit_log.c.workspace_id == workspace_id, audit_log.c.action == "deal.unmerge"))
    return {frozenset((int(r.details["winner"]), int(r.details["loser"]))) for r in rows if r.details}


