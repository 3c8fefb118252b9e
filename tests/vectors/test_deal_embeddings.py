"""embed_deals with the real MiniLM model: only changed deals are encoded, merged deals leave the index."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, update

from tests.matching.builders import Mail, deal_result, make_workspace, store_mail
from vectoros_pipelines.matching.service import match_workspace
from vectoros_pipelines.storage.schema import deal_embeddings, deals
from vectoros_pipelines.vectors.deal_embeddings import embed_deals
from vectoros_pipelines.vectors.embedder import shared_embedder
from vectoros_pipelines.vectors.index import VectorIndex


@pytest.fixture(scope="module")
def embedder():
    return shared_embedder()


def test_embeds_changed_deals_only_and_semantic_search_finds_them(engine: Engine, embedder) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("v1", "john@acme.com", ["rep@seller.io"], "Warehouse analytics rollout", 0,
             deal_result("Acme Logistics", "acme.com", "john@acme.com", product="Enterprise plan")),
        Mail("v2", "ann@zenith.org", ["rep@seller.io"], "School district reporting", 1,
             deal_result("Zenith Schools", "zenith.org", "ann@zenith.org")),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    index = VectorIndex.local(":memory:")
    first = embed_deals(engine, ws, index, embedder)
    assert (first.embedded, first.unchanged) == (2, 0)
    assert embed_deals(engine, ws, index, embedder).embedded == 0
    with engine.begin() as conn:
        acme = conn.execute(select(deals.c.id).where(deals.c.domain == "acme.com")).scalar_one()
        conn.execute(update(deals).where(deals.c.id == acme).values(status="won"))
    assert embed_deals(engine, ws, index, embedder).embedded == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(deal_embeddings)).scalar_one() == 2
    query = embedder.encode(["reporting for a school district"])[0]
    hits = index.search(ws.id, query, open_only=False)
    assert hits[0].payload["company_key"] == "zenith schools"


def test_a_look_alike_message_links_through_the_index(engine: Engine, embedder) -> None:
    """A confident message from a new address with a near-identical company name joins the existing deal."""
    ws = make_workspace(engine)
    store_mail(engine, ws, [Mail("n1", "cfo@helios-solar.de", ["rep@seller.io"], "Solar fleet monitoring", 0,
                                 deal_result("Helios Solar", "helios-solar.de", "cfo@helios-solar.de"))])
    match_workspace(engine, ws, index=None, embedder=None)
    index = VectorIndex.local(":memory:")
    embed_deals(engine, ws, index, embedder)
    store_mail(engine, ws, [Mail("n2", "einkauf@helios-group.com", ["rep@seller.io"], "Solar fleet monitoring order",
                                 3, deal_result("Helios Solar Group", "helios-group.com", "einkauf@helios-group.com"))])
    report = match_workspace(engine, ws, index=index, embedder=embedder)
    assert report.semantic_searches == 1 and report.linked == 1 and report.created == 0
