"""Sensors that notice new or changed files in registered sources and request capture runs."""

import dagster as dg

from vectoros_pipelines.capture.scan import scan_sources
from vectoros_pipelines.capture.sources import CALENDAR_FILES, MAIL_FILES, pending_months
from vectoros_pipelines.partitions import capture_key
from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.storage.workspaces import list_workspaces


def _file_source_sensor(
    context: dg.SensorEvaluationContext, warehouse: Warehouse, provider: str, asset: str,
) -> dg.SensorResult | dg.SkipReason:
    engine = warehouse.engine
    with engine.connect() as conn:
        workspaces = list_workspaces(conn, active_only=True)
    known = set(context.instance.get_dynamic_partitions("workspaces"))
    requests = []
    for workspace in workspaces:
        if workspace.slug not in known:
            continue  # the partitions sensor adds it first; its sources are picked up next tick
        scan_sources(engine, workspace, provider)
        for month, token in sorted(pending_months(engine, workspace, provider).items()):
            requests.append(dg.RunRequest(
                run_key=f"{asset}:{workspace.slug}:{month}:{token}",
                partition_key=capture_key(workspace.slug, month),
                asset_selection=[dg.AssetKey(asset)],
                tags={"vectoros/workspace": workspace.slug, "vectoros/trigger": "new_files"},
            ))
    if not requests:
        return dg.SkipReason(f"no new or changed files in {len(workspaces)} workspace(s)")
    return dg.SensorResult(run_requests=requests)


@dg.sensor(
    target=["captured_emails"],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_mail_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse) -> dg.SensorResult | dg.SkipReason:
    """Requests a capture run for each (workspace, month) whose mail files are new or changed."""
    return _file_source_sensor(context, warehouse, MAIL_FILES, "captured_emails")


@dg.sensor(
    target=["captured_calendar_events"],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_events_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse) -> dg.SensorResult | dg.SkipReason:
    """Requests a capture run for each (workspace, month) whose calendar files are new or changed."""
    return _file_source_sensor(context, warehouse, CALENDAR_FILES, "captured_calendar_events")
