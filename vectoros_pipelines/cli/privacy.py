"""`vectoros privacy erase-person|erase-workspace`: GDPR erasure from SQL and Qdrant."""

from __future__ import annotations

import typer

from vectoros_pipelines.cli.common import console, load_workspace, user_errors
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.erasure import erase_person, erase_workspace

app = typer.Typer(help="Erase a person's data or a whole workspace (SQL and vectors, audited).", no_args_is_help=True)


def _index():  # noqa: ANN202 - VectorIndex, imported lazily (qdrant-client is slow to import)
    from vectoros_pipelines.vectors.index import shared_index

    return shared_index()


@app.command("erase-person")
def erase_person_cmd(
    email: str = typer.Argument(..., help="The person's email address."),
    workspace: str = typer.Option(..., "--workspace", "-w"),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Delete every message and meeting a person took part in, their account, and their name on deals."""
    with user_errors():
        ws = load_workspace(workspace)
    if not yes:
        typer.confirm(f"Erase everything about {email} in {ws.slug}? This cannot be undone", abort=True)
    report = erase_person(get_engine(), ws, email, _index(), actor="cli")
    console.print(f"erased {report.emails} message(s), {report.events} meeting(s), {report.users} user row(s); "
                  f"contact removed from {report.deals_scrubbed} deal(s)")


@app.command("erase-workspace")
def erase_workspace_cmd(
    workspace: str = typer.Argument(...),
    yes: bool = typer.Option(False, "--yes"),
) -> None:
    """Delete a workspace and all its data."""
    with user_errors():
        ws = load_workspace(workspace)
    if not yes:
        typer.confirm(f"Erase workspace {ws.slug} and all its data? This cannot be undone", abort=True)
    erase_workspace(get_engine(), ws, _index(), actor="cli")
    console.print(f"erased workspace {ws.slug}")
