"""Runs one integration's sync: pages from its connector into a sink, cursor and log alongside.

Each page's items and the cursor that follows them are committed in one
transaction, so a sync interrupted anywhere resumes without a gap; the store
is idempotent, so a page seen twice is harmless. A revoked grant marks only
that integration `needs_reauth`; `sync_workspace` carries on with the rest.
Every run leaves a `sync_logs` row comparing what the provider listed with
what was captured.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from vectoros_pipelines.connectors.errors import ReauthRequired
from vectoros_pipelines.connectors.factory import ConnectorOptions, OpenedConnector, open_connector
from vectoros_pipelines.connectors.google_calendar import CalendarItem
from vectoros_pipelines.connectors.items import RawMessage
from vectoros_pipelines.connectors.page import Connector, ProbeResult
from vectoros_pipelines.security.crypto import Cipher, load_cipher
from vectoros_pipelines.storage import integrations as store
from vectoros_pipelines.storage.integrations import Integration

log = logging.getLogger(__name__)
T = TypeVar("T")


class SinkCounts(Protocol):
    """What a sink reports for one page (capture_store.StoreCounts has this shape)."""

    new: int
    updated: int
    quarantined: int


Sink = Callable[[Connection, Sequence[T]], SinkCounts]


@dataclass
class Sinks:
    mail: Sink[RawMessage]
    calendar: Sink[CalendarItem]


@dataclass
class SyncReport:
    integration_id: int
    provider: str
    account: str
    outcome: str = "ok"  # ok | needs_reauth | error
    pages: int = 0
    fetched: int = 0  # items handed to the store
    new: int = 0
    updated: int = 0
    failed: int = 0  # could not be fetched, or quarantined by the store
    provider_total: int = 0  # what the provider listed, minus what it said was deleted meanwhile
    vanished: int = 0
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    error: str | None = None
    duration_s: float = 0.0

    @property
    def gap(self) -> int:
        """Listed by the provider but not captured: flagged by the completeness check."""
        return max(0, self.provider_total - self.fetched)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def run_sync(
    engine: Engine,
    integration: Integration,
    connector: Connector[T],
    sink: Sink[T],
    *,
    now: Callable[[], datetime] = _utcnow,
    partition_key: str | None = None,
) -> SyncReport:
    ws, iid = integration.workspace_id, integration.id
    report = SyncReport(integration_id=iid, provider=integration.provider, account=integration.account)
    started, clock = now(), time.monotonic()
    with engine.begin() as conn:
        log_id = store.start_sync_log(conn, ws, iid, started, partition_key)
    try:
        for page in connector.pages(integration.cursor):
            with engine.begin() as conn:
                counts = sink(conn, page.items) if page.items else None
                if page.cursor is not None:
                    store.save_cursor(conn, ws, iid, page.cursor)
            report.pages += 1
            report.fetched += len(page.items)
            report.provider_total += page.provider_total - page.vanished
            report.vanished += page.vanished
            report.failures.extend(page.failures)
            report.failed += len(page.failures)
            if counts is not None:
                report.new += counts.new
                report.updated += counts.updated
                report.failed += counts.quarantined
            if page.note:
                report.notes.append(page.note)
        with engine.begin() as conn:
            store.mark_synced(conn, ws, iid, now())
    except ReauthRequired as exc:
        report.outcome, report.error = "needs_reauth", f"re-authorisation needed: {exc}"
        with engine.begin() as conn:
            store.mark_status(conn, ws, iid, "needs_reauth", report.error)
        log.warning("integration %s (%s %s) needs re-authorisation: %s", iid, integration.provider,
                    integration.account, exc)
    except Exception as exc:  # recorded on the integration and the log; the next sync resumes from the cursor
        report.outcome, report.error = "error", f"{type(exc).__name__}: {exc}"
        with engine.begin() as conn:
            store.mark_status(conn, ws, iid, "error", report.error)
        log.exception("sync of integration %s (%s %s) failed", iid, integration.provider, integration.account)
    finally:
        report.duration_s = time.monotonic() - clock
        with engine.begin() as conn:
            store.finish_sync_log(
                conn, ws, log_id, finished_at=now(), fetched=report.fetched, new=report.new,
                updated=report.updated, failed=report.failed, provider_total=report.provider_total,
                duration_s=report.duration_s, error=_log_error(report),
            )
    return report


def _log_error(report: SyncReport) -> str | None:
    parts = [report.error] if report.error else []
    if report.failures:
        shown = "; ".join(report.failures[:20])
        parts.append(f"{len(report.failures)} not fetched: {shown}")
    if report.vanished:
        parts.append(f"{report.vanished} deleted at the source between listing and fetching (not a gap)")
    return " | ".join(parts) or None


Opener = Callable[[Integration, dict[str, Any] | None], OpenedConnector]


def _default_opener(options: ConnectorOptions | None) -> Opener:
    return lambda integration, token: open_connector(integration, token, options)


def sync_integration(
    engine: Engine,
    workspace_id: int,
    integration_id: int,
    sinks: Sinks,
    *,
    options: ConnectorOptions | None = None,
    opener: Opener | None = None,
    cipher: Cipher | None = None,
    now: Callable[[], datetime] = _utcnow,
    partition_key: str | None = None,
) -> SyncReport:
    """Decrypts the token, opens the provider's connector, syncs, and stores a refreshed token."""
    cipher = cipher or load_cipher()
    opener = opener or _default_opener(options)
    with engine.begin() as conn:
        integration = store.get_integration(conn, workspace_id, integration_id)
        token = store.load_token(conn, cipher, workspace_id, integration_id)
    try:
        opened = opener(integration, token)
    except ReauthRequired as exc:
        with engine.begin() as conn:
            store.mark_status(conn, workspace_id, integration_id, "needs_reauth", f"re-authorisation needed: {exc}")
        return SyncReport(integration_id, integration.provider, integration.account, outcome="needs_reauth",
                          error=str(exc))
    sink: Sink[Any] = sinks.mail if integration.kind == "mail" else sinks.calendar
    report = run_sync(engine, integration, opened.connector, sink, now=now, partition_key=partition_key)
    refreshed = opened.refreshed_token()
    if refreshed is not None and report.outcome != "needs_reauth":
        with engine.begin() as conn:
            store.save_token(conn, cipher, workspace_id, integration_id, refreshed)
    return report


def sync_workspace(
    engine: Engine,
    workspace_id: int,
    sinks: Sinks | Callable[[Integration], Sinks],
    *,
    kind: str | None = None,
    options: ConnectorOptions | None = None,
    opener: Opener | None = None,
    cipher: Cipher | None = None,
    now: Callable[[], datetime] = _utcnow,
) -> list[SyncReport]:
    """Syncs every live integration of a workspace; one failing account never stops the others."""
    with engine.begin() as conn:
        live = store.list_integrations(conn, workspace_id, statuses=("active", "error"), kind=kind)
    reports = []
    for integration in live:
        if integration.provider not in ("gmail", "google_calendar", "imap"):
            continue  # file sources are captured by their own assets
        try:
            integration_sinks = sinks(integration) if callable(sinks) else sinks
            reports.append(sync_integration(engine, workspace_id, integration.id, integration_sinks,
                                            options=options, opener=opener, cipher=cipher, now=now))
        except Exception as exc:  # e.g. an undecryptable token: record it and go on with the others
            with engine.begin() as conn:
                store.mark_status(conn, workspace_id, integration.id, "error", f"{type(exc).__name__}: {exc}")
            reports.append(SyncReport(integration.id, integration.provider, integration.account, outcome="error",
                                      error=f"{type(exc).__name__}: {exc}"))
    return reports


def probe_integration(
    engine: Engine,
    integration: Integration,
    *,
    options: ConnectorOptions | None = None,
    opener: Opener | None = None,
    cipher: Cipher | None = None,
) -> ProbeResult:
    """The cheapest "anything new?" call for a sensor; never raises for provider trouble."""
    if integration.status in ("needs_reauth", "disconnected"):
        return ProbeResult(False, f"integration is {integration.status}: skipped until reconnected")
    cipher = cipher or load_cipher()
    opener = opener or _default_opener(options)
    try:
        with engine.begin() as conn:
            token = store.load_token(conn, cipher, integration.workspace_id, integration.id)
        opened = opener(integration, token)
        result = opened.connector.probe(integration.cursor)
    except ReauthRequired as exc:
        with engine.begin() as conn:
            store.mark_status(conn, integration.workspace_id, integration.id, "needs_reauth",
                              f"re-authorisation needed: {exc}")
        return ProbeResult(False, f"needs re-authorisation: {exc}")
    except Exception as exc:  # a provider outage: no run now, the sensor asks again next tick
        return ProbeResult(False, f"probe failed ({type(exc).__name__}: {exc}); will retry next tick")
    refreshed = opened.refreshed_token()
    if refreshed is not None:
        with engine.begin() as conn:
            store.save_token(conn, cipher, integration.workspace_id, integration.id, refreshed)
    return result


def probe(integration: Integration, engine: Engine | None = None) -> ProbeResult:
    """Sensor entry point with the default engine and real providers."""
    from vectoros_pipelines.storage.db import get_engine

    return probe_integration(engine or get_engine(), integration)
