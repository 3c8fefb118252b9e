"""Stale-deal neighbours come from Qdrant: closed deals of the same workspace only, with their longest silence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from qdrant_client import QdrantClient
from sqlalchemy import Engine

from vectoros_pipelines.scoring.records import DealRecord
from vectoros_pipelines.storage.schema import activities, deals
from vectoros_pipelines.storage.workspaces import create_workspace
from vectoros_pipelines.vectors.index import DealVector, VectorIndex
from vectoros_pipelines.vectors.neighbours import longest_quiet_days, qdrant_neighbours

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def test_longest_quiet_days_counts_up_to_the_close() -> None:
    days = [T0, T0 + timedelta(days=3), T0 + timedelta(days=10)]
    assert longest_quiet_days(days, T0 + timedelta(days=40)) == 30
    assert longest_quiet_days([], None) == 0


def _seed(engine: Engine, name: str, domain: str) -> tuple[int, dict[str, int]]:
    with engine.begin() as conn:
        ws = create_workspace(conn, name, [domain])
        ids = {}
        for key, status, quiet in (("open", "open", 0), ("lost", "lost", 45), ("won", "won", 5)):
            ids[key] = conn.execute(deals.insert().values(
                workspace_id=ws.id, company=f"{key} co", stage="proposal", status=status,
                closed_at=T0 + timedelta(days=60) if status != "open" else None)).inserted_primary_key[0]
            conn.execute(activities.insert(), [
                {"workspace_id": ws.id, "deal_id": ids[key], "kind": "email_in",
                 "occurred_at": T0 + timedelta(days=58 - quiet)},
                {"workspace_id": ws.id, "deal_id": ids[key], "kind": "email_in",
                 "occurred_at": T0 + timedelta(days=60 - quiet)},
            ])
    return ws.id, ids


@pytest.mark.parametrize("layout", ["per_workspace", "shared"])
def test_neighbours_are_closed_deals_of_the_same_workspace(engine: Engine, layout: str) -> None:
    index = VectorIndex(QdrantClient(location=":memory:"), layout)  # type: ignore[arg-type]
    a, a_ids = _seed(engine, "Alpha", "alpha.com")
    b, b_ids = _seed(engine, "Beta", "beta.com")
    same = np.ones(384, dtype=np.float32) / np.sqrt(384)
    for ws, ids in ((a, a_ids), (b, b_ids)):
        index.upsert(ws, [DealVector(i, same, {"status": key if key != "open" else "open"}) for key, i in ids.items()])
    source = qdrant_neighbours(engine, a, index)
    found = source(DealRecord(id=a_ids["open"], status="open", stage="proposal", value=None, opened_at=T0))
    assert sorted((n.deal_id, n.status, n.longest_quiet_days) for n in found) == sorted(
        [(a_ids["lost"], "lost", 45), (a_ids["won"], "won", 5)])
    assert not {n.deal_id for n in found} & set(b_ids.values())
