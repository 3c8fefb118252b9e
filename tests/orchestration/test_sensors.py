"""Sensors: new files become capture runs for exactly their (workspace, month); repeated ticks ask nothing new."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine

from tests.conftest import FIXTURES
from vectoros_pipelines.capture.mail_capture import capture_mail_month, import_mail_source
from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.sensors.capture_sensors import new_events_sensor, new_mail_sensor
from vectoros_pipelines.sensors.workspace_partitions import workspace_partitions_sensor
from vectoros_pipelines.storage.workspaces import create_workspace

NEW_MESSAGE = """Message-ID: <late-arrival@acme-corp.com>
Date: Mon, 12 Oct 2026 08:00:00 -0400
From: John Smith <john.smith@acme-corp.com>
To: sarah@northwind.example
Subject: One more question

Can we start in November?
"""


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as inst:
        yield inst


def _tick(sensor: dg.SensorDefinition, instance: dg.DagsterInstance):
    context = dg.build_sensor_context(instance=instance, resources={"warehouse": Warehouse()})
    return sensor(context)


def test_partitions_follow_the_workspaces_table(engine: Engine, instance: dg.DagsterInstance) -> None:
    with engine.begin() as conn:
        create_workspace(conn, "Alpha", ["alpha.com"])
    result = _tick(workspace_partitions_sensor, instance)
    assert result.dynamic_partitions_requests[0].partition_keys == ["alpha"]
    instance.add_dynamic_partitions("workspaces", ["alpha", "gone"])
    result = _tick(workspace_partitions_sensor, instance)
    assert isinstance(result.dynamic_partitions_requests[0], dg.DeleteDynamicPartitionsRequest)
    assert result.dynamic_partitions_requests[0].partition_keys == ["gone"]


def test_new_mail_file_requests_its_month_once(engine: Engine, instance: dg.DagsterInstance, tmp_path: Path) -> None:
    with engine.begin() as conn:
        workspace = create_workspace(conn, "Northwind", ["northwind.example"])
    instance.add_dynamic_partitions("workspaces", ["northwind"])
    folder = tmp_path / "mail"
    shutil.copytree(FIXTURES / "mail" / "basic", folder)
    import_mail_source(engine, workspace, folder)

    assert isinstance(_tick(new_mail_sensor, instance), dg.SkipReason)

    (folder / "late.eml").write_text(NEW_MESSAGE)
    first = _tick(new_mail_sensor, instance)
    [request] = first.run_requests
    assert request.partition_key == dg.MultiPartitionKey({"workspace": "northwind", "month": "2026-10"})
    assert request.asset_selection == [dg.AssetKey("captured_emails")]
    # A repeated tick before the run finishes asks for the same run key, which Dagster runs once.
    assert [r.run_key for r in _tick(new_mail_sensor, instance).run_requests] == [request.run_key]

    capture_mail_month(engine, workspace, "2026-10")
    assert isinstance(_tick(new_mail_sensor, instance), dg.SkipReason)


def test_changed_calendar_requests_its_months(engine: Engine, instance: dg.DagsterInstance, tmp_path: Path) -> None:
    from vectoros_pipelines.capture.calendar_capture import import_calendar_source

    with engine.begin() as conn:
        workspace = create_workspace(conn, "Northwind", ["northwind.example"])
    instance.add_dynamic_partitions("workspaces", ["northwind"])
    folder = tmp_path / "cal"
    folder.mkdir()
    shutil.copy(FIXTURES / "calendar" / "basic" / "team.ics", folder / "team.ics")
    import_calendar_source(engine, workspace, folder)
    assert isinstance(_tick(new_events_sensor, instance), dg.SkipReason)
    path = folder / "team.ics"
    path.write_text(path.read_text().replace("SUMMARY:Acme Corp demo", "SUMMARY:Acme Corp demo (moved)"))
    months = sorted(r.partition_key.keys_by_dimension["month"] for r in _tick(new_events_sensor, instance).run_requests)
    assert months == ["2026-10", "2026-11"]
