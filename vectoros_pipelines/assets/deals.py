"""Deals: messages and meetings linked to deals (created, updated, merged), and their vectors."""

import dagster as dg
from sqlalchemy import func, select

from vectoros_pipelines.matching.service import match_workspace
from vectoros_pipelines.partitions import workspace_partitions
from vectoros_pipelines.resources import EmbedderResource, VectorStore, Warehouse
from vectoros_pipelines.storage.schema import activities
from vectoros_pipelines.storage.schema import deals as deals_table
from vectoros_pipelines.vectors.deal_embeddings import embed_deals


class MatchConfig(dg.Config):
    create_threshold: float = 0.8  # a message creates a deal only when the extractor is at least this sure


@dg.asset(
    partitions_def=workspace_partitions,
    deps=["message_extractions", "event_extractions"],
    kinds={"python", "sql", "qdrant"},
    group_name="deals",
    automation_condition=dg.AutomationCondition.eager(),
    check_specs=[dg.AssetCheckSpec("no_orphan_activities", asset="deals")],
    pool="vectors",
)
def deals(
    context: dg.AssetExecutionContext, config: MatchConfig, warehouse: Warehouse, vectors: VectorStore,
    embedder: EmbedderResource,
) -> dg.MaterializeResult:
    """Links each newly extracted deal-related message or meeting to its deal, creating or merging deals as needed."""
    engine = warehouse.engine
    workspace = warehouse.workspace(context.partition_key)
    report = match_workspace(engine, workspace, index=vectors.index(), embedder=embedder.get(),
                             create_threshold=config.create_threshold)
    with engine.connect() as conn:
        orphans = conn.execute(
            select(func.count()).select_from(activities)
            .join(deals_table, deals_table.c.id == activities.c.deal_id)
            .where(activities.c.workspace_id == workspace.id, deals_table.c.merged_into.is_not(None))
        ).scalar_one()
    return dg.MaterializeResult(
        metadata=report.as_metadata(),
        check_results=[dg.AssetCheckResult(
            check_name="no_orphan_activities", passed=orphans == 0, metadata={"activities_on_merged_deals": orphans},
            description="every activity belongs to a live (not merged-away) deal",
        )],
    )


@dg.asset(
    partitions_def=workspace_partitions,
    deps=[deals],
    kinds={"python", "qdrant"},
    group_name="deals",
    automation_condition=dg.AutomationCondition.eager(),
    pool="vectors",
)
def deal_embeddings(
    context: dg.AssetExecutionContext, warehouse: Warehouse, vectors: VectorStore, embedder: EmbedderResource,
) -> dg.MaterializeResult:
    """MiniLM vectors of each deal whose text changed, in the workspace's Qdrant collection (deterministic ids)."""
    report = embed_deals(warehouse.engine, warehouse.workspace(context.partition_key), vectors.index(), embedder.get())
    return dg.MaterializeResult(metadata=report.as_metadata())
