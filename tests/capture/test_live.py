"""Live capture glue: connector pages land in the same idempotent rows; sensors probe accounts cheaply."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
import pytest
from sqlalchemy import Engine, select

from tests.conftest import FIXTURES
from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.capture.live import current_month, sinks_for
from vectoros_pipelines.connectors.items import EventCancellation, RawMessage
from vectoros_pipelines.connectors.page import ProbeResult
from vectoros_pipelines.resources import Warehouse
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.sensors import capture_sensors
from vectoros_pipelines.storage.integrations import connect_integration
from vectoros_pipelines.storage.schema import captured_calendar_events, captured_emails
from vectoros_pipelines.storage.workspaces import Workspace, create_workspace


@pytest.fixture
def workspace(engine: Engine) -> Workspace:
    with engine.begin() as conn:
        return create_workspace(conn, "Northwind", ["northwind.example"])


def _integration(engine: Engine, workspace: Workspace, provider: str, account: str):
    with engine.begin() as conn:
        return connect_integration(conn, load_cipher(), workspace.id, provider, account, {"token": "t"})


def test_mail_sink_stores_once_with_labels_and_quarantines_junk(engine: Engine, workspace: Workspace) -> None:
    gmail = _integration(engine, workspace, "gmail", "sarah@northwind.example")
    sinks = sinks_for(workspace)(gmail)
    raw = (FIXTURES / "mail" / "basic" / "deal-1.eml").read_bytes()
    page = [RawMessage("m1", raw, ("INBOX",)), RawMessage("m2", b"\x00\xffnot mail", ("INBOX",))]
    with engine.begin() as conn:
        first = sinks.mail(conn, page)
    with engine.begin() as conn:
        again = sinks.mail(conn, [RawMessage("m1", raw, ("INBOX", "IMPORTANT"))])
    assert (first.new, first.quarantined) == (1, 1)
    assert (again.new, again.updated) == (0, 1)  # only the labels changed
    with engine.connect() as conn:
        row = conn.execute(select(captured_emails).where(captured_emails.c.message_key == "deal-1@acme-corp.com")).one()
    assert row.labels == ["IMPORTANT", "INBOX"] and row.integration_id == gmail.id


def test_calendar_sink_cancels_instead_of_duplicating(engine: Engine, workspace: Workspace) -> None:
    calendar = _integration(engine, workspace, "google_calendar", "sarah@northwind.example")
    sinks = sinks_for(workspace)(calendar)
    event = ParsedEvent(uid="evt1", recurrence_id="", summary="Acme demo", description="", location=None,
                        starts_at=datetime(2026, 10, 8, 15, tzinfo=UTC), ends_at=None, all_day=False,
                        status="confirmed", organizer=None)
    with engine.begin() as conn:
        assert sinks.calendar(conn, [event]).new == 1
    with engine.begin() as conn:
        assert sinks.calendar(conn, [EventCancellation(uid="evt1", recurrence_id="")]).updated == 1
    with engine.connect() as conn:
        rows = conn.execute(select(captured_calendar_events.c.event_status)
                            .where(captured_calendar_events.c.workspace_id == workspace.id)).scalars().all()
    assert rows == ["cancelled"]


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as inst:
        inst.add_dynamic_partitions("workspaces", ["northwind"])
        yield inst


def test_sensor_requests_the_current_month_when_a_mailbox_has_news(
    engine: Engine, workspace: Workspace, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _integration(engine, workspace, "gmail", "sarah@northwind.example")
    answers = iter([ProbeResult(False, "historyId unchanged"), ProbeResult(True, "historyId moved")])
    monkeypatch.setattr(capture_sensors, "probe_integration", lambda _engine, _account: next(answers))

    def tick():
        return capture_sensors.new_mail_sensor(
            dg.build_sensor_context(instance=instance, resources={"warehouse": Warehouse()}))

    quiet = tick()
    assert isinstance(quiet, dg.SkipReason) and "historyId unchanged" in quiet.skip_message
    [request] = tick().run_requests
    assert request.partition_key.keys_by_dimension == {"workspace": "northwind", "month": current_month()}
    assert request.tags["vectoros/trigger"] == "live"
