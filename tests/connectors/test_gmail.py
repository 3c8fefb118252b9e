"""Gmail sync through the real google-api-python-client, google-auth refresh and batch requests."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

from sqlalchemy import Engine, select

from tests.connectors.google_http import (
    NOW,
    MailSink,
    RecordingHttp,
    batch,
    error,
    fixture,
    google_token,
    message_body,
    messages_batch,
    ok,
)
from vectoros_pipelines.connectors.factory import ConnectorOptions
from vectoros_pipelines.connectors.gmail import GmailConnector, GmailSettings
from vectoros_pipelines.connectors.quota import QuotaBudget
from vectoros_pipelines.connectors.retry import RetryPolicy
from vectoros_pipelines.connectors.sync import Sinks, sync_integration
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage import integrations as store
from vectoros_pipelines.storage.schema import sync_logs
from vectoros_pipelines.storage.workspaces import Workspace

INBOX_1, SENT_1, INBOX_2 = "18c3f0a1b2c4d5e6", "18c3f0c9d8e7f6a5", "18c41b77e1f2a3b4"
INBOX_3, SENT_2 = "18c4a0d2c3b4e5f6", "18c4a13f9e8d7c6b"


class Harness:
    """One Gmail integration in a real warehouse, synced through a recorded HTTP sequence."""

    def __init__(self, engine: Engine, workspace: Workspace, token: dict[str, Any] | None = None) -> None:
        self.engine, self.workspace = engine, workspace
        self.sink = MailSink()
        self.slept: list[float] = []
        with engine.begin() as conn:
            self.integration = store.connect_integration(
                conn, load_cipher(), workspace.id, "gmail", "sarah@acme-sales.com", token or google_token(),
                scopes=["https://www.googleapis.com/auth/gmail.readonly"])

    def sync(self, responses: list[Any]) -> Any:
        self.http = RecordingHttp(responses)
        options = ConnectorOptions(
            http=lambda: self.http, now=lambda: NOW,
            retry=lambda: RetryPolicy(sleep=self.slept.append, random=lambda: 0.5),
        )
        return sync_integration(self.engine, self.workspace.id, self.integration.id,
                                Sinks(mail=self.sink, calendar=_no_calendar), options=options)

    def row(self) -> store.Integration:
        with self.engine.begin() as conn:
            return store.get_integration(conn, self.workspace.id, self.integration.id)

    def logs(self) -> list[Any]:
        with self.engine.begin() as conn:
            return list(conn.execute(select(sync_logs).where(sync_logs.c.workspace_id == self.workspace.id)
                                     .order_by(sync_logs.c.id)))


def _no_calendar(conn: Any, items: Any) -> Any:
    raise AssertionError("a Gmail sync must not write calendar events")


FIRST_SYNC = [
    ok("gmail/profile.json"),
    ok("gmail/messages_list_page1.json"),
    ok("gmail/messages_list_page2.json"),
    messages_batch(INBOX_2, SENT_1, INBOX_1),
]
INCREMENTAL = [
    ok("gmail/history_page1.json"),
    ok("gmail/history_page2.json"),
    messages_batch(INBOX_3, SENT_2),
]


def test_first_sync_lists_the_window_across_pages_and_keeps_labels(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    report = h.sync(list(FIRST_SYNC))

    assert report.outcome == "ok", report.error
    assert (report.fetched, report.new, report.provider_total, report.gap) == (3, 3, 3, 0)
    assert h.row().cursor == {"history_id": "93400", "window_synced_at": NOW.isoformat()}
    assert h.row().status == "active" and h.row().last_sync_at is not None
    labels = {m.source_id: m.labels for m in h.sink.rows.values()}
    assert labels[SENT_1] == ("SENT",) and "INBOX" in labels[INBOX_1]
    query = parse_qs(urlparse(h.http.uris[1]).query)
    assert query["q"] == [f"after:{int(NOW.timestamp()) - 30 * 86400} -in:drafts"]
    assert parse_qs(urlparse(h.http.uris[2]).query)["pageToken"] == ["03429861572238095771"]
    assert h.http.batch_bodies()[0].count("format=raw") == 3
    log = h.logs()[-1]
    assert (log.fetched, log.new, log.provider_total, log.error) == (3, 3, 3, None)


def test_incremental_sync_reads_history_pages_and_skips_drafts(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    h.sync(list(FIRST_SYNC))
    report = h.sync(list(INCREMENTAL))

    assert report.outcome == "ok", report.error
    assert (report.fetched, report.new, report.updated, report.gap) == (2, 2, 0, 0)
    assert h.row().cursor == {"history_id": "93655"}
    first = parse_qs(urlparse(h.http.uris[0]).query)
    assert first["startHistoryId"] == ["93400"] and first["historyTypes"] == ["messageAdded"]
    assert "18c4a1f0aa11bb22" not in h.http.batch_bodies()[0]  # the draft is never fetched
    assert len(h.sink.rows) == 5


def test_expired_history_id_falls_back_to_a_full_window_resync(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    h.sync(list(FIRST_SYNC))
    report = h.sync([
        error("gmail/error_404_not_found.json", 404),
        ok("gmail/profile_later.json"),
        ok("gmail/messages_list_page1.json"),
        ok("gmail/messages_list_page2.json"),
        messages_batch(INBOX_2, SENT_1, INBOX_1),
    ])

    assert report.outcome == "ok", report.error
    assert any("expired" in note for note in report.notes)
    assert (report.new, report.updated) == (0, 3)  # refetched, not duplicated
    assert h.row().cursor["history_id"] == "93655"  # type: ignore[index]
    assert len(h.sink.rows) == 3


def test_rate_limits_and_server_errors_are_retried_with_backoff(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    report = h.sync([
        ok("gmail/profile.json"),
        error("gmail/error_429_rate_limit.json", 429),
        error("gmail/error_503_backend.json", 503),
        ok("gmail/messages_list_page1.json"),
        ok("gmail/messages_list_page2.json"),
        # One part of the batch hits the per-user limit: only it is sent again.
        batch([(INBOX_2, 200, message_body(INBOX_2)),
               (SENT_1, 403, fixture("gmail/error_403_user_rate_limit.json")),
               (INBOX_1, 200, message_body(INBOX_1))]),
        messages_batch(SENT_1),
    ])

    assert report.outcome == "ok", report.error
    assert report.fetched == 3 and report.gap == 0
    # Full jitter with random()=0.5: half of 1 s, 2 s for the two list retries, then 0.5 s for the batch part.
    assert h.slept == [0.5, 1.0, 0.5]
    retried = h.http.batch_bodies()[1]
    assert retried.count("GET /gmail/v1/users/me/messages/") == 1 and SENT_1 in retried


def test_revoked_grant_marks_needs_reauth(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace, token=google_token(expired=True))
    report = h.sync([error("token_invalid_grant.json", 400)])

    assert report.outcome == "needs_reauth"
    row = h.row()
    assert row.status == "needs_reauth" and "invalid_grant" in (row.last_error or "")
    assert row.cursor is None and h.sink.rows == {}
    assert "re-authorisation" in (h.logs()[-1].error or "")


def test_401_whose_refresh_is_refused_marks_needs_reauth(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    report = h.sync([error("gmail/error_401_invalid_credentials.json", 401), error("token_invalid_grant.json", 400)])
    assert report.outcome == "needs_reauth" and h.row().status == "needs_reauth"


def test_refreshed_access_token_is_stored_encrypted(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace, token=google_token(expired=True))
    report = h.sync([ok("token_refreshed.json"), *FIRST_SYNC])
    assert report.outcome == "ok", report.error
    with engine.begin() as conn:
        token = store.load_token(conn, load_cipher(), workspace.id, h.integration.id)
        raw = conn.execute(select(store.integrations.c.token_ciphertext)).scalar_one()
    assert token is not None and token["token"] == "ya29.a0AfB_byRefreshedAccessToken"
    assert token["refresh_token"] == google_token()["refresh_token"]
    assert b"refresh" not in bytes(raw) and b"ya29" not in bytes(raw)


def test_message_deleted_between_list_and_get_is_skipped_and_counted(engine: Engine, workspace: Workspace) -> None:
    h = Harness(engine, workspace)
    report = h.sync([
        ok("gmail/profile.json"),
        ok("gmail/messages_list_with_deleted.json"),
        batch([(INBOX_2, 200, message_body(INBOX_2)),
               ("18c3f0beefdead01", 404, fixture("gmail/error_404_not_found.json")),
               (INBOX_1, 200, message_body(INBOX_1))]),
    ])

    assert report.outcome == "ok", report.error
    assert (report.fetched, report.vanished, report.provider_total, report.gap) == (2, 1, 2, 0)
    assert h.row().cursor["history_id"] == "93400"  # type: ignore[index]
    assert "1 deleted at the source" in (h.logs()[-1].error or "")


def test_batches_hold_at_most_fifty_messages_and_spend_quota() -> None:
    from googleapiclient.discovery import build

    ids = [f"18d0{i:012x}" for i in range(120)]
    listing = {"messages": [{"id": i, "threadId": i} for i in ids], "resultSizeEstimate": 120}
    responses: list[Any] = [ok("gmail/profile.json"), ({"status": "200"}, json.dumps(listing))]
    for start in range(0, 120, 50):
        chunk = ids[start : start + 50]
        responses.append(batch([(i, 200, message_body(INBOX_1, as_id=i)) for i in chunk]))
    http = RecordingHttp(responses)
    quota = QuotaBudget(clock=lambda: 0.0, sleep=lambda s: None)
    connector = GmailConnector(build("gmail", "v1", http=http, static_discovery=True), GmailSettings(),
                               RetryPolicy(sleep=lambda s: None), quota, now=lambda: NOW)
    pages = list(connector.pages(None))

    sizes = [body.count("GET /gmail/v1/users/me/messages/") for body in http.batch_bodies()]
    assert sizes == [50, 50, 20]
    assert [len(p.items) for p in pages] == [50, 50, 20]
    assert [p.cursor for p in pages][:2] == [None, None] and pages[-1].cursor is not None
    assert quota.spent_total == 1 + 5 + 120 * 5


def test_probe_compares_history_ids() -> None:
    from googleapiclient.discovery import build

    def connector(responses: list[Any]) -> GmailConnector:
        return GmailConnector(build("gmail", "v1", http=RecordingHttp(responses), static_discovery=True),
                              retry=RetryPolicy(sleep=lambda s: None))

    assert connector([]).probe(None).has_news
    assert not connector([ok("gmail/profile.json")]).probe({"history_id": "93400"}).has_news
    news = connector([ok("gmail/profile_later.json"), ok("gmail/history_page1.json")]).probe({"history_id": "93400"})
    assert news.has_news and "93400" in news.reason
    quiet = connector([ok("gmail/profile_later.json"), ok("gmail/history_empty.json")]).probe({"history_id": "93400"})
    assert not quiet.has_news
