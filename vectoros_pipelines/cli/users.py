"""`vectoros users add|list|set-password`: the people who sign in to the dashboard."""

from __future__ import annotations

import typer
from rich.table import Table

from vectoros_pipelines.cli.common import console, fail, load_workspace, user_errors
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.workspaces import ROLES, add_user, list_users

app = typer.Typer(help="People of a workspace and their roles (admin | user | viewer).", no_args_is_help=True)


def _hash(password: str) -> str:
    from dashboard.auth import hash_password  # the dashboard owns sign-in; one hashing scheme (argon2id)

    if len(password) < 8:
        raise fail("a password needs at least 8 characters")
    return hash_password(password)


@app.command("add")
def add(
    email: str = typer.Argument(...),
    workspace: str = typer.Option(..., "--workspace", "-w"),
    name: str | None = typer.Option(None, "--name"),
    role: str = typer.Option("user", "--role", help=" | ".join(ROLES)),
    password: str | None = typer.Option(None, "--password", prompt=True, hide_input=True,
                                        confirmation_prompt=True, prompt_required=False),
) -> None:
    """Add a person (or change their role); with --password they can sign in to the dashboard."""
    with user_errors():
        ws = load_workspace(workspace)
        with get_engine().begin() as conn:
            user = add_user(conn, ws.id, email, name, role, _hash(password) if password else None)
    console.print(f"{user.email} is {user.role} of {ws.slug}")


@app.command("set-password")
def set_password(
    email: str = typer.Argument(...),
    workspace: str = typer.Option(..., "--workspace", "-w"),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Set the dashboard password of an existing person."""
    with user_errors():
        ws = load_workspace(workspace)
        with get_engine().begin() as conn:
            existing = {u.email: u for u in list_users(conn, ws.id)}
            user = existing.get(email.strip().lower())
            if user is None:
                raise fail(f"{email} is not a member of {ws.slug} (add them with `vectoros users add`)")
            add_user(conn, ws.id, user.email, user.name, user.role, _hash(password))
    console.print(f"password set for {email} in {ws.slug}")


@app.command("list")
def list_(workspace: str = typer.Option(..., "--workspace", "-w")) -> None:
    """List the people of a workspace."""
    with user_errors():
        ws = load_workspace(workspace)
    with get_engine().connect() as conn:
        table = Table("email", "name", "role")
        for u in list_users(conn, ws.id):
            table.add_row(u.email, u.name or "", u.role)
    console.print(table)
