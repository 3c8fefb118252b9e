"""Raw capture, partitioned by workspace × month: the path historical backfills and live syncs take.

A month's run (re)captures that month from the workspace's file sources; the
current month's run also syncs connected accounts (Gmail, IMAP, Google Calendar)
from their cursors, and checks that what the provider listed was captured.
"""

from datetime import UTC, datetime
from typing import Any

import dagster as dg

from vectoros_pipelines.capture.calendar_capture import capture_calendar_month
from vectoros_pipelines.capture.live import LIVE_PROVIDERS, current_month, stale_after, sync_live
from vectoros_pipelines.capture.mail_capture import capture_mail_month
from vectoros_pipelines.capture.sources import CaptureReport
from vectoros_pipelines.connectors.sync import SyncReport
from vectoros_pipelines.partitions import MONTH_DIMENSION, WORKSPACE_DIMENSION, capture_partitions
from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.storage.integrations import list_integrations
from vectoros_pipelines.storage.workspaces import Workspace


def _keys(context: dg.AssetExecutionContext) -> tuple[str, str]:
    # A run launched with only the "dagster/partition" tag (GraphQL, "sync now") carries the key as a string.
    key = capture_partitions.get_partition_key_from_str(str(context.partition_key))
    return key.keys_by_dimension[WORKSPACE_DIMENSION], key.keys_by_dimension[MONTH_DIMENSION]


def _quarantine_check(name: str, report: CaptureReport, noun: str) -> dg.AssetCheckResult:
    quarantined = report.counts.quarantined
    return dg.AssetCheckResult(
        check_name=name, passed=quarantined == 0, severity=dg.AssetCheckSeverity.WARN,
        metadata={"quarantined": quarantined},
        description=(f"{quarantined} {noun} could not be parsed and are quarantined (see `vectoros status`)"
                     if quarantined else f"every {noun[:-1]} parsed"),
    )


def _completeness_check(name: str, warehouse: Warehouse, workspace: Workspace, kind: str,
                        reports: list[SyncReport]) -> dg.AssetCheckResult:
    """Fails when a provider listed items that were not captured, a sync failed, or an account went quiet."""
    problems = [f"{r.provider} {r.account}: {r.outcome}" + (f" ({r.error})" if r.error else "")
                for r in reports if r.outcome != "ok"]
    problems += [f"{r.provider} {r.account}: {r.gap} listed by the provider but not captured"
                 for r in reports if r.gap]
    with warehouse.engine.connect() as conn:
        accounts = [i for i in list_integrations(conn, workspace.id, kind=kind)
                    if i.provider in LIVE_PROVIDERS[kind] and i.status != "disconnected"]
    cutoff = datetime.now(UTC) - stale_after()
    problems += [f"{i.provider} {i.account}: last sync {i.last_sync_at or 'never'}"
                 for i in accounts if i.last_sync_at is None or i.last_sync_at < cutoff]
    return dg.AssetCheckResult(
        check_name=name, passed=not problems,
        metadata={"accounts": len(accounts), "synced": len(reports),
                  "gap": sum(r.gap for r in reports), "problems": dg.MetadataValue.md(
                      "\n".join(f"* {p}" for p in problems) or "none")},
        description="; ".join(problems[:3]) or f"{len(accounts)} connected account(s) complete and fresh",
    )


def _capture(context: dg.AssetExecutionContext, warehouse: Warehouse, kind: str) -> dg.MaterializeResult:
    slug, month = _keys(context)
    workspace = warehouse.workspace(slug)
    capture = capture_mail_month if kind == "mail" else capture_calendar_month
    report = capture(warehouse.engine, workspace, month)
    live = month == current_month()
    syncs: list[SyncReport] = sync_live(warehouse.engine, workspace, kind) if live else []
    metadata: dict[str, Any] = report.as_metadata() | {
        "first_errors": dg.MetadataValue.md("\n".join(f"* {e}" for e in report.counts.errors[:10]) or "none"),
        "live_accounts_synced": len(syncs), "live_new": sum(r.new for r in syncs),
        "live_updated": sum(r.updated for r in syncs), "live_failed": sum(r.failed for r in syncs),
    }
    noun = "messages" if kind == "mail" else "events"
    return dg.MaterializeResult(metadata=metadata, check_results=[
        _quarantine_check(f"no_quarantined_{noun}", report, noun),
        _completeness_check(f"live_{kind}_sync_complete", warehouse, workspace, kind, syncs) if live
        else dg.AssetCheckResult(check_name=f"live_{kind}_sync_complete", passed=True,
                                 description="live accounts sync with the current month's partition"),
    ])


@dg.asset(
    partitions_def=capture_partitions,
    kinds={"python", "sql"},
    group_name="capture",
    check_specs=[dg.AssetCheckSpec("no_quarantined_messages", asset="captured_emails"),
                 dg.AssetCheckSpec("live_mail_sync_complete", asset="captured_emails")],
    pool="warehouse_capture",
)
def captured_emails(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Every message of the workspace dated in this month, stored once and encrypted (+ live sync this month)."""
    return _capture(context, warehouse, "mail")


@dg.asset(
    partitions_def=capture_partitions,
    kinds={"python", "sql"},
    group_name="capture",
    check_specs=[dg.AssetCheckSpec("no_quarantined_events", asset="captured_calendar_events"),
                 dg.AssetCheckSpec("live_calendar_sync_complete", asset="captured_calendar_events")],
    pool="warehouse_capture",
)
def captured_calendar_events(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Every calendar event occurrence starting in this month, keyed by (UID, RECURRENCE-ID) (+ live sync)."""
    return _capture(context, warehouse, "calendar")
