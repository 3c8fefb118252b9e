"""Helpers shared by CLI commands: the engine, workspace lookup, error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.workspaces import Workspace, WorkspaceError, get_workspace

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turns expected errors (unknown workspace, bad path, bad input) into one clear line and exit code 1."""
    from vectoros_pipelines.capture.sources import SourceError

    try:
        yield
    except (WorkspaceError, SourceError, FileNotFoundError) as exc:
        raise fail(str(exc)) from None


def load_workspace(slug: str) -> Workspace:
    with get_engine().connect() as conn:
        return get_workspace(conn, slug)
