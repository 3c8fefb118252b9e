"""Capture of mail from file sources: a directory of RFC 822 files, a Maildir, an mbox.

Everything streams in batches with one transaction per batch: memory stays flat
however large the mailbox, and a crash loses at most the batch in flight, which
the next run captures again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Engine, select

from vectoros_pipelines.capture.months import partition_month
from vectoros_pipelines.capture.sources import (
    BATCH,
    MAIL_FILES,
    CaptureReport,
    Source,
    batched,
    captured_fingerprints,
    file_sources,
    fingerprint_of,
    item_mtime,
    log_sync,
    manifest_row,
    month_items,
    register_source,
)
from vectoros_pipelines.mail.parse import MailParseError, parse_email, quick_sent_at
from vectoros_pipelines.mail.sources import iter_mail_items, read_item
from vectoros_pipelines.security.crypto import Cipher, load_cipher
from vectoros_pipelines.sources import SourceItem
from vectoros_pipelines.storage.capture_store import MailRecord, store_emails
from vectoros_pipelines.storage.db import upsert
from vectoros_pipelines.storage.schema import source_items
from vectoros_pipelines.storage.workspaces import Workspace

MAX_BODY_CHARS = 200_000
MAX_MESSAGE_BYTES = 50 * 1024 * 1024  # larger files are quarantined unread


def read_mail_record(root: Path, item: SourceItem) -> MailRecord:
    """Reads and parses one message; any failure becomes a quarantined record, never an exception."""
    try:
        if item.size_bytes > MAX_MESSAGE_BYTES:
            raw = b""
            raise MailParseError(f"message is {item.size_bytes} bytes, over the {MAX_MESSAGE_BYTES} byte limit")
        raw = read_item(root, item)
        parsed = parse_email(raw, max_body_chars=MAX_BODY_CHARS)
    except (MailParseError, OSError, ValueError, LookupError, UnicodeError) as exc:
        digest = hashlib.sha256(raw if raw else item.locator.encode()).hexdigest()
        return MailRecord(locator=item.locator, month=partition_month(None, item_mtime(item)), raw_sha256=digest,
                          error=f"cannot parse message '{item.locator}': {exc}")
    month = partition_month(parsed.sent_at, item_mtime(item))
    return MailRecord(locator=item.locator, month=month, parsed=parsed, labels=_labels_from_locator(item.locator))


def _labels_from_locator(locator: str) -> tuple[str, ...]:
    lowered = locator.lower()
    if "sent" in lowered.split("/")[0:-1] or "/sent" in lowered or lowered.startswith("sent"):
        return ("SENT",)
    return ()


def capture_workers() -> int:
    """Processes that parse mail while the main process writes (`VECTOROS_CAPTURE_WORKERS`, default: cores)."""
    return max(1, int(os.environ.get("VECTOROS_CAPTURE_WORKERS", os.cpu_count() or 1)))


def capture_mail_items(
    engine: Engine, workspace: Workspace, source: Source, items: Iterable[SourceItem], *,
    only_changed: bool, cipher: Cipher | None = None, progress: Callable[[int], None] | None = None,
) -> CaptureReport:
    """Parses and stores messages batch by batch, one transaction per batch.

    Parsing is the expensive part, so from the second batch on it runs in worker
    processes, one batch ahead of the writes: memory holds at most two batches.
    """
    cipher = cipher or load_cipher()
    report = CaptureReport()
    started = time.perf_counter()
    read = partial(read_mail_record, source.root)
    pool: ProcessPoolExecutor | None = None
    ahead: tuple[list[SourceItem], Iterator[MailRecord]] | None = None

    def write(batch: list[SourceItem], parsed: Iterator[MailRecord]) -> None:
        records = list(parsed)
        with engine.begin() as conn:
            report.counts.add(store_emails(conn, workspace, source.integration_id, records, cipher))
            now = datetime.now(UTC)
            upsert(conn, source_items, [
                manifest_row(workspace, source, item, record.month, now, captured=True)
                for item, record in zip(batch, records, strict=True)
            ], key=["integration_id", "locator"])
        report.items += len(batch)
        report.months.update(r.month for r in records)
        if progress:
            progress(len(batch))

    try:
        for number, batch in enumerate(batched(items, BATCH)):
            if only_changed:
                with engine.connect() as conn:
                    known = captured_fingerprints(conn, source, [i.locator for i in batch])
                batch = [i for i in batch if known.get(i.locator) != fingerprint_of(i)]
                if not batch:
                    continue
            if pool is None and number > 0 and capture_workers() > 1:
                pool = ProcessPoolExecutor(capture_workers(), mp_context=multiprocessing.get_context("spawn"))
            parsed = pool.map(read, batch, chunksize=25) if pool else iter([read(i) for i in batch])
            if ahead is not None:
                write(*ahead)
            ahead = (batch, parsed)
        if ahead is not None:
            write(*ahead)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    report.seconds = time.perf_counter() - started
    return report


def import_mail_source(
    engine: Engine, workspace: Workspace, path: Path, *, progress: Callable[[int], None] | None = None,
) -> CaptureReport:
    """Registers a mail source and captures every new or changed message in it."""
    with engine.begin() as conn:
        source = register_source(conn, workspace, "mail", path)
    started = datetime.now(UTC)
    report = capture_mail_items(engine, workspace, source, iter_mail_items(source.root), only_changed=True,
                                progress=progress)
    log_sync(engine, workspace, source, report, started, partition_key=None)
    return report


def scan_mail_source(engine: Engine, workspace: Workspace, source: Source) -> dict[str, int]:
    """Lists new or changed items of a source into the manifest (header-only read); returns months → items.

    This is what a sensor runs: it only reads the header block of new files to
    know their month, and leaves parsing and storing to the month's partition run.
    """
    months: dict[str, int] = {}
    for batch in batched(iter_mail_items(source.root), BATCH * 4):
        with engine.begin() as conn:
            known = {
                r.locator: r.fingerprint
                for r in conn.execute(select(source_items.c.locator, source_items.c.fingerprint).where(
                    source_items.c.integration_id == source.integration_id,
                    source_items.c.locator.in_([i.locator for i in batch])))
            }
            fresh = [i for i in batch if known.get(i.locator) != fingerprint_of(i)]
            if not fresh:
                continue
            now = datetime.now(UTC)
            rows = []
            for item in fresh:
                month = _quick_month(source.root, item)
                months[month] = months.get(month, 0) + 1
                rows.append(manifest_row(workspace, source, item, month, now, captured=False))
            upsert(conn, source_items, rows, key=["integration_id", "locator"],
                   update=["size_bytes", "mtime_ns", "start_offset", "end_offset", "month", "fingerprint", "seen_at"])
    return months


def _quick_month(root: Path, item: SourceItem) -> str:
    try:
        head = read_item(root, item, limit=64 * 1024)
        return partition_month(quick_sent_at(head), item_mtime(item))
    except (OSError, ValueError):
        return partition_month(None, item_mtime(item))


def capture_mail_month(engine: Engine, workspace: Workspace, month: str, *,
                       cipher: Cipher | None = None) -> CaptureReport:
    """(Re)captures every message of one month from all of a workspace's mail file sources."""
    report = CaptureReport()
    with engine.connect() as conn:
        sources = file_sources(conn, workspace, MAIL_FILES)
    for source in sources:
        started = datetime.now(UTC)
        items = month_items(engine, source, month)
        part = capture_mail_items(engine, workspace, source, items, only_changed=False, cipher=cipher)
        log_sync(engine, workspace, source, part, started, partition_key=f"{workspace.slug}|{month}")
        report.counts.add(part.counts)
        report.items += part.items
        report.months |= part.months
        report.seconds += part.seconds
    return report


