"""Capture of calendar events from .ics files (recurring series expanded within the partitioned range)."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from vectoros_pipelines.calendars.parse import CalendarParseError, parse_calendar
from vectoros_pipelines.calendars.sources import iter_calendar_items
from vectoros_pipelines.capture.months import add_months, history_start, last_month, partition_month
from vectoros_pipelines.capture.sources import (
    CALENDAR_FILES,
    CaptureReport,
    Source,
    file_sources,
    fingerprint_of,
    item_mtime,
    log_sync,
    manifest_row,
    month_items,
    register_source,
)
from vectoros_pipelines.security.crypto import Cipher, load_cipher
from vectoros_pipelines.sources import SourceItem
from vectoros_pipelines.storage.capture_store import EventRecord, store_events
from vectoros_pipelines.storage.db import upsert
from vectoros_pipelines.storage.schema import source_items
from vectoros_pipelines.storage.workspaces import Workspace


def calendar_window() -> tuple[datetime, datetime]:
    start = history_start()
    end = add_months(last_month(), 1)
    return (datetime(start.year, start.month, 1, tzinfo=UTC), datetime(end.year, end.month, 1, tzinfo=UTC))


def read_calendar_records(root: Path, item: SourceItem, timezone: str = "UTC") -> list[EventRecord]:
    """All events of one calendar file, or one quarantined record naming the file and its problem."""
    window_start, window_end = calendar_window()
    path = root / item.locator if root.is_dir() else root
    try:
        # Floating times ("09:00" with no zone) mean the workspace's own clock.
        result = parse_calendar(path.read_bytes(), source_name=item.locator, floating_tz=ZoneInfo(timezone),
                                window_start=window_start,
                                window_end=window_end)
    except (CalendarParseError, OSError) as exc:
        return [_event_error(item, str(exc))]
    records = [
        EventRecord(locator=item.locator, month=partition_month(event.starts_at), parsed=event)
        for event in result.events
    ]
    records += [_event_error(item, message) for message in result.errors]
    return records


def _event_error(item: SourceItem, message: str) -> EventRecord:
    key = hashlib.sha256(f"{item.locator}\x00{message}".encode()).hexdigest()[:32]
    return EventRecord(locator=item.locator, month=partition_month(None, item_mtime(item)), error=message, error_key=key)


def _file_of(locator: str) -> str:
    return locator.rsplit("@", 1)[0]


def _store_calendar_file(
    engine: Engine, workspace: Workspace, source: Source, item: SourceItem, cipher: Cipher, month: str | None,
) -> CaptureReport:
    """Stores one calendar file's events (only those of `month` when given) and lists it per month."""
    report = CaptureReport(items=1)
    records = read_calendar_records(source.root, item, workspace.timezone)
    months = sorted({r.month for r in records})
    if month:
        records = [r for r in records if r.month == month]
    with engine.begin() as conn:
        report.counts = store_events(conn, workspace, source.integration_id, records, cipher)
        now = datetime.now(UTC)

        def row(m: str, captured: bool) -> dict[str, object]:
            part = SourceItem(f"{item.locator}@{m}", item.size_bytes, item.mtime_ns, None, None)
            return manifest_row(workspace, source, part, m, now, captured=captured)

        done = months if month is None else [m for m in months if m == month]
        upsert(conn, source_items, [row(m, True) for m in done], key=["integration_id", "locator"])
        # Other months of the file keep their own capture state; only months never listed are added.
        upsert(conn, source_items, [row(m, False) for m in months if m not in done],
               key=["integration_id", "locator"], update=[])
    report.months = set(done)
    return report


def import_calendar_source(engine: Engine, workspace: Workspace, path: Path) -> CaptureReport:
    """Registers a calendar source and captures every event of its new or changed files."""
    cipher = load_cipher()
    with engine.begin() as conn:
        source = register_source(conn, workspace, "calendar", path)
    started = datetime.now(UTC)
    report = CaptureReport()
    clock = time.perf_counter()
    for item in iter_calendar_items(source.root):
        if _calendar_file_captured(engine, source, item):
            report.items += 1
            continue
        part = _store_calendar_file(engine, workspace, source, item, cipher, month=None)
        report.counts.add(part.counts)
        report.items += 1
        report.months |= part.months
    report.seconds = time.perf_counter() - clock
    log_sync(engine, workspace, source, report, started, partition_key=None)
    return report


def _calendar_file_captured(engine: Engine, source: Source, item: SourceItem) -> bool:
    with engine.connect() as conn:
        rows = conn.execute(select(source_items.c.captured_fingerprint).where(
            source_items.c.integration_id == source.integration_id,
            source_items.c.locator.like(item.locator.replace("%", "\\%").replace("_", "\\_") + "@%", escape="\\"),
        )).all()
    return bool(rows) and all(r.captured_fingerprint == fingerprint_of(item) for r in rows)


def scan_calendar_source(engine: Engine, workspace: Workspace, source: Source) -> dict[str, int]:
    """Lists the months that new or changed calendar files touch (what a sensor runs)."""
    months: dict[str, int] = {}
    for item in iter_calendar_items(source.root):
        if _calendar_file_captured(engine, source, item):
            continue
        records = read_calendar_records(source.root, item, workspace.timezone)
        now = datetime.now(UTC)
        per_month: dict[str, int] = {}
        for record in records:
            per_month[record.month] = per_month.get(record.month, 0) + 1
        with engine.begin() as conn:
            upsert(conn, source_items, [
                manifest_row(workspace, source, SourceItem(f"{item.locator}@{m}", item.size_bytes, item.mtime_ns,
                                                             None, None), m, now, captured=False)
                for m in per_month
            ], key=["integration_id", "locator"],
                update=["size_bytes", "mtime_ns", "month", "fingerprint", "seen_at"])
        for m, n in per_month.items():
            months[m] = months.get(m, 0) + n
    return months


def capture_calendar_month(engine: Engine, workspace: Workspace, month: str, *,
                           cipher: Cipher | None = None) -> CaptureReport:
    """(Re)captures the events starting in one month from all of a workspace's calendar files."""
    cipher = cipher or load_cipher()
    report = CaptureReport()
    with engine.connect() as conn:
        sources = file_sources(conn, workspace, CALENDAR_FILES)
    for source in sources:
        started = datetime.now(UTC)
        part = CaptureReport()
        for item in month_items(engine, source, month):
            file_item = SourceItem(_file_of(item.locator), item.size_bytes, item.mtime_ns, None, None)
            stored = _store_calendar_file(engine, workspace, source, file_item, cipher, month=month)
            part.counts.add(stored.counts)
            part.items += 1
        part.months = {month}
        log_sync(engine, workspace, source, part, started, partition_key=f"{workspace.slug}|{month}")
        report.counts.add(part.counts)
        report.items += part.items
        report.months |= part.months
    return report
