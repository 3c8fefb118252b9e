"""Sensors that notice new mail and events — in registered files and connected accounts — and request capture runs."""

from datetime import UTC, datetime

import dagster as dg
from sqlalchemy import Engine

from vectoros_pipelines.capture.live import LIVE_PROVIDERS, current_month
from vectoros_pipelines.capture.scan import scan_sources
from vectoros_pipelines.capture.sources import CALENDAR_FILES, MAIL_FILES, pending_months
from vectoros_pipelines.connectors.sync import probe_integration
from vectoros_pipelines.partitions import capture_key
from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.schedules.workspace_schedules import IN_FLIGHT
from vectoros_pipelines.storage.integrations import list_integrations
from vectoros_pipelines.storage.workspaces import Workspace, list_workspaces


def _live_news(engine: Engine, workspace: Workspace, kind: str, reasons: list[str]) -> bool:
    """Asks each connected account the cheapest "anything new?" question (history id, sync token, UIDNEXT)."""
    with engine.connect() as conn:
        accounts = [i for i in list_integrations(conn, workspace.id, kind=kind, statuses=("active", "error"))
                    if i.provider in LIVE_PROVIDERS[kind]]
    news = False
    for account in accounts:
        result = probe_integration(engine, account)
        reasons.append(f"{workspace.slug} {account.provider} {account.account}: {result.reason}")
        news = news or result.has_news
    return news


def _in_flight(context: dg.SensorEvaluationContext, asset: str, slug: str, month: str) -> bool:
    return bool(context.instance.get_run_records(filters=dg.RunsFilter(
        statuses=IN_FLIGHT,
        tags={"vectoros/workspace": slug, "vectoros/trigger": "live", "vectoros/asset": asset, "vectoros/month": month},
    ), limit=1))


def _capture_sensor(
    context: dg.SensorEvaluationContext, warehouse: Warehouse, kind: str, provider: str, asset: str,
) -> dg.SensorResult | dg.SkipReason:
    engine = warehouse.engine
    with engine.connect() as conn:
        workspaces = list_workspaces(conn, active_only=True)
    known = set(context.instance.get_dynamic_partitions("workspaces"))
    requests, reasons = [], []
    for workspace in workspaces:
        if workspace.slug not in known:
            reasons.append(f"{workspace.slug}: partition not registered yet")
            continue
        scan_sources(engine, workspace, provider)
        for month, token in sorted(pending_months(engine, workspace, provider).items()):
            requests.append(dg.RunRequest(
                run_key=f"{asset}:{workspace.slug}:{month}:{token}",
                partition_key=capture_key(workspace.slug, month),
                asset_selection=[dg.AssetKey(asset)],
                tags={"vectoros/workspace": workspace.slug, "vectoros/trigger": "new_files"},
            ))
        month = current_month()
        if _live_news(engine, workspace, kind, reasons):
            if _in_flight(context, asset, workspace.slug, month):
                reasons.append(f"{workspace.slug}: a live capture run is still going")
                continue
            requests.append(dg.RunRequest(
                # Unique per tick: the in-flight check above is what keeps runs from stacking.
                run_key=f"{asset}:{workspace.slug}:{month}:live:{datetime.now(UTC):%Y%m%dT%H%M%S}",
                partition_key=capture_key(workspace.slug, month),
                asset_selection=[dg.AssetKey(asset)],
                tags={"vectoros/workspace": workspace.slug, "vectoros/trigger": "live", "vectoros/asset": asset,
                      "vectoros/month": month},
            ))
    if not requests:
        detail = "; ".join(reasons[:5])
        return dg.SkipReason(f"nothing new in {len(workspaces)} workspace(s)" + (f" — {detail}" if detail else ""))
    return dg.SensorResult(run_requests=requests)


@dg.sensor(target=["captured_emails"], minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def new_mail_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse) -> dg.SensorResult | dg.SkipReason:
    """Requests capture runs for (workspace, month)s with new or changed mail files, or news in a connected mailbox."""
    return _capture_sensor(context, warehouse, "mail", MAIL_FILES, "captured_emails")


@dg.sensor(target=["captured_calendar_events"], minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING)
def new_events_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse) -> dg.SensorResult | dg.SkipReason:
    """Requests capture runs for (workspace, month)s with new or changed calendar files or calendar news."""
    return _capture_sensor(context, warehouse, "calendar", CALENDAR_FILES, "captured_calendar_events")
