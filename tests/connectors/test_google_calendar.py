"""Google Calendar sync through the real client: sync tokens, 410 resync, cancellations, pagination."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from sqlalchemy import Engine

from tests.connectors.google_http import NOW, EventSink, MailSink, RecordingHttp, error, google_token, ok
from vectoros_pipelines.connectors.factory import ConnectorOptions
from vectoros_pipelines.connectors.google_calendar import GoogleCalendarConnector
from vectoros_pipelines.connectors.retry import RetryPolicy
from vectoros_pipelines.connectors.sync import Sinks, sync_integration, sync_workspace
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage import integrations as store
from vectoros_pipelines.storage.workspaces import Workspace

SERIES = "7v1ndq0jb2u0c8rp3q6b1s3t9k"
FULL = [ok("calendar/events_full_page1.json"), ok("calendar/events_full_page2.json")]
CAL_SCOPES = ("https://www.googleapis.com/auth/calendar.readonly",)


class Harness:
    def __init__(self, engine: Engine, workspace: Workspace) -> None:
        self.engine, self.workspace = engine, workspace
        self.sink = EventSink()
        self.slept: list[float] = []
        with engine.begin() as conn:
            self.integration = store.connect_integration(
                conn, load_cipher(), workspace.id, "google_calendar", "sarah@acme-sales.com",
                google_token(scopes=CAL_SCOPES), scopes=CAL_SCOPES)

    def options(self, responses: list[Any]) -> ConnectorOptions:
        self.http = RecordingHttp(responses)
        return ConnectorOptions(http=lambda: self.http, now=lambda: NOW,
                                retry=lambda: RetryPolicy(sleep=self.slept.append, random=lambda: 0.5))

    def sync(self, responses: list[Any]) -> Any:
        return sync_integration(self.engine, self.workspace.id, self.integration.id,
                                Sinks(mail=MailSink(), calendar=self.sink), options=self.options(responses))

    def cursor(self) -> Any:
        with self.engine.begin() as conn:
            return store.get_integration(conn, self.workspace.id, self.integration.id).cursor


def test_full_sync_expands_series_over_the_window_and_pages(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    report = h.sync(list(FULL))

    assert report.outcome == "ok", report.error
    assert (report.fetched, report.new, report.provider_total, report.gap) == (4, 4, 4, 0)
    assert h.cursor()["sync_token"] == "CPDAlvWDx70CEPDAlvWDx70CGAUggIDA2eOj-gI="
    query = parse_qs(urlparse(h.http.uris[0]).query)
    assert query["singleEvents"] == ["true"]
    assert query["timeMin"] == ["2026-10-26T12:00:00Z"] and query["timeMax"] == ["2027-02-23T12:00:00Z"]
    assert "pageToken" in parse_qs(urlparse(h.http.uris[1]).query)
    instance = h.sink.rows[(SERIES, "2026-11-18T10:00:00+00:00")]
    assert instance.organizer is not None and instance.organizer.email == "priya@initech.example"
    meeting = h.sink.rows[("4k9c7mbvpltfbtfcv6f4oqbfu0", "")]
    assert [a.email for a in meeting.attendees] == ["sarah@acme-sales.com", "tom.becker@globex.example"]
    offsite = h.sink.rows[("2f0q8h1ee6b3dkv4t7r5n9m1aa", "")]
    assert offsite.all_day and offsite.starts_at.isoformat() == "2026-12-03T00:00:00+00:00"


def test_incremental_sync_updates_cancelled_events_instead_of_adding(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    h.sync(list(FULL))
    report = h.sync([ok("calendar/events_incremental.json")])

    assert report.outcome == "ok", report.error
    assert (report.new, report.updated) == (0, 3)
    assert parse_qs(urlparse(h.http.uris[0]).query)["syncToken"] == ["CPDAlvWDx70CEPDAlvWDx70CGAUggIDA2eOj-gI="]
    assert "timeMin" not in h.http.uris[0]  # Google rejects timeMin together with syncToken
    assert len(h.sink.rows) == 4
    assert {k for k, e in h.sink.rows.items() if e.status == "cancelled"} == {
        ("4k9c7mbvpltfbtfcv6f4oqbfu0", ""), (SERIES, "2026-11-25T10:00:00+00:00"), ("2f0q8h1ee6b3dkv4t7r5n9m1aa", "")}
    assert h.cursor()["sync_token"] == "CKCbrNqJx70CEKCbrNqJx70CGAUggIDA2eOj-gI="


def test_gone_sync_token_is_cleared_and_the_window_listed_again(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    h.sync(list(FULL))
    report = h.sync([error("calendar/error_410_full_sync_required.json", 410), *FULL])

    assert report.outcome == "ok", report.error
    assert any("410" in note for note in report.notes)
    assert (report.new, report.updated) == (0, 4)
    assert "syncToken" not in h.http.uris[1] and "timeMin" in h.http.uris[1]


def test_server_error_then_success(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    report = h.sync([error("gmail/error_503_backend.json", 503), *FULL])
    assert report.outcome == "ok" and report.fetched == 4 and h.slept == [0.5]


def test_failure_mid_listing_keeps_the_old_cursor(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    h.sync(list(FULL))
    before = h.cursor()
    failing = [error("gmail/error_503_backend.json", 503)] * 6
    report = h.sync([ok("calendar/events_full_page1.json"), *failing])  # page 2 never arrives
    # The incremental request got page 1's items; without its sync token the cursor stays put.
    assert report.outcome == "error" and h.cursor() == before


def test_one_revoked_account_does_not_stop_the_others(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    with engine.begin() as conn:
        gmail = store.connect_integration(conn, load_cipher(), workspace.id, "gmail", "sarah@acme-sales.com",
                                          google_token(expired=True))
    calendar_http = RecordingHttp(list(FULL))
    gmail_http = RecordingHttp([error("token_invalid_grant.json", 400)])

    from vectoros_pipelines.connectors.factory import open_connector

    def opener(integration: store.Integration, token: Any) -> Any:
        http = gmail_http if integration.provider == "gmail" else calendar_http
        return open_connector(integration, token, ConnectorOptions(http=lambda: http, now=lambda: NOW))

    reports = sync_workspace(engine, workspace.id, Sinks(mail=MailSink(), calendar=h.sink), opener=opener)

    outcomes = {r.provider: r.outcome for r in reports}
    assert outcomes == {"google_calendar": "ok", "gmail": "needs_reauth"}
    with engine.begin() as conn:
        assert store.get_integration(conn, workspace.id, gmail.id).status == "needs_reauth"
        assert store.get_integration(conn, workspace.id, h.integration.id).status == "active"
        # needs_reauth integrations are left alone until reconnected
        assert [i.provider for i in store.list_integrations(conn, workspace.id, statuses=("active", "error"))] == [
            "google_calendar"]
    assert len(h.sink.rows) == 4


def test_probe_uses_the_sync_token() -> None:
    from googleapiclient.discovery import build

    def connector(responses: list[Any]) -> GoogleCalendarConnector:
        return GoogleCalendarConnector(build("calendar", "v3", http=RecordingHttp(responses), static_discovery=True),
                                       retry=RetryPolicy(sleep=lambda s: None), now=lambda: NOW)

    cursor = {"sync_token": "CKCb", "window_synced_at": NOW.isoformat()}
    assert connector([]).probe(None).has_news
    assert not connector([ok("calendar/events_incremental_empty.json")]).probe(cursor).has_news
    assert connector([ok("calendar/events_incremental.json")]).probe(cursor).has_news
    assert connector([error("calendar/error_410_full_sync_required.json", 410)]).probe(cursor).has_news
