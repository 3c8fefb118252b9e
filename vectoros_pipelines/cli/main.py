"""The `vectoros` command line: what operators use to run VectorOS without the UI."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table
from sqlalchemy import Row, func, select
from sqlalchemy.engine import Connection

from vectoros_pipelines.capture.live import LIVE_PROVIDERS, stale_after
from vectoros_pipelines.cli import capture, deals, evaluate, intelligence, privacy, users, workspace
from vectoros_pipelines.cli import integrations as integrations_cli
from vectoros_pipelines.cli.common import console, fail, load_workspace, user_errors
from vectoros_pipelines.cli.demo import demo
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.deals import EXPORT_FIELDS, export_deals
from vectoros_pipelines.storage.integrations import recent_sync_logs
from vectoros_pipelines.storage.schema import captured_calendar_events, captured_emails, integrations

os.environ.setdefault("HF_HUB_OFFLINE", "1")
LIVE_PROVIDER_NAMES = {p for providers in LIVE_PROVIDERS.values() for p in providers}

app = typer.Typer(
    help="VectorOS: deals, health, insights and forecasts from your team's mail and calendars.",
    no_args_is_help=True, pretty_exceptions_enable=False,
)
app.add_typer(workspace.app, name="workspace")
app.add_typer(capture.app, name="import")
export_app = typer.Typer(help="Export what the pipeline produced.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.command("demo")(demo)
capture.app.command("crm")(intelligence.import_crm_command)
app.command("forecast")(intelligence.forecast_command)
app.command("backtest")(intelligence.backtest_command)
app.add_typer(integrations_cli.app, name="integrations")
app.add_typer(integrations_cli.connect_app, name="connect")
app.add_typer(users.app, name="users")
app.add_typer(deals.app, name="deals")
app.add_typer(evaluate.app, name="eval")
app.add_typer(privacy.app, name="privacy")


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"--as-of {value!r} is not an ISO date or time (e.g. 2026-10-15T09:00:00-04:00)") from None


@app.command("run")
def run(
    workspace_key: str = typer.Option(..., "--workspace", "-w"),
    as_of: str | None = typer.Option(None, "--as-of", help="Compute health, insights and forecasts as of this time."),
) -> None:
    """Materialize every asset for a workspace in-process: what the sensors and schedules would do."""
    from vectoros_pipelines.runner import run_workspace

    when = _parse_time(as_of)
    with user_errors(), console.status("starting") as status:
        summary = run_workspace(workspace_key, as_of=when, progress=lambda step: status.update(step))
    console.print(f"{workspace_key}: {summary.capture_runs} capture partition(s), "
                  f"{len(summary.downstream_assets)} downstream asset(s)")
    for asset, metadata in summary.metadata.items():
        shown = {k: v for k, v in metadata.items() if isinstance(v, int | float | str) and len(str(v)) < 60}
        console.print(f"  [bold]{asset}[/] {shown}")
    for failure in summary.failures:
        console.print(f"  [red]failed[/] {failure}")
    if not summary.ok:
        raise typer.Exit(1)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"


@export_app.command("deals")
def export_deals_cmd(
    workspace_key: str = typer.Option(..., "--workspace", "-w"),
    fmt: ExportFormat = typer.Option(ExportFormat.json, "--format"),
) -> None:
    """Print the deals with the Message-IDs and event UIDs linked to each."""
    with user_errors():
        ws = load_workspace(workspace_key)
    with get_engine().connect() as conn:
        rows = export_deals(conn, ws.id)
    if fmt is ExportFormat.json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*EXPORT_FIELDS, "messages", "events"])
    writer.writeheader()
    for row in rows:
        writer.writerow(row | {"messages": " ".join(row["messages"]), "events": " ".join(row["events"])})
    typer.echo(buffer.getvalue(), nl=False)


def _completeness(conn: Connection, workspace_id: int, source: Row[Any], stale_before: datetime) -> str:
    """What the latest sync of a connected account says: a gap, a stale sync, or complete."""
    if source.provider not in LIVE_PROVIDER_NAMES:
        return "files"
    logs = recent_sync_logs(conn, workspace_id, source.id, limit=1)
    problems = []
    if logs and logs[0].gap:
        problems.append(f"[red]gap {logs[0].gap}[/]: listed by the provider, not captured")
    last = source.last_sync_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is None or last < stale_before:
        problems.append(f"[yellow]stale[/]: no sync for over {int(stale_after().total_seconds() // 60)} min")
    return "; ".join(problems) or "complete"


@app.command("status")
def status(
    workspace_key: str = typer.Option(..., "--workspace", "-w"),
    limit: int = typer.Option(50, help="How many quarantined items to list."),
) -> None:
    """Capture and processing state of a workspace, with every quarantined item and its error."""
    with user_errors():
        ws = load_workspace(workspace_key)
    with get_engine().connect() as conn:
        table = Table("table", "status", "rows")
        for name, t in (("emails", captured_emails), ("events", captured_calendar_events)):
            for state, n in conn.execute(select(t.c.status, func.count()).where(t.c.workspace_id == ws.id)
                                         .group_by(t.c.status).order_by(t.c.status)):
                table.add_row(name, state, str(n))
        console.print(table)
        sources = Table("source", "account", "status", "last sync", "completeness", "last error")
        stale_before = datetime.now(UTC) - stale_after()
        for s in conn.execute(select(integrations).where(integrations.c.workspace_id == ws.id)
                              .order_by(integrations.c.id)):
            sources.add_row(s.provider, s.account, s.status, str(s.last_sync_at or "never"),
                            _completeness(conn, ws.id, s, stale_before), (s.last_error or "")[:80])
        console.print(sources)
        quarantined = Table("kind", "item", "error", title="quarantined (replay after fixing: re-import)")
        for kind, t, key in (("email", captured_emails, captured_emails.c.source_locator),
                             ("event", captured_calendar_events, captured_calendar_events.c.source_locator)):
            for row in conn.execute(select(key, t.c.last_error).where(t.c.workspace_id == ws.id,
                                                                      t.c.status.in_(["quarantined", "failed"]))
                                    .order_by(t.c.id).limit(limit)):
                quarantined.add_row(kind, str(row[0]), (row[1] or "")[:160])
        if quarantined.row_count:
            console.print(quarantined)
