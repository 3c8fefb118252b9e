"""Deal vectors in Qdrant, always searched within one workspace.

Two layouts, chosen by where Qdrant runs:

* local mode (embedded, `$VECTOROS_HOME/qdrant`): one collection per workspace.
  Local mode scans every point and a payload filter over a shared collection
  cost ~870 ms at 50k points (STACK.md), so the collection itself is the
  tenant boundary.
* server (`QDRANT_URL`): one shared collection with a tenant-indexed
  `workspace_id` payload (`is_tenant=True`), as Qdrant recommends, and every
  search filtered on it.

Point ids are uuid5 of "<workspace_id>:<deal_id>", so re-embedding a deal
overwrites its point and ids never collide across workspaces.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from qdrant_client import QdrantClient, models

from vectoros_pipelines.vectors.embedder import DIMENSIONS

POINT_NAMESPACE = uuid.UUID("6f1d2c1e-8f0b-5d7a-9a43-2b1e6c0d7a51")
Layout = Literal["per_workspace", "shared"]


def point_id(workspace_id: int, deal_id: int) -> str:
    return str(uuid.uuid5(POINT_NAMESPACE, f"{workspace_id}:{deal_id}"))


@dataclass(frozen=True)
class DealVector:
    deal_id: int
    vector: np.ndarray
    payload: dict[str, Any] = field(default_factory=dict)  # status, company_key… (workspace_id is added)


@dataclass(frozen=True)
class VectorHit:
    deal_id: int
    score: float  # cosine similarity
    payload: dict[str, Any]


class VectorIndex:
    def __init__(self, client: QdrantClient, layout: Layout, *, prefix: str = "vectoros_deals",
                 dimensions: int = DIMENSIONS) -> None:
        self.client = client
        self.layout = layout
        self.prefix = prefix
        self.dimensions = dimensions
        self._ready: set[str] = set()

    @classmethod
    def local(cls, path: Path | str) -> VectorIndex:
        """Embedded Qdrant under `path` (":memory:" for tests); one process at a time may open it."""
        if str(path) == ":memory:":
            return cls(QdrantClient(location=":memory:"), "per_workspace")
        Path(path).mkdir(parents=True, exist_ok=True)
        return cls(QdrantClient(path=str(path)), "per_workspace")

    @classmethod
    def server(cls, url: str, api_key: str | None = None) -> VectorIndex:
        return cls(QdrantClient(url=url, api_key=api_key), "shared")

    @classmethod
    def from_settings(cls) -> VectorIndex:
        """QDRANT_URL when set, else local mode under $VECTOROS_HOME/qdrant."""
        import os

        from vectoros_pipelines.config import load_settings

        settings = load_settings()
        if settings.qdrant_url:
            return cls.server(settings.qdrant_url, os.environ.get("QDRANT_API_KEY") or None)
        return cls.local(settings.qdrant_path)

    def close(self) -> None:
        self.client.close()

    # -- collections ----------------------------------------------------------------------------------
    def collection_for(self, workspace_id: int) -> str:
        return f"{self.prefix}_ws{workspace_id}" if self.layout == "per_workspace" else self.prefix

    def _ensure(self, workspace_id: int) -> str:
        name = self.collection_for(workspace_id)
        if name in self._ready:
            return name
        if not self.client.collection_exists(name):
            self.client.create_collection(
                name, vectors_config=models.VectorParams(size=self.dimensions, distance=models.Distance.COSINE))
            if self.layout == "shared":
                self.client.create_payload_index(
                    name, "workspace_id",
                    field_schema=models.KeywordIndexParams(type=models.KeywordIndexType.KEYWORD, is_tenant=True))
                self.client.create_payload_index(name, "status", field_schema=models.PayloadSchemaType.KEYWORD)
        self._ready.add(name)
        return name

    def _workspace_filter(self, workspace_id: int, *extra: models.Condition) -> models.Filter | None:
        conditions: list[models.Condition] = list(extra)
        if self.layout == "shared":
            conditions.append(models.FieldCondition(key="workspace_id", match=models.MatchValue(value=str(workspace_id))))
        return models.Filter(must=conditions) if conditions else None

    # -- writes -----------------------------------------------------------------------------------------
    def upsert(self, workspace_id: int, items: Sequence[DealVector]) -> None:
        if not items:
            return
        name = self._ensure(workspace_id)
        points = [
            models.PointStruct(
                id=point_id(workspace_id, item.deal_id), vector=np.asarray(item.vector, dtype=np.float32).tolist(),
                payload=item.payload | {"workspace_id": str(workspace_id), "deal_id": item.deal_id},
            )
            for item in items
        ]
        self.client.upsert(name, points=points, wait=True)

    def delete_deals(self, workspace_id: int, deal_ids: Sequence[int]) -> None:
        name = self.collection_for(workspace_id)
        if not deal_ids or not self.client.collection_exists(name):
            return
        ids: list[models.ExtendedPointId] = [point_id(workspace_id, d) for d in deal_ids]
        self.client.delete(name, points_selector=models.PointIdsList(points=ids), wait=True)

    def delete_workspace(self, workspace_id: int) -> None:
        name = self.collection_for(workspace_id)
        if not self.client.collection_exists(name):
            return
        if self.layout == "per_workspace":
            self.client.delete_collection(name)
            self._ready.discard(name)
            return
        selector = models.FilterSelector(filter=self._workspace_filter(workspace_id))  # type: ignore[arg-type]
        self.client.delete(name, points_selector=selector, wait=True)

    # -- reads ------------------------------------------------------------------------------------------
    def count(self, workspace_id: int) -> int:
        name = self.collection_for(workspace_id)
        if not self.client.collection_exists(name):
            return 0
        return self.client.count(name, count_filter=self._workspace_filter(workspace_id), exact=True).count

    def search(self, workspace_id: int, vector: np.ndarray, *, limit: int = 5,
               open_only: bool = True) -> list[VectorHit]:
        """Nearest deals of this workspace only; open deals only unless asked otherwise."""
        name = self.collection_for(workspace_id)
        if name not in self._ready and not self.client.collection_exists(name):
            return []
        self._ready.add(name)
        extra: list[models.Condition] = []
        fetch = limit
        if open_only and self.layout == "shared":
            extra.append(models.FieldCondition(key="status", match=models.MatchValue(value="open")))
        elif open_only:
            # Local mode: a payload filter costs more than scanning a few extra hits (STACK.md).
            fetch = limit * 4
        response = self.client.query_points(
            name, query=np.asarray(vector, dtype=np.float32).tolist(),
            query_filter=self._workspace_filter(workspace_id, *extra), limit=fetch, with_payload=True)
        hits = []
        for point in response.points:
            payload = point.payload or {}
            # Belt and braces: a hit from another workspace is never returned, whatever the layout.
            if payload.get("workspace_id") != str(workspace_id):
                continue
            if open_only and payload.get("status", "open") != "open":
                continue
            hits.append(VectorHit(int(payload["deal_id"]), float(point.score), payload))
        return hits[:limit]


_SHARED_INDEXES: dict[str, VectorIndex] = {}
_SHARED_LOCK = threading.Lock()


def shared_index(url: str | None = None) -> VectorIndex:
    """The process-wide index for `url` (default: QDRANT_URL, else local mode under $VECTOROS_HOME).

    Local mode locks its folder against a second client, even in the same process,
    so everything in a process (assets, CLI, erasure) shares this one.
    """
    import os

    from vectoros_pipelines.config import load_settings

    url = url or os.environ.get("QDRANT_URL") or None
    key = url or str(load_settings().qdrant_path)
    with _SHARED_LOCK:
        if key not in _SHARED_INDEXES:
            _SHARED_INDEXES[key] = (VectorIndex.server(url, os.environ.get("QDRANT_API_KEY") or None) if url
                                    else VectorIndex.local(key))
        return _SHARED_INDEXES[key]
