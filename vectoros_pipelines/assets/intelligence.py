"""Health scores, insights and revenue forecasts, computed as of the run's clock."""

from typing import Any

import dagster as dg

from vectoros_pipelines.partitions import workspace_partitions
from vectoros_pipelines.resources import Clock, VectorStore, Warehouse
from vectoros_pipelines.storage.intelligence import forecast_workspace, refresh_insights, score_workspace
from vectoros_pipelines.vectors.neighbours import qdrant_neighbours


@dg.asset(
    partitions_def=workspace_partitions,
    deps=["deals"],
    kinds={"python", "scikitlearn", "sql"},
    group_name="intelligence",
)
def deal_health_scores(context: dg.AssetExecutionContext, warehouse: Warehouse, clock: Clock) -> dg.MaterializeResult:
    """A calibrated win probability (0–100) for every open deal, with the drivers behind each score."""
    workspace = warehouse.workspace(context.partition_key)
    run = score_workspace(warehouse.engine, workspace.id, clock.now().date())
    return dg.MaterializeResult(metadata={
        "scored": run.scored, "model_version": run.model_version, "trained_on_closed_deals": run.trained_on,
        "outcomes_filled": run.outcomes_filled, "as_of": clock.now().date().isoformat(),
    })


@dg.asset(
    partitions_def=workspace_partitions,
    deps=[deal_health_scores, "revenue_forecasts", "deal_embeddings"],
    kinds={"python", "sql", "qdrant"},
    group_name="intelligence",
    pool="vectors",
)
def insights(
    context: dg.AssetExecutionContext, warehouse: Warehouse, vectors: VectorStore, clock: Clock
) -> dg.MaterializeResult:
    """Alerts with next actions: stale (vs. similar closed deals in Qdrant), at risk, upsell, slipped, single-threaded…"""
    workspace = warehouse.workspace(context.partition_key)
    neighbours = qdrant_neighbours(warehouse.engine, workspace.id, vectors.index())
    run = refresh_insights(warehouse.engine, workspace.id, clock.now().date(), neighbours=neighbours)
    return dg.MaterializeResult(metadata={
        "opened": run.opened, "updated": run.updated, "resolved": run.resolved,
        "kept_dismissed": run.kept_dismissed, "open_total": run.open_total,
        "by_kind": dg.MetadataValue.json(run.by_kind),
    })


@dg.asset(
    partitions_def=workspace_partitions,
    deps=["deals"],
    kinds={"python", "statsmodels", "sql"},
    group_name="intelligence",
)
def revenue_forecasts(context: dg.AssetExecutionContext, warehouse: Warehouse, clock: Clock) -> dg.MaterializeResult:
    """Likely / best / worst bookings for the next 30, 60 and 90 days, with baselines; past actuals filled in."""
    workspace = warehouse.workspace(context.partition_key)
    run = forecast_workspace(warehouse.engine, workspace.id, clock.now().date())
    metadata: dict[str, Any] = {"actuals_filled": run.actuals_filled}
    for f in run.forecasts:
        metadata[f"likely_{f.horizon_days}d"] = round(f.likely, 2)
        metadata[f"interval_{f.horizon_days}d"] = f"{f.worst:,.0f} – {f.best:,.0f}"
    return dg.MaterializeResult(metadata=metadata)
