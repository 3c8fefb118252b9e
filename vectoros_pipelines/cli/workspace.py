"""`vectoros workspace create|list|show`."""

from __future__ import annotations

import json

import typer
from rich.table import Table
from sqlalchemy import func, select

from vectoros_pipelines.cli.common import console, load_workspace, user_errors
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.schema import captured_calendar_events, captured_emails, deals, integrations
from vectoros_pipelines.storage.workspaces import list_users, list_workspaces
from vectoros_pipelines.workspace_admin import create_workspace_everywhere

app = typer.Typer(help="Create and inspect workspaces (tenants).", no_args_is_help=True)


@app.command("create")
def create(
    name: str = typer.Argument(..., help="Display name, e.g. 'Acme Sales'; its key is derived from it."),
    domain: list[str] = typer.Option(..., "--domain", help="The workspace's own mail domain (repeatable)."),
    timezone: str = typer.Option("UTC", "--timezone", help="IANA time zone for the 08:00 forecast."),
    key: str | None = typer.Option(None, "--key", help="Workspace key (default: derived from the name)."),
) -> None:
    """Create a workspace and register its Dagster partition."""
    with user_errors():
        workspace = create_workspace_everywhere(name, domain, timezone, slug=key)
    console.print(f"created workspace [bold]{workspace.slug}[/] ({', '.join(workspace.domains)}, {workspace.timezone})")


@app.command("list")
def list_() -> None:
    """List workspaces."""
    with get_engine().connect() as conn:
        rows = list_workspaces(conn)
    table = Table("key", "name", "domains", "time zone", "status")
    for w in rows:
        table.add_row(w.slug, w.name, ", ".join(w.domains), w.timezone, w.status)
    console.print(table)


@app.command("show")
def show(name: str = typer.Argument(..., help="Workspace key."), as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one workspace: domains, users, sources and what has been captured."""
    with user_errors():
        workspace = load_workspace(name)
    engine = get_engine()
    with engine.connect() as conn:
        users = list_users(conn, workspace.id)
        sources = conn.execute(select(integrations.c.provider, integrations.c.account, integrations.c.status,
                                      integrations.c.last_sync_at)
                               .where(integrations.c.workspace_id == workspace.id)).all()
        counts = {
            "emails": conn.execute(select(func.count()).select_from(captured_emails)
                                   .where(captured_emails.c.workspace_id == workspace.id)).scalar_one(),
            "events": conn.execute(select(func.count()).select_from(captured_calendar_events)
                                   .where(captured_calendar_events.c.workspace_id == workspace.id)).scalar_one(),
            "deals": conn.execute(select(func.count()).select_from(deals)
                                  .where(deals.c.workspace_id == workspace.id, deals.c.merged_into.is_(None)))
            .scalar_one(),
        }
    info = {
        "key": workspace.slug, "name": workspace.name, "domains": list(workspace.domains),
        "timezone": workspace.timezone, "status": workspace.status,
        "users": [{"email": u.email, "name": u.name, "role": u.role} for u in users],
        "sources": [{"provider": s.provider, "account": s.account, "status": s.status,
                     "last_sync_at": s.last_sync_at.isoformat() if s.last_sync_at else None} for s in sources],
        **counts,
    }
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    for label, value in info.items():
        if isinstance(value, list):
            console.print(f"[bold]{label}[/]:")
            for item in value:
                console.print(f"  {item}")
        else:
            console.print(f"[bold]{label}[/]: {value}")
