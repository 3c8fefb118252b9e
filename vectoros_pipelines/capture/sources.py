"""File sources of a workspace: registering them, their item manifest, and their sync log.

A source's items (message files, mbox entries, calendar files) are listed in
`source_items` with the month they belong to, so a (workspace, month) partition
reads only its own slice and a re-scan sees exactly which items are new or changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from vectoros_pipelines.mail.sources import detect_mail_source
from vectoros_pipelines.sources import SourceItem
from vectoros_pipelines.storage.capture_store import StoreCounts
from vectoros_pipelines.storage.db import upsert
from vectoros_pipelines.storage.schema import integrations, source_items, sync_logs
from vectoros_pipelines.storage.workspaces import Workspace

MAIL_FILES = "mail_files"
CALENDAR_FILES = "calendar_files"
BATCH = 500


class SourceError(ValueError):
    pass


@dataclass
class CaptureReport:
    counts: StoreCounts = field(default_factory=StoreCounts)
    items: int = 0
    months: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def as_metadata(self) -> dict[str, Any]:
        return self.counts.as_metadata() | {"items": self.items, "months": len(self.months),
                                            "seconds": round(self.seconds, 2)}


@dataclass(frozen=True)
class Source:
    integration_id: int
    provider: str
    root: Path


def register_source(conn: Connection, workspace: Workspace, kind: str, path: Path) -> Source:
    """Adds a file or folder source to a workspace (idempotent) and returns it."""
    root = path.expanduser().resolve()
    if not root.exists():
        raise SourceError(f"{path}: no such file or folder")
    if kind == "mail":
        provider = MAIL_FILES
        detect_mail_source(root)
    elif kind == "calendar":
        provider = CALENDAR_FILES
    else:
        raise SourceError(f"unknown source kind {kind!r}")
    upsert(conn, integrations, [{
        "workspace_id": workspace.id, "provider": provider, "kind": kind, "account": str(root),
        "status": "active", "cursor": {},
    }], key=["workspace_id", "provider", "account"], update=["status"])
    integration_id = conn.execute(select(integrations.c.id).where(
        integrations.c.workspace_id == workspace.id, integrations.c.provider == provider,
        integrations.c.account == str(root),
    )).scalar_one()
    return Source(integration_id, provider, root)


def file_sources(conn: Connection, workspace: Workspace, provider: str) -> list[Source]:
    rows = conn.execute(select(integrations.c.id, integrations.c.account).where(
        integrations.c.workspace_id == workspace.id, integrations.c.provider == provider,
        integrations.c.status == "active",
    ))
    return [Source(r.id, provider, Path(r.account)) for r in rows]


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def fingerprint_of(item: SourceItem) -> str:
    return f"{item.size_bytes}:{item.mtime_ns}"


def item_mtime(item: SourceItem) -> datetime:
    return datetime.fromtimestamp(item.mtime_ns / 1e9, tz=UTC)


def manifest_row(workspace: Workspace, source: Source, item: SourceItem, month: str, now: datetime,
                   captured: bool) -> dict[str, Any]:
    fingerprint = fingerprint_of(item)
    return {
        "workspace_id": workspace.id, "integration_id": source.integration_id, "locator": item.locator,
        "size_bytes": item.size_bytes, "mtime_ns": item.mtime_ns, "start_offset": item.start_offset,
        "end_offset": item.end_offset, "month": month, "fingerprint": fingerprint,
        "captured_fingerprint": fingerprint if captured else None, "seen_at": now,
    }


def captured_fingerprints(conn: Connection, source: Source, locators: list[str]) -> dict[str, str | None]:
    rows = conn.execute(select(source_items.c.locator, source_items.c.captured_fingerprint).where(
        source_items.c.integration_id == source.integration_id, source_items.c.locator.in_(locators)))
    return {r.locator: r.captured_fingerprint for r in rows}


def log_sync(engine: Engine, workspace: Workspace, source: Source, report: CaptureReport, started: datetime,
              partition_key: str | None) -> None:
    finished = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(sync_logs.insert().values(
            workspace_id=workspace.id, integration_id=source.integration_id, partition_key=partition_key,
            started_at=started, finished_at=finished, fetched=report.items, new=report.counts.new,
            updated=report.counts.updated, failed=report.counts.quarantined,
            duration_s=(finished - started).total_seconds(),
            error="; ".join(report.counts.errors[:5]) or None,
        ))
        conn.execute(integrations.update().where(integrations.c.id == source.integration_id).values(
            last_sync_at=finished,
            last_error=(report.counts.errors[-1] if report.counts.errors else None),
        ))


def month_items(engine: Engine, source: Source, month: str) -> Iterator[SourceItem]:
    last_id = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(source_items).where(
                    source_items.c.integration_id == source.integration_id, source_items.c.month == month,
                    source_items.c.id > last_id,
                ).order_by(source_items.c.id).limit(BATCH * 4)
            ).all()
        if not rows:
            return
        for r in rows:
            yield SourceItem(locator=r.locator, size_bytes=r.size_bytes, mtime_ns=r.mtime_ns,
                             start_offset=r.start_offset, end_offset=r.end_offset)
        last_id = rows[-1].id


def pending_months(engine: Engine, workspace: Workspace, provider: str) -> dict[str, str]:
    """Months holding listed-but-not-captured items, each with a token that changes when they change.

    The token goes into the sensor's run key: a repeated tick asks for nothing new,
    while a file that changes again gets a new run.
    """
    with engine.connect() as conn:
        ids = [s.integration_id for s in file_sources(conn, workspace, provider)]
        if not ids:
            return {}
        rows = conn.execute(
            select(source_items.c.month, source_items.c.locator, source_items.c.fingerprint)
            .where(source_items.c.workspace_id == workspace.id, source_items.c.integration_id.in_(ids),
                   (source_items.c.captured_fingerprint.is_(None))
                   | (source_items.c.captured_fingerprint != source_items.c.fingerprint))
            .order_by(source_items.c.month, source_items.c.locator)
        )
        digests: dict[str, Any] = {}
        for row in rows:
            digests.setdefault(row.month, hashlib.sha256()).update(f"{row.locator}\0{row.fingerprint}\0".encode())
    return {month: digest.hexdigest()[:16] for month, digest in digests.items()}

