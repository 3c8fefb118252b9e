"""IMAP sync against a real Dovecot server on 127.0.0.1: first fetch, new mail, UIDVALIDITY change, dropped link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from imapclient import IMAPClient
from sqlalchemy import Engine

from tests.connectors.dovecot_server import Dovecot, running_dovecot
from tests.connectors.dropping_proxy import DroppingProxy
from tests.connectors.google_http import EventSink, MailSink
from vectoros_pipelines.connectors.factory import ConnectorOptions, open_connector
from vectoros_pipelines.connectors.imap import ImapSettings
from vectoros_pipelines.connectors.sync import Sinks, probe_integration, sync_integration
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage import integrations as store
from vectoros_pipelines.storage.workspaces import Workspace


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    with running_dovecot() as server:
        yield server


def _mail(message_id: str, subject: str, sender: str, to: str) -> bytes:
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n"
            f"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"About the Globex renewal.\r\n").encode()


class Mailbox:
    def __init__(self, server: Dovecot) -> None:
        self.client = IMAPClient(server.host, port=server.port, ssl=False)
        self.client.login(server.username, server.password)

    def receive(self, message_id: str, days_ago: float = 1, folder: str = "INBOX") -> None:
        sender, to = ("tom@globex.example", "sarah@acme-sales.com") if folder == "INBOX" else (
            "sarah@acme-sales.com", "tom@globex.example")
        when = datetime.now(UTC) - timedelta(days=days_ago)
        self.client.append(folder, _mail(message_id, f"Message {message_id}", sender, to), msg_time=when)


class Harness:
    def __init__(self, engine: Engine, workspace: Workspace, server: Dovecot, port: int | None = None) -> None:
        self.engine, self.workspace, self.server = engine, workspace, server
        self.sink = MailSink()
        token = {"host": server.host, "port": port or server.port, "ssl": False, "username": server.username,
                 "auth": "password", "password": server.password}
        with engine.begin() as conn:
            self.integration = store.connect_integration(conn, load_cipher(), workspace.id, "imap",
                                                         server.username, token)

    def _opener(self, port: int | None, chunk: int) -> Any:
        def opener(integration: store.Integration, token: Any) -> Any:
            if port is not None:
                token = token | {"port": port}
            return open_connector(integration, token, ConnectorOptions(imap=ImapSettings(chunk_size=chunk)))
        return opener

    def sync(self, port: int | None = None, chunk: int = 50) -> Any:
        return sync_integration(self.engine, self.workspace.id, self.integration.id,
                                Sinks(mail=self.sink, calendar=EventSink()), opener=self._opener(port, chunk))

    def probe(self) -> Any:
        return probe_integration(self.engine, self.row(), opener=self._opener(None, 50))

    def row(self) -> store.Integration:
        with self.engine.begin() as conn:
            return store.get_integration(conn, self.workspace.id, self.integration.id)


def test_first_sync_reads_inbox_and_sent_within_the_window(engine: Engine, workspace: Workspace,
                                                          dovecot: Dovecot) -> None:
    box = Mailbox(dovecot)
    box.receive("old@globex.example", days_ago=60)
    box.receive("in-1@globex.example", days_ago=3)
    box.receive("in-2@globex.example", days_ago=1)
    box.receive("out-1@acme-sales.com", days_ago=2, folder="Sent")
    h = Harness(engine, workspace, dovecot)
    assert h.probe().has_news

    report = h.sync()

    assert report.outcome == "ok", report.error
    assert (report.fetched, report.new, report.provider_total, report.gap) == (3, 3, 3, 0)
    assert set(h.sink.rows) == {"in-1@globex.example", "in-2@globex.example", "out-1@acme-sales.com"}
    assert h.sink.rows["out-1@acme-sales.com"].labels == ("SENT",)
    assert h.sink.rows["in-1@globex.example"].folder == "INBOX"
    cursor = h.row().cursor
    assert cursor is not None and set(cursor["folders"]) == {"INBOX", "Sent"}
    assert cursor["folders"]["INBOX"]["last_uid"] == 3
    assert not h.probe().has_news


def test_new_mail_is_found_by_uidnext_and_fetched_alone(engine: Engine, workspace: Workspace,
                                                       dovecot: Dovecot) -> None:
    box = Mailbox(dovecot)
    box.receive("in-1@globex.example")
    h = Harness(engine, workspace, dovecot)
    h.sync()
    box.receive("in-2@globex.example")
    box.receive("out-2@acme-sales.com", folder="Sent")

    probe = h.probe()
    assert probe.has_news and "UIDNEXT" in probe.reason
    report = h.sync()

    assert (report.fetched, report.new, report.updated) == (2, 2, 0)
    assert not h.probe().has_news


def test_uidvalidity_change_refetches_without_duplicates(engine: Engine, workspace: Workspace,
                                                         dovecot: Dovecot) -> None:
    box = Mailbox(dovecot)
    box.receive("out-1@acme-sales.com", folder="Sent")
    box.receive("out-2@acme-sales.com", folder="Sent")
    h = Harness(engine, workspace, dovecot)
    h.sync()
    old = h.row().cursor["folders"]["Sent"]["uidvalidity"]  # type: ignore[index]
    # The server renumbers the folder (e.g. a mailbox migration): same mail, new UIDVALIDITY.
    box.client.delete_folder("Sent")
    box.client.create_folder("Sent")
    box.receive("out-1@acme-sales.com", folder="Sent")
    box.receive("out-2@acme-sales.com", folder="Sent")

    assert "UIDVALIDITY" in h.probe().reason
    report = h.sync()

    assert report.outcome == "ok", report.error
    assert any("UIDVALIDITY changed" in note for note in report.notes)
    assert (report.new, report.updated) == (0, 2)
    assert len(h.sink.rows) == 2
    assert h.row().cursor["folders"]["Sent"]["uidvalidity"] != old  # type: ignore[index]


def test_connection_dropped_mid_fetch_resumes_without_gap_or_duplicate(engine: Engine, workspace: Workspace,
                                                                       dovecot: Dovecot) -> None:
    box = Mailbox(dovecot)
    for i in range(5):
        box.receive(f"in-{i}@globex.example", days_ago=5 - i)
    proxy = DroppingProxy(dovecot.port, drop_on_fetch=2)
    h = Harness(engine, workspace, dovecot)
    try:
        failed = h.sync(port=proxy.port, chunk=2)
    finally:
        proxy.close()

    assert proxy.dropped and failed.outcome == "error"
    assert failed.fetched == 2
    assert h.row().status == "error" and h.row().last_error
    assert h.row().cursor["folders"]["INBOX"]["last_uid"] == 2  # type: ignore[index]

    resumed = h.sync(chunk=2)

    assert resumed.outcome == "ok", resumed.error
    assert (resumed.fetched, resumed.new, resumed.updated) == (3, 3, 0)
    assert sorted(h.sink.rows) == [f"in-{i}@globex.example" for i in range(5)]
    assert h.row().status == "active" and h.row().last_error is None


def test_wrong_password_marks_needs_reauth(engine: Engine, workspace: Workspace, dovecot: Dovecot) -> None:
    h = Harness(engine, workspace, dovecot)
    with engine.begin() as conn:
        store.connect_integration(conn, load_cipher(), workspace.id, "imap", dovecot.username,
                                  {"host": dovecot.host, "port": dovecot.port, "ssl": False,
                                   "username": dovecot.username, "auth": "password", "password": "changed"})
    report = h.sync()
    assert report.outcome == "needs_reauth" and h.row().status == "needs_reauth"
