"""Extraction: what each new message and event says about a deal (per workspace)."""

from typing import Any

import dagster as dg

from vectoros_pipelines.extraction.base import Extractor
from vectoros_pipelines.partitions import workspace_partitions, workspace_slice
from vectoros_pipelines.processing.extract_pending import (
    ExtractReport,
    extract_pending_emails,
    extract_pending_events,
)
from vectoros_pipelines.resources import ExtractorResource, Warehouse


def _metadata(report: ExtractReport, extractor: Extractor) -> dict[str, Any]:
    metadata: dict[str, Any] = report.as_metadata() | {"extractor": f"{extractor.name} {extractor.version}"}
    usage = getattr(extractor, "usage", None)
    if usage is not None:  # Claude: tokens and cost of this run
        metadata |= {k: v for k, v in usage.as_metadata().items() if v is not None}
    if report.errors:
        metadata["first_errors"] = dg.MetadataValue.md("\n".join(f"* {e}" for e in report.errors[:10]))
    return metadata


@dg.asset(
    partitions_def=workspace_partitions,
    deps=[dg.AssetDep("captured_emails", partition_mapping=workspace_slice)],
    kinds={"python", "sql"},
    group_name="extraction",
    automation_condition=dg.AutomationCondition.eager(),
    pool="extractor",
)
def message_extractions(
    context: dg.AssetExecutionContext, warehouse: Warehouse, extractor: ExtractorResource
) -> dg.MaterializeResult:
    """For each newly captured message: is it about a deal, and the company, amount, contact, stage… it states."""
    impl = extractor.build()
    report = extract_pending_emails(warehouse.engine, warehouse.workspace(context.partition_key), impl)
    return dg.MaterializeResult(metadata=_metadata(report, impl))


@dg.asset(
    partitions_def=workspace_partitions,
    deps=[dg.AssetDep("captured_calendar_events", partition_mapping=workspace_slice)],
    kinds={"python", "sql"},
    group_name="extraction",
    automation_condition=dg.AutomationCondition.eager(),
    pool="extractor",
)
def event_extractions(
    context: dg.AssetExecutionContext, warehouse: Warehouse, extractor: ExtractorResource
) -> dg.MaterializeResult:
    """For each newly captured meeting: is it with a customer about a deal, and who attends."""
    impl = extractor.build()
    report = extract_pending_events(warehouse.engine, warehouse.workspace(context.partition_key), impl)
    return dg.MaterializeResult(metadata=_metadata(report, impl))
