"""The Qdrant deal index: workspace isolation, idempotent upserts, deletes, both layouts."""

from __future__ import annotations

import numpy as np
import pytest
from qdrant_client import QdrantClient

from vectoros_pipelines.vectors.index import DealVector, VectorIndex, point_id


def _unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture(params=["per_workspace", "shared"])
def index(request: pytest.FixtureRequest) -> VectorIndex:
    # The shared layout is what a Qdrant server gets; local mode runs the same calls.
    return VectorIndex(QdrantClient(location=":memory:"), request.param)


def test_point_ids_are_deterministic_and_never_collide_across_workspaces() -> None:
    assert point_id(1, 7) == point_id(1, 7)
    assert point_id(1, 7) != point_id(2, 7)


def test_search_stays_inside_its_workspace(index: VectorIndex) -> None:
    same = _unit(1)
    index.upsert(1, [DealVector(10, same, {"status": "open"})])
    index.upsert(2, [DealVector(20, same, {"status": "open"})])
    assert [h.deal_id for h in index.search(1, same)] == [10]
    assert [h.deal_id for h in index.search(2, same)] == [20]
    assert index.search(3, same) == []


def test_upserts_are_idempotent_and_closed_deals_are_not_search_targets(index: VectorIndex) -> None:
    for _ in range(2):
        index.upsert(1, [DealVector(1, _unit(1), {"status": "open"}), DealVector(2, _unit(2), {"status": "won"})])
    assert index.count(1) == 2
    assert [h.deal_id for h in index.search(1, _unit(2), limit=5)] == [1]
    assert {h.deal_id for h in index.search(1, _unit(2), open_only=False)} == {1, 2}


def test_delete_by_deal_and_by_workspace(index: VectorIndex) -> None:
    index.upsert(1, [DealVector(1, _unit(1)), DealVector(2, _unit(2))])
    index.upsert(2, [DealVector(3, _unit(3))])
    index.delete_deals(1, [1])
    assert index.count(1) == 1
    index.delete_workspace(1)
    assert index.count(1) == 0 and index.count(2) == 1


def test_local_mode_uses_one_collection_per_workspace(tmp_path) -> None:
    index = VectorIndex.local(tmp_path / "qdrant")
    try:
        assert index.collection_for(1) != index.collection_for(2)
        index.upsert(1, [DealVector(1, _unit(1))])
        assert index.count(1) == 1
    finally:
        index.close()
