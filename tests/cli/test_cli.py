"""The operator's CLI: workspaces, imports, status, export, users, and the demo end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from vectoros_pipelines.cli.main import app
from vectoros_pipelines.storage.schema import workspaces

runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_workspace_import_status_export(vectoros_env: Path) -> None:
    _ok("workspace", "create", "Northwind Sales", "--domain", "northwind.example", "--timezone", "America/New_York")
    assert "northwind-sales" in _ok("workspace", "list")
    out = _ok("import", "mail", "--workspace", "northwind-sales", str(FIXTURES / "mail" / "basic"))
    assert "2 new" in out and "1 quarantined" in out and "junk.bin" in out
    again = _ok("import", "mail", "--workspace", "northwind-sales", str(FIXTURES / "mail" / "basic"))
    assert "0 new" in again
    _ok("import", "calendar", "--workspace", "northwind-sales", str(FIXTURES / "calendar" / "basic"))
    shown = json.loads(_ok("workspace", "show", "northwind-sales", "--json"))
    assert (shown["emails"], shown["events"]) == (3, 9)
    status = _ok("status", "--workspace", "northwind-sales")
    assert "junk.bin" in status and "DTSTART missing" in status
    assert json.loads(_ok("export", "deals", "--workspace", "northwind-sales")) == []
    header = _ok("export", "deals", "--workspace", "northwind-sales", "--format", "csv").splitlines()[0]
    assert header.split(",") == ["id", "company", "domain", "value", "currency", "stage", "status", "contact_email",
                                 "product", "close_date", "source", "messages", "events"]


def test_clear_errors_for_bad_input(vectoros_env: Path) -> None:
    bad = runner.invoke(app, ["workspace", "create", "X", "--domain", "not a domain"])
    assert bad.exit_code == 1 and "is not a mail domain" in bad.output
    bad = runner.invoke(app, ["workspace", "create", "X", "--domain", "x.com", "--timezone", "Mars/Olympus"])
    assert bad.exit_code == 1 and "unknown time zone" in bad.output
    missing = runner.invoke(app, ["import", "mail", "--workspace", "nope", str(FIXTURES)])
    assert missing.exit_code == 1 and "no workspace 'nope'" in missing.output
    _ok("workspace", "create", "X", "--domain", "x.com")
    gone = runner.invoke(app, ["import", "mail", "--workspace", "x", "/no/such/folder"])
    assert gone.exit_code == 1 and "no such file or folder" in gone.output


def test_users_and_passwords(vectoros_env: Path) -> None:
    _ok("workspace", "create", "X", "--domain", "x.com")
    _ok("users", "add", "Ana@X.com", "-w", "x", "--role", "admin", "--name", "Ana")
    _ok("users", "set-password", "ana@x.com", "-w", "x", "--password", "correct horse")
    assert "admin" in _ok("users", "list", "-w", "x")
    from dashboard.auth import sign_in
    from vectoros_pipelines.storage.db import get_engine

    with get_engine().connect() as conn:
        assert [p.role for p in sign_in(conn, "ana@x.com", "correct horse")] == ["admin"]
        assert sign_in(conn, "ana@x.com", "wrong") == []


@pytest.mark.slow
def test_demo_end_to_end(vectoros_env: Path) -> None:
    out = _ok("demo", "--deals", "8", "--seed", "3")
    assert "dagster dev -w workspace.yaml" in out and "streamlit run dashboard/app.py" in out
    deals = json.loads(_ok("export", "deals", "--workspace", "demo"))
    assert len(deals) >= 4
    assert sum(len(d["messages"]) for d in deals) >= 20
    assert all(d["source"] in {"email", "calendar"} for d in deals)
    assert "processed" in _ok("status", "--workspace", "demo")
    from dashboard.auth import sign_in
    from vectoros_pipelines.cli.demo import DEMO_PASSWORD
    from vectoros_pipelines.storage.db import get_engine

    admin = out.split("sign in as ", 1)[1].split()[0]
    with get_engine().connect() as conn:
        assert [p.workspace_slug for p in sign_in(conn, admin, DEMO_PASSWORD)] == ["demo"]


def test_status_shows_a_sync_gap_and_a_stale_account(vectoros_env: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from vectoros_pipelines.security.crypto import load_cipher
    from vectoros_pipelines.storage.db import get_engine
    from vectoros_pipelines.storage.integrations import connect_integration
    from vectoros_pipelines.storage.schema import integrations, sync_logs

    _ok("workspace", "create", "X", "--domain", "x.com")
    engine = get_engine()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        ws_id = conn.execute(select(workspaces.c.id)).scalar_one()
        gmail = connect_integration(conn, load_cipher(), ws_id, "gmail", "ana@x.com", {"token": "t"})
        imap = connect_integration(conn, load_cipher(), ws_id, "imap", "bo@x.com", {"password": "p"})
        conn.execute(integrations.update().where(integrations.c.id == gmail.id).values(last_sync_at=now))
        conn.execute(integrations.update().where(integrations.c.id == imap.id)
                     .values(last_sync_at=now - timedelta(hours=5)))
        conn.execute(sync_logs.insert().values(workspace_id=ws_id, integration_id=gmail.id, started_at=now,
                                               finished_at=now, fetched=95, provider_total=100))
    out = _ok("status", "--workspace", "x")
    assert "gap 5" in out and "stale" in out
