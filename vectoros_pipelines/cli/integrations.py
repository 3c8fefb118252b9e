"""`vectoros integrations list|show|disconnect` and `vectoros integrations connect gmail|google-calendar|imap`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from vectoros_pipelines.cli.common import console, fail, load_workspace, user_errors
from vectoros_pipelines.connectors.errors import ReauthRequired
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage import integrations as store
from vectoros_pipelines.storage.db import get_engine

app = typer.Typer(help="Connected mailboxes and calendars: list, inspect, connect, disconnect.", no_args_is_help=True)
connect_app = typer.Typer(help="Connect an account (OAuth consent or IMAP login); the token is stored encrypted.",
                          no_args_is_help=True)
app.add_typer(connect_app, name="connect")

WORKSPACE = typer.Option(..., "--workspace", "-w", help="Workspace key.")


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value else "never"


@app.command("list")
def list_(workspace: str = WORKSPACE, as_json: bool = typer.Option(False, "--json")) -> None:
    """List a workspace's integrations with status and last sync."""
    with user_errors():
        ws = load_workspace(workspace)
    with get_engine().connect() as conn:
        rows = store.list_integrations(conn, ws.id)
    if as_json:
        console.print_json(json.dumps([
            {"id": i.id, "provider": i.provider, "account": i.account, "status": i.status,
             "last_sync_at": _when(i.last_sync_at), "last_error": i.last_error} for i in rows]))
        return
    table = Table("id", "provider", "account", "status", "last sync", "last error")
    for i in rows:
        table.add_row(str(i.id), i.provider, i.account, i.status, _when(i.last_sync_at), (i.last_error or "")[:80])
    console.print(table)


@app.command("show")
def show(integration_id: int = typer.Argument(..., help="Integration id (see `list`)."), workspace: str = WORKSPACE,
         logs: int = typer.Option(10, "--logs", help="How many recent syncs to show.")) -> None:
    """Show one integration: scopes, cursor, and its recent syncs with provider-vs-captured counts."""
    with user_errors():
        ws = load_workspace(workspace)
    with get_engine().connect() as conn:
        try:
            i = store.get_integration(conn, ws.id, integration_id)
        except store.IntegrationNotFound as exc:
            raise fail(str(exc)) from None
        history = store.recent_sync_logs(conn, ws.id, integration_id, logs)
    console.print(f"[bold]{i.provider}[/] {i.account}  status={i.status}  token={'stored' if i.has_token else 'none'}")
    console.print(f"scopes: {', '.join(i.scopes) or '-'}")
    console.print(f"last sync: {_when(i.last_sync_at)}   last error: {i.last_error or '-'}")
    console.print(f"cursor: {json.dumps(i.cursor) if i.cursor else '-'}")
    table = Table("started", "secs", "provider listed", "fetched", "new", "updated", "failed", "gap", "error")
    for log in history:
        table.add_row(_when(log.started_at), f"{log.duration_s or 0:.1f}", str(log.provider_total or 0),
                      str(log.fetched), str(log.new), str(log.updated), str(log.failed),
                      "-" if log.gap is None else str(log.gap), (log.error or "")[:80])
    console.print(table)


@app.command("disconnect")
def disconnect(integration_id: int = typer.Argument(...), workspace: str = WORKSPACE) -> None:
    """Stop syncing an account and delete its stored token (captured mail is kept)."""
    with user_errors():
        ws = load_workspace(workspace)
    with get_engine().begin() as conn:
        try:
            i = store.disconnect_integration(conn, ws.id, integration_id, actor="cli")
        except store.IntegrationNotFound as exc:
            raise fail(str(exc)) from None
    console.print(f"disconnected {i.provider} {i.account}; its token was deleted")


def _save(workspace_id: int, provider: str, account: str, token: dict[str, Any], scopes: tuple[str, ...]) -> None:
    with get_engine().begin() as conn:
        i = store.connect_integration(conn, load_cipher(), workspace_id, provider, account, token, scopes, actor="cli")
    console.print(f"connected {provider} [bold]{account}[/] as integration {i.id}; the next sensor tick syncs it")


def _google_connect(workspace: str, client_secrets: Path, provider: str, browser: bool, port: int) -> None:
    from googleapiclient.discovery import build

    from vectoros_pipelines.connectors.oauth import (
        CALENDAR_SCOPES,
        GMAIL_SCOPES,
        google_credentials,
        run_google_consent,
    )

    with user_errors():
        ws = load_workspace(workspace)
        scopes = GMAIL_SCOPES if provider == "gmail" else CALENDAR_SCOPES
        token = run_google_consent(client_secrets, scopes, open_browser=browser, port=port)
    if not token.get("refresh_token"):
        raise fail("Google returned no refresh token; remove VectorOS under https://myaccount.google.com/permissions "
                   "and connect again")
    credentials = google_credentials(token)
    if provider == "gmail":
        service = build("gmail", "v1", credentials=credentials, static_discovery=True, cache_discovery=False)
        account = service.users().getProfile(userId="me").execute()["emailAddress"]
    else:
        service = build("calendar", "v3", credentials=credentials, static_discovery=True, cache_discovery=False)
        account = service.calendars().get(calendarId="primary").execute()["id"]
    _save(ws.id, provider, account, token, scopes)


CLIENT_SECRETS = typer.Option(..., "--client-secrets", exists=False,
                              help="OAuth client JSON (type 'Desktop app') from Google Cloud Console.")
BROWSER = typer.Option(True, "--browser/--no-browser", help="Open the consent page automatically.")
PORT = typer.Option(0, "--port", help="Loopback port for the OAuth redirect (0 = any free port).")


@connect_app.command("gmail")
def connect_gmail(workspace: str = WORKSPACE, client_secrets: Path = CLIENT_SECRETS, browser: bool = BROWSER,
                  port: int = PORT) -> None:
    """Grant read-only Gmail access through Google's consent page (loopback redirect)."""
    _google_connect(workspace, client_secrets, "gmail", browser, port)


@connect_app.command("google-calendar")
def connect_google_calendar(workspace: str = WORKSPACE, client_secrets: Path = CLIENT_SECRETS,
                            browser: bool = BROWSER, port: int = PORT) -> None:
    """Grant read-only Google Calendar access through Google's consent page (loopback redirect)."""
    _google_connect(workspace, client_secrets, "google_calendar", browser, port)


@connect_app.command("imap")
def connect_imap(
    workspace: str = WORKSPACE,
    host: str = typer.Option(..., "--host", help="e.g. outlook.office365.com"),
    username: str = typer.Option(..., "--username"),
    port: int = typer.Option(993, "--port"),
    ssl: bool = typer.Option(True, "--ssl/--no-ssl", help="Implicit TLS (port 993)."),
    password_env: str | None = typer.Option(None, "--password-env", help="Environment variable holding the password."),
    xoauth2_msal: bool = typer.Option(False, "--xoauth2-msal", help="Sign in with Microsoft (device code, XOAUTH2)."),
    client_id: str | None = typer.Option(None, "--client-id", help="Azure app (public client) id for --xoauth2-msal."),
    tenant: str = typer.Option("organizations", "--tenant", help="Azure tenant id or 'organizations'."),
) -> None:
    """Connect an IMAP mailbox with a password or Microsoft OAuth; the login is tested before saving."""
    from vectoros_pipelines.connectors.imap import ImapAccount, client_factory, password_login, xoauth2_login

    with user_errors():
        ws = load_workspace(workspace)
    if xoauth2_msal == (password_env is not None):
        raise fail("choose exactly one of --password-env VAR or --xoauth2-msal")
    token: dict[str, Any] = {"host": host, "port": port, "ssl": ssl, "username": username}
    if password_env is not None:
        password = os.environ.get(password_env)
        if not password:
            raise fail(f"environment variable {password_env} is empty or not set")
        token |= {"auth": "password", "password": password}
        login = password_login(username, password)
    else:
        from vectoros_pipelines.connectors.microsoft_oauth import MsalTokenSource, device_flow_grant

        if not client_id:
            raise fail("--xoauth2-msal needs --client-id (an Azure app registration with IMAP.AccessAsUser.All)")
        grant = device_flow_grant(client_id, tenant, show=console.print)
        grant.username = grant.username or username
        token |= {"auth": "xoauth2_msal", "client_id": client_id, "tenant": tenant, "cache": grant.cache}
        login = xoauth2_login(username, MsalTokenSource(grant))
    try:
        client = client_factory(ImapAccount(host=host, username=username, port=port, ssl=ssl), login)()
        client.logout()
    except ReauthRequired as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot reach {host}:{port}: {exc}") from None
    _save(ws.id, "imap", username, token, ())
