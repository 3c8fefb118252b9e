"""Closed deals most like an open one, from Qdrant: what the stale-deal insight measures its risk against.

"Deals like this one that went this quiet were lost N % of the time" — the
neighbours are the nearest closed deals of the same workspace by MiniLM vector,
each with the longest silence it went through before it closed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from qdrant_client import models
from sqlalchemy import Engine

from vectoros_pipelines.insights.rules import Neighbour, NeighbourSource
from vectoros_pipelines.scoring.records import ActivityRecord, DealRecord
from vectoros_pipelines.storage.intelligence import load_activities, load_deals
from vectoros_pipelines.vectors.index import VectorIndex, point_id

CLOSED = ("won", "lost")


def longest_quiet_days(times: Sequence[datetime], closed_at: datetime | None) -> int:
    """The longest gap between touches of a deal, up to its close."""
    points = sorted(times) + ([closed_at] if closed_at else [])
    return max((int((b - a).total_seconds() // 86400) for a, b in zip(points, points[1:], strict=False)), default=0)


def quiet_days_by_deal(deals: Sequence[DealRecord], activities: Mapping[int, Sequence[ActivityRecord]]) -> dict[int, int]:
    return {
        d.id: longest_quiet_days([a.occurred_at for a in activities.get(d.id, ())], d.closed_at)
        for d in deals if d.status in CLOSED
    }


def qdrant_neighbours(engine: Engine, workspace_id: int, index: VectorIndex, *, limit: int = 15) -> NeighbourSource:
    """A NeighbourSource for the insight rules; every search is confined to this workspace's closed deals."""
    with engine.connect() as conn:
        deals = load_deals(conn, workspace_id)
        quiet = quiet_days_by_deal(deals, load_activities(conn, workspace_id))
    collection = index.collection_for(workspace_id)
    if not quiet or not index.client.collection_exists(collection):
        return lambda _deal: []
    closed_only = [models.FieldCondition(key="status", match=models.MatchAny(any=list(CLOSED)))]

    def neighbours(deal: DealRecord) -> list[Neighbour]:
        found = index.client.retrieve(collection, ids=[point_id(workspace_id, deal.id)], with_vectors=True)
        if not found or found[0].vector is None:
            return []
        response = index.client.query_points(
            collection, query=list(found[0].vector), limit=limit, with_payload=True,  # type: ignore[arg-type]
            query_filter=index._workspace_filter(workspace_id, *closed_only),  # noqa: SLF001 - the index's own tenant filter
        )
        out = []
        for point in response.points:
            payload = point.payload or {}
            other = payload.get("deal_id")
            if payload.get("workspace_id") != str(workspace_id) or other == deal.id or other not in quiet:
                continue
            out.append(Neighbour(deal_id=other, status=payload.get("status", ""),
                                 longest_quiet_days=quiet[other], similarity=float(point.score)))
        return out

    return neighbours
