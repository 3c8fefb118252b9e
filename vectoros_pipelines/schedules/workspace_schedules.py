"""The hourly monitor and the 08:00 forecast, per workspace."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg

from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.storage.workspaces import Workspace, list_workspaces

MONITOR_ASSETS = ["deal_health_scores", "insights"]
FORECAST_ASSETS = ["revenue_forecasts"]
FORECAST_HOUR = 8
TICK_MINUTES = 15  # fine enough for zones offset by :30 and :45 (India, Nepal)
IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _active(warehouse: Warehouse, context: dg.ScheduleEvaluationContext) -> list[Workspace]:
    known = set(context.instance.get_dynamic_partitions("workspaces"))
    with warehouse.engine.connect() as conn:
        return [w for w in list_workspaces(conn, active_only=True) if w.slug in known]


def _busy(context: dg.ScheduleEvaluationContext, slug: str, job: str) -> bool:
    runs = context.instance.get_run_records(
        filters=dg.RunsFilter(statuses=IN_FLIGHT, tags={"vectoros/workspace": slug, "vectoros/job": job}),
        limit=1,
    )
    return bool(runs)


@dg.schedule(
    cron_schedule="0 * * * *",
    target=MONITOR_ASSETS,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def hourly_monitor_schedule(
    context: dg.ScheduleEvaluationContext, warehouse: Warehouse
) -> list[dg.RunRequest] | dg.SkipReason:
    """Health scores and insights for every active workspace, every hour; a workspace still running is skipped."""
    when = context.scheduled_execution_time
    requests, skipped = [], []
    for workspace in _active(warehouse, context):
        if _busy(context, workspace.slug, "monitor"):
            skipped.append(workspace.slug)
            continue
        requests.append(dg.RunRequest(
            run_key=f"monitor:{workspace.slug}:{when.isoformat()}",
            partition_key=workspace.slug,
            tags={"vectoros/workspace": workspace.slug, "vectoros/job": "monitor"},
        ))
    if not requests:
        reason = f"still running: {', '.join(skipped)}" if skipped else "no active workspaces"
        return dg.SkipReason(reason)
    if skipped:
        context.log.info(f"skipped (previous run still going): {', '.join(skipped)}")
    return requests


def forecast_due(workspace: Workspace, instant: datetime) -> str | None:
    """The local date whose 08:00 falls in the tick starting at `instant`, if any (DST-safe)."""
    local = instant.astimezone(ZoneInfo(workspace.timezone))
    window_end = (instant + timedelta(minutes=TICK_MINUTES)).astimezone(ZoneInfo(workspace.timezone))
    target = local.replace(hour=FORECAST_HOUR, minute=0, second=0, microsecond=0)
    if local <= target < window_end:
        return local.date().isoformat()
    # The day after a tick may also hold 08:00 when the window spans midnight (never with 15-minute ticks).
    return None


@dg.schedule(
    cron_schedule=f"*/{TICK_MINUTES} * * * *",
    target=FORECAST_ASSETS,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def morning_forecast_schedule(
    context: dg.ScheduleEvaluationContext, warehouse: Warehouse
) -> list[dg.RunRequest] | dg.SkipReason:
    """The revenue forecast at 08:00 in each workspace's own time zone."""
    when = context.scheduled_execution_time
    requests = []
    for workspace in _active(warehouse, context):
        local_day = forecast_due(workspace, when)
        if local_day is None:
            continue
        requests.append(dg.RunRequest(
            run_key=f"forecast:{workspace.slug}:{local_day}",
            partition_key=workspace.slug,
            tags={"vectoros/workspace": workspace.slug, "vectoros/job": "forecast"},
        ))
    return requests or dg.SkipReason("08:00 is not now in any workspace's time zone")
