"""Runs the extractor over a workspace's pending captured rows and records what it said.

A row that makes the extractor fail is retried on the next run; after
MAX_ATTEMPTS it is quarantined with its error — visible, re-playable, and never
blocking the rest of its batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Table, select, update

from vectoros_pipelines.extraction.base import Extractor, WorkspaceContext
from vectoros_pipelines.extraction.result import ExtractionResult
from vectoros_pipelines.processing.rows import email_from_row, event_from_row
from vectoros_pipelines.security.crypto import Cipher, load_cipher
from vectoros_pipelines.storage.schema import captured_calendar_events, captured_emails
from vectoros_pipelines.storage.workspaces import Workspace, list_users

MAX_ATTEMPTS = 3
BATCH = 200


@dataclass
class ExtractReport:
    processed: int = 0
    deal_related: int = 0
    failed: int = 0
    quarantined: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict[str, Any]:
        return {"processed": self.processed, "deal_related": self.deal_related, "failed": self.failed,
                "quarantined": self.quarantined, "seconds": round(self.seconds, 2),
                "messages_per_s": round(self.processed / self.seconds, 1) if self.seconds else 0.0}


def workspace_context(engine: Engine, workspace: Workspace) -> WorkspaceContext:
    with engine.connect() as conn:
        users = list_users(conn, workspace.id)
    return WorkspaceContext(name=workspace.name, domains=workspace.domains,
                            user_emails=tuple(u.email for u in users), timezone=workspace.timezone)


def _process(
    engine: Engine, workspace: Workspace, table: Table,
    run_batch: Callable[[Sequence[Any]], list[ExtractionResult | Exception]],
) -> ExtractReport:
    report = ExtractReport()
    started = time.perf_counter()
    last_id = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(table).where(table.c.workspace_id == workspace.id, table.c.status == "pending",
                                    table.c.id > last_id)
                .order_by(table.c.id).limit(BATCH)
            ).all()
        if not rows:
            break
        last_id = rows[-1].id
        outcomes = run_batch(rows)
        now = datetime.now(UTC)
        with engine.begin() as conn:
            for row, outcome in zip(rows, outcomes, strict=True):
                where = (table.c.id == row.id) & (table.c.workspace_id == workspace.id)
                if isinstance(outcome, ExtractionResult) and _is_error_result(outcome):
                    outcome = ExtractorFailure("; ".join(outcome.reasons))
                if isinstance(outcome, Exception):
                    attempts = row.attempts + 1
                    state = "quarantined" if attempts >= MAX_ATTEMPTS else "pending"
                    message = f"{type(outcome).__name__}: {outcome}"
                    conn.execute(update(table).where(where).values(attempts=attempts, status=state,
                                                                   last_error=message, updated_at=now))
                    report.failed += 1
                    report.quarantined += state == "quarantined"
                    report.errors.append(message)
                    continue
                conn.execute(update(table).where(where).values(
                    status="processed", is_deal_related=outcome.is_deal_related, confidence=outcome.confidence,
                    extracted_data=outcome.to_json(), extracted_at=now, matched_at=None, last_error=None,
                    updated_at=now,
                ))
                report.processed += 1
                report.deal_related += outcome.is_deal_related
    report.seconds = time.perf_counter() - started
    return report


class ExtractorFailure(RuntimeError):
    """The extractor answered, but with an error result (e.g. Claude out of retries): try again later."""


def _is_error_result(result: ExtractionResult) -> bool:
    return any(reason.startswith(("claude_error", "extractor_error")) for reason in result.reasons)


def _guarded(convert: Callable[[Any], Any], extract_one: Callable[[Any], ExtractionResult],
             extract_many: Callable[[list[Any]], list[ExtractionResult]] | None,
             ) -> Callable[[Sequence[Any]], list[ExtractionResult | Exception]]:
    """Extracts a batch; when the batch call fails, falls back to one by one so one bad row can't sink the rest."""

    def run(rows: Sequence[Any]) -> list[ExtractionResult | Exception]:
        items: list[Any | Exception] = []
        for row in rows:
            try:
                items.append(convert(row))
            except Exception as exc:  # a row we cannot decrypt or rebuild is that row's failure
                items.append(exc)
        good = [i for i in items if not isinstance(i, Exception)]
        results: dict[int, ExtractionResult | Exception] = {}
        if extract_many is not None and good:
            try:
                for item, result in zip(good, extract_many(good), strict=True):
                    results[id(item)] = result
            except Exception:
                results = {}
        out: list[ExtractionResult | Exception] = []
        for item in items:
            if isinstance(item, Exception):
                out.append(item)
            elif id(item) in results:
                out.append(results[id(item)])
            else:
                try:
                    out.append(extract_one(item))
                except Exception as exc:
                    out.append(exc)
        return out

    return run


def extract_pending_emails(engine: Engine, workspace: Workspace, extractor: Extractor,
                           cipher: Cipher | None = None) -> ExtractReport:
    cipher = cipher or load_cipher()
    context = workspace_context(engine, workspace)
    return _process(engine, workspace, captured_emails, _guarded(
        lambda row: email_from_row(row, cipher),
        lambda email: extractor.extract_email(email, context),
        lambda emails: extractor.extract_emails(emails, context),
    ))


def extract_pending_events(engine: Engine, workspace: Workspace, extractor: Extractor,
                           cipher: Cipher | None = None) -> ExtractReport:
    cipher = cipher or load_cipher()
    context = workspace_context(engine, workspace)
    return _process(engine, workspace, captured_calendar_events, _guarded(
        lambda row: event_from_row(row, cipher),
        lambda event: extractor.extract_event(event, context),
        None,
    ))


def replay_quarantined(engine: Engine, workspace: Workspace, table: Table, row_ids: Sequence[int] | None = None) -> int:
    """Puts quarantined rows back to pending (after a fix) so the next run tries them again."""
    stmt = update(table).where(table.c.workspace_id == workspace.id, table.c.status.in_(["quarantined", "failed"]))
    if table is captured_emails:
        # Rows quarantined at capture (unparseable files) have no body: re-capturing the month replays them.
        stmt = stmt.where(table.c.body_key_id.is_not(None))
    if row_ids is not None:
        stmt = stmt.where(table.c.id.in_(list(row_ids)))
    with engine.begin() as conn:
        return conn.execute(stmt.values(status="pending", attempts=0, last_error=None)).rowcount
