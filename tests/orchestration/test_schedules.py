"""The 08:00 forecast follows each workspace's clock, across DST; the monitor skips busy workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest
from sqlalchemy import Engine

from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.schedules.workspace_schedules import (
    forecast_due,
    hourly_monitor_schedule,
    morning_forecast_schedule,
)
from vectoros_pipelines.storage.workspaces import Workspace, create_workspace


def _ws(tz: str) -> Workspace:
    return Workspace(id=1, slug="w", name="W", domains=("w.com",), timezone=tz, status="active")


def _due_ticks(tz: str, day: str) -> list[str]:
    start = datetime.fromisoformat(day).replace(tzinfo=UTC) - timedelta(hours=14)
    ticks = [start + timedelta(minutes=15 * i) for i in range(4 * 48)]
    return [t.strftime("%Y-%m-%d %H:%M") for t in ticks if forecast_due(_ws(tz), t) == day]


@pytest.mark.parametrize(("tz", "day", "expected"), [
    ("America/New_York", "2026-03-07", "2026-03-07 13:00"),  # EST, UTC-5
    ("America/New_York", "2026-03-09", "2026-03-09 12:00"),  # EDT after the March switch, UTC-4
    ("Europe/Berlin", "2026-10-24", "2026-10-24 06:00"),     # CEST, UTC+2
    ("Europe/Berlin", "2026-10-26", "2026-10-26 07:00"),     # CET after the October switch, UTC+1
    ("Asia/Kolkata", "2026-06-01", "2026-06-01 02:30"),      # UTC+5:30
    ("Asia/Kathmandu", "2026-06-01", "2026-06-01 02:15"),    # UTC+5:45
])
def test_forecast_runs_once_at_local_eight(tz: str, day: str, expected: str) -> None:
    assert _due_ticks(tz, day) == [expected]


@pytest.fixture
def two_workspaces(engine: Engine) -> Iterator[dg.DagsterInstance]:
    with engine.begin() as conn:
        create_workspace(conn, "East", ["east.com"], "America/New_York")
        create_workspace(conn, "West", ["west.com"], "America/Los_Angeles")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("workspaces", ["east", "west"])
        yield instance


def test_morning_schedule_requests_only_the_workspace_at_eight(two_workspaces: dg.DagsterInstance) -> None:
    at = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 08:00 in New York, 05:00 in Los Angeles
    context = dg.build_schedule_context(instance=two_workspaces, scheduled_execution_time=at,
                                        resources={"warehouse": Warehouse()})
    requests = morning_forecast_schedule(context)
    assert [r.partition_key for r in requests] == ["east"]
    assert requests[0].run_key == "forecast:east:2026-11-25"


def test_hourly_monitor_skips_a_workspace_still_running(two_workspaces: dg.DagsterInstance) -> None:
    at = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    context = dg.build_schedule_context(instance=two_workspaces, scheduled_execution_time=at,
                                        resources={"warehouse": Warehouse()})
    assert sorted(r.partition_key for r in hourly_monitor_schedule(context)) == ["east", "west"]
    two_workspaces.add_run(dg.DagsterRun(job_name="__ASSET_JOB", run_id="busy-east",
                                         status=dg.DagsterRunStatus.STARTED,
                                         tags={"vectoros/workspace": "east", "vectoros/job": "monitor"}))
    context = dg.build_schedule_context(instance=two_workspaces, scheduled_execution_time=at,
                                        resources={"warehouse": Warehouse()})
    assert [r.partition_key for r in hourly_monitor_schedule(context)] == ["west"]
