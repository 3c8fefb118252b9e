"""Keeping each live deal's vector in Qdrant in step with what the deal is about.

A deal's text is its company, domain, product, contact and the subjects of its
messages; only deals whose text (or status, which searches filter on) changed
are encoded again, so a re-run with nothing new encodes nothing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select

from vectoros_pipelines.storage.db import upsert
from vectoros_pipelines.storage.schema import (
    captured_calendar_events,
    captured_emails,
    deal_embeddings,
    deals,
)
from vectoros_pipelines.storage.workspaces import Workspace
from vectoros_pipelines.vectors.embedder import Embedder
from vectoros_pipelines.vectors.index import DealVector, VectorIndex, point_id

MAX_SUBJECTS = 12


@dataclass
class EmbedReport:
    embedded: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0

    def as_metadata(self) -> dict[str, int | float]:
        return {"embedded": self.embedded, "unchanged": self.unchanged, "removed": self.removed,
                "seconds": round(self.seconds, 3)}


def deal_text(company: str | None, domain: str | None, product: str | None, contact_name: str | None,
              contact_email: str | None, subjects: list[str]) -> str:
    """What a deal is about, in the words its messages use."""
    head = " · ".join(p for p in (company, domain, product, contact_name, contact_email) if p)
    return "\n".join([head, *subjects[:MAX_SUBJECTS]]).strip()


def _hash(text: str, status: str, model: str) -> str:
    return hashlib.sha256(f"{model}\x00{status}\x00{text}".encode()).hexdigest()


def embed_deals(engine: Engine, workspace: Workspace, index: VectorIndex, embedder: Embedder) -> EmbedReport:
    """(Re)embeds the workspace's live deals whose text changed; drops vectors of merged or deleted deals."""
    started = time.perf_counter()
    report = EmbedReport()
    ws = workspace.id
    with engine.connect() as conn:
        live = conn.execute(select(deals).where(deals.c.workspace_id == ws, deals.c.merged_into.is_(None))).all()
        subjects: dict[int, list[str]] = {}
        for deal_id, subject in [*conn.execute(
            select(captured_emails.c.deal_id, captured_emails.c.normalized_subject)
            .where(captured_emails.c.workspace_id == ws, captured_emails.c.deal_id.is_not(None))
            .order_by(captured_emails.c.sent_at, captured_emails.c.id)
        ).all(), *conn.execute(
            select(captured_calendar_events.c.deal_id, captured_calendar_events.c.summary)
            .where(captured_calendar_events.c.workspace_id == ws, captured_calendar_events.c.deal_id.is_not(None))
            .order_by(captured_calendar_events.c.starts_at)
        ).all()]:
            seen = subjects.setdefault(deal_id, [])
            if subject and subject not in seen:
                seen.append(subject)
        stored = {r.deal_id: r.text_hash for r in conn.execute(
            select(deal_embeddings.c.deal_id, deal_embeddings.c.text_hash)
            .where(deal_embeddings.c.workspace_id == ws, deal_embeddings.c.model == embedder.name))}
    todo: list[tuple[int, str, str, dict[str, object]]] = []
    live_ids = set()
    for row in live:
        live_ids.add(row.id)
        text = deal_text(row.company, row.domain, row.product, row.contact_name, row.contact_email,
                         subjects.get(row.id, []))
        digest = _hash(text, row.status, embedder.name)
        if stored.get(row.id) == digest:
            report.unchanged += 1
            continue
        todo.append((row.id, text, digest, {"status": row.status, "company_key": row.company_key}))
    gone = sorted(set(stored) - live_ids)
    if todo:
        vectors = embedder.encode([text for _, text, _, _ in todo])
        index.upsert(ws, [DealVector(deal_id, vector, payload)
                          for (deal_id, _, _, payload), vector in zip(todo, vectors, strict=True)])
        now = datetime.now(UTC)
        with engine.begin() as conn:
            upsert(conn, deal_embeddings, [
                {"workspace_id": ws, "deal_id": deal_id, "point_id": point_id(ws, deal_id),
                 "collection": index.collection_for(ws), "model": embedder.name, "text_hash": digest,
                 "embedded_at": now}
                for deal_id, _, digest, _ in todo
            ], key=["workspace_id", "deal_id", "model"])
        report.embedded = len(todo)
    if gone:
        index.delete_deals(ws, gone)
        with engine.begin() as conn:
            conn.execute(delete(deal_embeddings).where(deal_embeddings.c.workspace_id == ws,
                                                       deal_embeddings.c.deal_id.in_(gone)))
        report.removed = len(gone)
    report.seconds = time.perf_counter() - started
    return report
