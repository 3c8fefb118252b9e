"""Live capture: what Gmail, Google Calendar and IMAP syncs hand over, stored like any other capture.

Connectors produce raw messages and parsed events page by page; these sinks
turn them into the same idempotent rows the file sources write, so a message
seen through two routes (an mbox export and the live mailbox) is stored once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.engine import Connection

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.capture.months import partition_month
from vectoros_pipelines.connectors.items import EventCancellation, RawMessage
from vectoros_pipelines.connectors.sync import Sinks, SyncReport, sync_workspace
from vectoros_pipelines.mail.parse import MailParseError, parse_email
from vectoros_pipelines.security.crypto import Cipher, load_cipher
from vectoros_pipelines.storage.capture_store import (
    EventRecord,
    MailRecord,
    StoreCounts,
    store_emails,
    store_events,
)
from vectoros_pipelines.storage.integrations import Integration
from vectoros_pipelines.storage.schema import captured_calendar_events
from vectoros_pipelines.storage.workspaces import Workspace

MAX_BODY_CHARS = 200_000


def mail_record(message: RawMessage, locator_prefix: str) -> MailRecord:
    locator = f"{locator_prefix}:{message.source_id}"
    try:
        parsed = parse_email(message.raw, max_body_chars=MAX_BODY_CHARS)
    except (MailParseError, ValueError, LookupError, UnicodeError) as exc:
        return MailRecord(locator=locator, month=partition_month(message.received_at),
                          raw_sha256=hashlib.sha256(message.raw).hexdigest(),
                          error=f"cannot parse message '{locator}': {exc}", labels=message.labels)
    return MailRecord(locator=locator, month=partition_month(parsed.sent_at, message.received_at), parsed=parsed,
                      labels=message.labels)


def _cancel(conn: Connection, workspace: Workspace, items: Sequence[EventCancellation]) -> int:
    cancelled = 0
    now = datetime.now(UTC)
    for item in items:
        cancelled += conn.execute(
            update(captured_calendar_events)
            .where(captured_calendar_events.c.workspace_id == workspace.id,
                   captured_calendar_events.c.uid == item.uid,
                   captured_calendar_events.c.recurrence_id == item.recurrence_id,
                   captured_calendar_events.c.event_status != "cancelled")
            .values(event_status="cancelled", status="pending", updated_at=now)
        ).rowcount
    return cancelled


def sinks_for(workspace: Workspace, cipher: Cipher | None = None) -> Callable[[Integration], Sinks]:
    """Sinks bound to each integration, so every captured row records the account it came from."""
    cipher = cipher or load_cipher()

    def build(integration: Integration) -> Sinks:
        prefix = f"{integration.provider}:{integration.account}"

        def mail(conn: Connection, items: Sequence[RawMessage]) -> StoreCounts:
            return store_emails(conn, workspace, integration.id, [mail_record(m, prefix) for m in items], cipher)

        def calendar(conn: Connection, items: Sequence[ParsedEvent | EventCancellation]) -> StoreCounts:
            events = [i for i in items if isinstance(i, ParsedEvent)]
            counts = store_events(conn, workspace, integration.id, [
                EventRecord(locator=f"{prefix}:{e.uid}", month=partition_month(e.starts_at), parsed=e) for e in events
            ], cipher)
            counts.updated += _cancel(conn, workspace, [i for i in items if isinstance(i, EventCancellation)])
            return counts

        return Sinks(mail=mail, calendar=calendar)

    return build


def sync_live(engine: Engine, workspace: Workspace, kind: str) -> list[SyncReport]:
    """Syncs every connected account of one kind (mail | calendar) into the warehouse."""
    return sync_workspace(engine, workspace.id, sinks_for(workspace), kind=kind)


LIVE_PROVIDERS = {"mail": ("gmail", "imap"), "calendar": ("google_calendar",)}


def current_month(now: datetime | None = None) -> str:
    return partition_month(now or datetime.now(UTC))


def stale_after() -> timedelta:
    """A connected account not synced for this long fails its completeness check (`VECTOROS_SYNC_STALE_MINUTES`)."""
    return timedelta(minutes=int(os.environ.get("VECTOROS_SYNC_STALE_MINUTES", "60")))
