"""Raw capture, partitioned by workspace × month: the path historical backfills take."""

import dagster as dg

from vectoros_pipelines.capture.calendar_capture import capture_calendar_month
from vectoros_pipelines.capture.mail_capture import capture_mail_month
from vectoros_pipelines.capture.sources import CaptureReport
from vectoros_pipelines.partitions import MONTH_DIMENSION, WORKSPACE_DIMENSION, capture_partitions
from vectoros_pipelines.resources import Warehouse


def _keys(context: dg.AssetExecutionContext) -> tuple[str, str]:
    key = context.partition_key
    assert isinstance(key, dg.MultiPartitionKey)
    return key.keys_by_dimension[WORKSPACE_DIMENSION], key.keys_by_dimension[MONTH_DIMENSION]


def _result(report: CaptureReport, check_name: str, noun: str) -> dg.MaterializeResult:
    quarantined = report.counts.quarantined
    return dg.MaterializeResult(
        metadata=report.as_metadata() | {"first_errors": dg.MetadataValue.md(
            "\n".join(f"* {e}" for e in report.counts.errors[:10]) or "none")},
        check_results=[dg.AssetCheckResult(
            check_name=check_name,
            passed=quarantined == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"quarantined": quarantined},
            description=(f"{quarantined} {noun} could not be parsed and are quarantined "
                         "(see `vectoros status`)") if quarantined else f"every {noun[:-1]} parsed",
        )],
    )


@dg.asset(
    partitions_def=capture_partitions,
    kinds={"python", "sql"},
    group_name="capture",
    check_specs=[dg.AssetCheckSpec("no_quarantined_messages", asset="captured_emails")],
    pool="warehouse_capture",
)
def captured_emails(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Every message of the workspace's mail sources dated in this month, stored once and encrypted."""
    slug, month = _keys(context)
    report = capture_mail_month(warehouse.engine, warehouse.workspace(slug), month)
    context.log.info(f"{slug} {month}: {report.as_metadata()}")
    return _result(report, "no_quarantined_messages", "messages")


@dg.asset(
    partitions_def=capture_partitions,
    kinds={"python", "sql"},
    group_name="capture",
    check_specs=[dg.AssetCheckSpec("no_quarantined_events", asset="captured_calendar_events")],
    pool="warehouse_capture",
)
def captured_calendar_events(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Every calendar event occurrence starting in this month, keyed by (UID, RECURRENCE-ID)."""
    slug, month = _keys(context)
    report = capture_calendar_month(warehouse.engine, warehouse.workspace(slug), month)
    return _result(report, "no_quarantined_events", "events")
