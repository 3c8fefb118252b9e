"""Imports CRM opportunities into a workspace's deals: all rows or none, re-runs update in place."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from vectoros_pipelines.crm.parse import parse_many
from vectoros_pipelines.crm.rows import CrmDeal, RowError
from vectoros_pipelines.storage.schema import audit_log, deal_changes, deals

COMPARED = ("name", "company", "company_key", "value", "currency", "stage", "status", "product", "owner_email",
            "close_date", "opened_at", "closed_at")
HISTORY_FIELDS = ("value", "stage", "status", "close_date")  # worth a deal_changes row: health and as-of read them
CHUNK = 500


@dataclass
class ImportReport:
    mapping: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


class ImportFailed(Exception):
    def __init__(self, report: ImportReport):
        self.report = report
        shown = "; ".join(str(e) for e in report.errors[:5])
        more = f" (and {len(report.errors) - 5} more)" if len(report.errors) > 5 else ""
        super().__init__(f"import rejected, nothing changed: {shown}{more}")


def import_crm(
    engine: Engine, workspace_id: int, paths: Sequence[Path | str], mapping: str = "auto", dry_run: bool = False,
    *, actor: str = "crm-import",
) -> ImportReport:
    """Validates every row, then upserts them all in one transaction; any bad row rejects the whole import.

    Returns the report (with errors, nothing written) rather than raising, so a caller can show every bad line.
    """
    parsed = parse_many([Path(p) for p in paths], mapping)
    report = ImportReport(mapping=parsed.mapping, rows=len(parsed.deals) + len(parsed.errors), dry_run=dry_run)
    report.errors = list(parsed.errors) + _duplicates(parsed.deals)
    if report.errors:
        return report
    now = datetime.now(UTC)
    with engine.begin() as conn:
        existing = _existing(conn, workspace_id, [d.external_id for d in parsed.deals])
        inserts: list[dict[str, Any]] = []
        for deal in parsed.deals:
            values = _values(deal)
            old = existing.get(deal.external_id)
            if old is None:
                report.created += 1
                inserts.append({**values, "workspace_id": workspace_id, "external_id": deal.external_id,
                                "source": "crm", "updated_at": now})
                continue
            corrected = set((old.get("corrections") or {}).keys())  # a person's correction wins over the CRM
            changed = {k: v for k, v in values.items()
                       if k in COMPARED and k not in corrected and not _same(old.get(k), v)}
            if not changed:
                report.unchanged += 1
                continue
            report.updated += 1
            if dry_run:
                continue
            conn.execute(deals.update().where(deals.c.id == old["id"], deals.c.workspace_id == workspace_id)
                         .values(**changed, field_sources=values["field_sources"], updated_at=now))
            history = [
                {"workspace_id": workspace_id, "deal_id": old["id"], "field": k, "old_value": _json(old.get(k)),
                 "new_value": _json(v), "actor": actor, "changed_at": now}
                for k, v in changed.items() if k in HISTORY_FIELDS
            ]
            if history:
                conn.execute(deal_changes.insert(), history)
        if dry_run:
            return report
        for start in range(0, len(inserts), CHUNK):
            conn.execute(deals.insert(), inserts[start:start + CHUNK])
        conn.execute(audit_log.insert().values(
            workspace_id=workspace_id, actor=actor, action="crm.import", subject_type="workspace",
            subject_id=str(workspace_id),
            details={"files": [Path(p).name for p in paths], "mapping": report.mapping, "created": report.created,
                     "updated": report.updated, "unchanged": report.unchanged},
        ))
    return report


def _duplicates(rows: list[CrmDeal]) -> list[RowError]:
    seen: dict[str, str] = {}
    errors = []
    for deal in rows:
        if deal.external_id in seen:
            file, line = deal.source_ref.rsplit(":", 1)
            errors.append(RowError(file, int(line), f"opportunity id {deal.external_id!r} already on {seen[deal.external_id]}"))
        else:
            seen[deal.external_id] = deal.source_ref
    return errors


def _existing(conn: Connection, workspace_id: int, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    cols = [deals.c.id, deals.c.external_id, deals.c.corrections, *[deals.c[k] for k in COMPARED]]
    for start in range(0, len(ids), CHUNK):
        rows = conn.execute(select(*cols).where(
            deals.c.workspace_id == workspace_id, deals.c.external_id.in_(ids[start:start + CHUNK])))
        for row in rows:
            found[row.external_id] = dict(row._mapping)
    return found


def company_key(company: str | None) -> str | None:
    if not company:
        return None
    key = re.sub(r"\b(inc|llc|ltd|gmbh|corp|corporation|co|sa|ag|plc)\b\.?", "", company.lower())
    return re.sub(r"[^a-z0-9]+", " ", key).strip() or None


def _at(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def _values(deal: CrmDeal) -> dict[str, Any]:
    owner_email = deal.owner if deal.owner and "@" in deal.owner else None
    return {
        "name": deal.name, "company": deal.company, "company_key": company_key(deal.company), "value": deal.value,
        "currency": deal.currency, "stage": deal.stage, "status": deal.status, "product": deal.product,
        "owner_email": owner_email, "close_date": deal.close_date, "opened_at": _at(deal.opened_on),
        "closed_at": _at(deal.close_date) if deal.status != "open" else None,
        # deals has no column for the CRM's own fields (owner name, list price…); they ride here, keyed "crm".
        "field_sources": {"crm": {"ref": deal.source_ref, "owner": deal.owner, **deal.attributes}},
    }


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(tzinfo=None) == new.replace(tzinfo=None)
    if isinstance(old, float) or isinstance(new, float):
        return old is not None and new is not None and abs(float(old) - float(new)) < 1e-9
    return bool(old == new)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value
