"""Capture from files: idempotent, tenant-separated, encrypted, and never stopped by bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, func, select

from tests.conftest import FIXTURES, SHARED_DATA
from vectoros_pipelines.capture.calendar_capture import import_calendar_source
from vectoros_pipelines.capture.mail_capture import import_mail_source
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage.schema import captured_calendar_events, captured_emails, source_items
from vectoros_pipelines.storage.workspaces import Workspace, create_workspace

MAIL = FIXTURES / "mail" / "basic"
CALENDAR = FIXTURES / "calendar" / "basic"


def _workspace(engine: Engine, name: str = "Northwind") -> Workspace:
    with engine.begin() as conn:
        return create_workspace(conn, name, ["northwind.example"], "America/New_York")


def _count(engine: Engine, table, workspace: Workspace, **where: str) -> int:
    stmt = select(func.count()).select_from(table).where(table.c.workspace_id == workspace.id)
    for column, value in where.items():
        stmt = stmt.where(table.c[column] == value)
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def test_mail_import_is_idempotent_and_quarantines_junk(engine: Engine) -> None:
    ws = _workspace(engine)
    first = import_mail_source(engine, ws, MAIL)
    assert (first.counts.new, first.counts.quarantined) == (2, 1)
    assert "junk.bin" in first.counts.errors[0]
    again = import_mail_source(engine, ws, MAIL)
    assert again.counts.new == again.counts.updated == 0
    assert _count(engine, captured_emails, ws) == 3
    assert _count(engine, captured_emails, ws, status="quarantined") == 1
    with engine.connect() as conn:
        row = conn.execute(select(captured_emails).where(captured_emails.c.message_key == "reply-1@northwind.example")).one()
    assert row.thread_key == "deal-1@acme-corp.com"
    assert row.direction == "outbound"
    assert row.month == "2026-11"
    assert row.normalized_subject == "pricing for the analytics rollout"


def test_changed_file_is_updated_not_duplicated(engine: Engine, tmp_path: Path) -> None:
    ws = _workspace(engine)
    folder = tmp_path / "mail"
    shutil.copytree(MAIL, folder)
    import_mail_source(engine, ws, folder)
    path = folder / "reply-1.eml"
    path.write_text(path.read_text().replace("proposal is attached", "revised proposal is attached"))
    report = import_mail_source(engine, ws, folder)
    assert (report.items, report.counts.new, report.counts.updated) == (1, 0, 1)
    assert _count(engine, captured_emails, ws) == 3


def test_same_message_id_in_two_workspaces_stays_separate(engine: Engine) -> None:
    a, b = _workspace(engine, "Alpha"), _workspace(engine, "Beta")
    import_mail_source(engine, a, MAIL)
    import_mail_source(engine, b, MAIL)
    assert _count(engine, captured_emails, a) == _count(engine, captured_emails, b) == 3
    with engine.connect() as conn:
        owners = conn.execute(select(captured_emails.c.workspace_id)
                              .where(captured_emails.c.message_key == "deal-1@acme-corp.com")).scalars().all()
    assert sorted(owners) == sorted([a.id, b.id])


def test_bodies_are_encrypted_at_rest(engine: Engine, vectoros_env: Path) -> None:
    ws = _workspace(engine)
    import_mail_source(engine, ws, MAIL)
    with engine.connect() as conn:
        row = conn.execute(select(captured_emails.c.body_ciphertext, captured_emails.c.body_key_id)
                           .where(captured_emails.c.message_key == "deal-1@acme-corp.com")).one()
    assert b"zebra-quartz-phrase" not in bytes(row.body_ciphertext)
    assert "zebra-quartz-phrase" in load_cipher().decrypt_text(row.body_ciphertext, row.body_key_id)
    if engine.dialect.name == "sqlite":
        database = Path(engine.url.database or "")
        engine.dispose()
        for path in database.parent.glob(database.name + "*"):
            assert b"zebra-quartz-phrase" not in path.read_bytes()
    assert (vectoros_env / "secret.key").stat().st_mode & 0o777 == 0o600


def test_calendar_import_expands_series_and_quarantines_broken_file(engine: Engine) -> None:
    ws = _workspace(engine)
    report = import_calendar_source(engine, ws, CALENDAR)
    assert report.counts.new == 7  # one demo + six weekly occurrences
    assert report.counts.quarantined == 2
    errors = sorted(report.counts.errors)
    assert "broken.ics" in errors[0] and "DTSTART missing" in errors[0]
    assert "not-a-calendar.ics" in errors[1] and "not an iCalendar file" in errors[1]
    again = import_calendar_source(engine, ws, CALENDAR)
    assert again.counts.new == 0
    assert _count(engine, captured_calendar_events, ws) == 9


def test_real_mail_imports_without_stopping(engine: Engine) -> None:
    ws = _workspace(engine)
    folder = SHARED_DATA / "mail" / "enron-crlf-250"
    report = import_mail_source(engine, ws, folder)
    # 250 real messages; the folder's LICENSE and SOURCE.txt are not mail and are quarantined, named.
    assert (report.items, report.counts.new, report.counts.quarantined) == (252, 250, 2)
    assert sorted(e.split(":")[0] for e in report.counts.errors) == ["LICENSE_palimpzest_MIT.txt", "SOURCE.txt"]
    with engine.connect() as conn:
        listed = conn.execute(select(func.count()).select_from(source_items)
                              .where(source_items.c.workspace_id == ws.id)).scalar_one()
        months = conn.execute(select(func.count(func.distinct(captured_emails.c.month)))
                              .where(captured_emails.c.workspace_id == ws.id)).scalar_one()
    assert listed == 252
    assert months > 10


def test_capturing_one_calendar_month_leaves_the_others_captured(engine: Engine) -> None:
    from vectoros_pipelines.capture.calendar_capture import capture_calendar_month
    from vectoros_pipelines.capture.sources import CALENDAR_FILES, pending_months

    ws = _workspace(engine)
    import_calendar_source(engine, ws, CALENDAR)
    assert pending_months(engine, ws, CALENDAR_FILES) == {}
    report = capture_calendar_month(engine, ws, "2026-10")
    assert report.counts.unchanged == 5 and report.counts.new == 0
    assert pending_months(engine, ws, CALENDAR_FILES) == {}


def test_every_real_calendar_file_imports_and_bad_ones_are_quarantined_by_name(engine: Engine) -> None:
    folder = SHARED_DATA / "calendar" / "ics-robustness"
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".ics", ".ical", ".ifb")]
    ws = _workspace(engine)
    report = import_calendar_source(engine, ws, folder)
    assert report.items == len(files) > 250
    assert report.counts.new > 1000 and report.counts.quarantined > 0
    names = {p.relative_to(folder).as_posix() for p in files}
    for error in report.counts.errors:
        assert any(name in error for name in names), error
    with engine.connect() as conn:
        quarantined = conn.execute(select(captured_calendar_events.c.source_locator, captured_calendar_events.c.last_error)
                                   .where(captured_calendar_events.c.workspace_id == ws.id,
                                          captured_calendar_events.c.status == "quarantined")).all()
    assert quarantined and all(row.last_error for row in quarantined)
    assert any("invalid" in row.source_locator for row in quarantined)


def test_real_mailing_list_archive_imports_whole(engine: Engine, tmp_path: Path) -> None:
    """usrp-users: multipart MIME, DKIM/ARC, iso-2022-jp, latin-1, windows-1252 — nothing is lost."""
    import tarfile

    with tarfile.open(SHARED_DATA / "mail" / "usrp-users" / "usrp-users-2025-2026.tar.gz") as tar:
        tar.extractall(tmp_path / "usrp", filter="data")
    ws = _workspace(engine)
    report = import_mail_source(engine, ws, tmp_path / "usrp")
    mail = [p for p in (tmp_path / "usrp").rglob("*.eml")]
    assert len(mail) == 1088
    assert report.counts.new == 1088  # every message stored once; non-mail files (index.csv…) are skipped or named
    with engine.connect() as conn:
        threaded = conn.execute(select(func.count()).select_from(captured_emails).where(
            captured_emails.c.workspace_id == ws.id, captured_emails.c.in_reply_to.is_not(None))).scalar_one()
    assert threaded > 500
