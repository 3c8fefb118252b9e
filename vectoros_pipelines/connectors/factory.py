"""Builds the right connector for an integration row from its decrypted token.

The HTTP transport is injectable so tests drive the real Google client and
google-auth's refresh logic through `HttpMockSequence`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httplib2
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build

from vectoros_pipelines.connectors.errors import ReauthRequired
from vectoros_pipelines.connectors.gmail import GmailConnector, GmailSettings
from vectoros_pipelines.connectors.google_calendar import CalendarSettings, GoogleCalendarConnector
from vectoros_pipelines.connectors.imap import (
    ImapAccount,
    ImapConnector,
    ImapSettings,
    client_factory,
    password_login,
    xoauth2_login,
)
from vectoros_pipelines.connectors.microsoft_oauth import MsalGrant, MsalTokenSource
from vectoros_pipelines.connectors.oauth import google_credentials, token_info
from vectoros_pipelines.connectors.page import Connector
from vectoros_pipelines.connectors.retry import RetryPolicy
from vectoros_pipelines.storage.integrations import Integration

HTTP_TIMEOUT_S = 60


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ConnectorOptions:
    gmail: GmailSettings = field(default_factory=GmailSettings)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    imap: ImapSettings = field(default_factory=ImapSettings)
    retry: Callable[[], RetryPolicy] = RetryPolicy
    http: Callable[[], Any] = lambda: httplib2.Http(timeout=HTTP_TIMEOUT_S)
    now: Callable[[], datetime] = _utcnow


@dataclass
class OpenedConnector:
    connector: Connector[Any]
    # The token to store after the sync when the provider refreshed it, else None.
    refreshed_token: Callable[[], dict[str, Any] | None]


def open_connector(integration: Integration, token: dict[str, Any] | None,
                   options: ConnectorOptions | None = None) -> OpenedConnector:
    options = options or ConnectorOptions()
    if token is None:
        raise ReauthRequired(f"{integration.provider} {integration.account}: no stored credentials, connect again")
    if integration.provider in ("gmail", "google_calendar"):
        credentials = google_credentials(token)
        before = credentials.token
        http = AuthorizedHttp(credentials, http=options.http())

        def refreshed() -> dict[str, Any] | None:
            return token_info(credentials) if credentials.token != before else None

        if integration.provider == "gmail":
            service = build("gmail", "v1", http=http, static_discovery=True, cache_discovery=False)
            return OpenedConnector(GmailConnector(service, options.gmail, options.retry(), now=options.now), refreshed)
        service = build("calendar", "v3", http=http, static_discovery=True, cache_discovery=False)
        return OpenedConnector(GoogleCalendarConnector(service, options.calendar, options.retry(), now=options.now), refreshed)
    if integration.provider == "imap":
        account = ImapAccount(host=token["host"], username=token["username"], port=int(token.get("port", 993)),
                              ssl=bool(token.get("ssl", True)))
        if token.get("auth") == "xoauth2_msal":
            grant = MsalGrant(client_id=token["client_id"], tenant=token["tenant"], username=account.username,
                              cache=token["cache"])
            source = MsalTokenSource(grant)
            login = xoauth2_login(account.username, source)
            original_cache = grant.cache
            return OpenedConnector(
                ImapConnector(client_factory(account, login), options.imap, now=options.now),
                lambda: token | {"cache": grant.cache} if grant.cache != original_cache else None,
            )
        login = password_login(account.username, token["password"])
        return OpenedConnector(ImapConnector(client_factory(account, login), options.imap, now=options.now), lambda: None)
    raise ValueError(f"integration {integration.id}: provider {integration.provider!r} has no live connector")
