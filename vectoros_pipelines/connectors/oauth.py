"""Google OAuth 2.0: the consent flow at connect time and credentials at sync time.

`run_google_consent` uses google-auth-oauthlib's InstalledAppFlow with a
loopback redirect (http://localhost:<free port>/), the flow Google supports for
desktop and CLI clients. The token it returns — including the refresh token —
is what `storage.integrations` encrypts; nothing else keeps it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from google.oauth2.credentials import Credentials

GMAIL_SCOPES = ("https://www.googleapis.com/auth/gmail.readonly",)
CALENDAR_SCOPES = ("https://www.googleapis.com/auth/calendar.readonly",)


def run_google_consent(
    client_secrets: Path, scopes: Sequence[str], *, open_browser: bool = True, port: int = 0
) -> dict[str, Any]:
    """Asks the user to grant `scopes`; returns the authorized-user token as a dict."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    if not client_secrets.is_file():
        raise FileNotFoundError(
            f"client secrets file {client_secrets} not found: download an OAuth client of type "
            "'Desktop app' from Google Cloud Console → APIs & Services → Credentials"
        )
    flow = InstalledAppFlow.from_client_secrets_file(str(client_secrets), scopes=list(scopes))
    # access_type=offline + prompt=consent: Google only issues a refresh token on first
    # consent otherwise, and a reconnect without one could never sync unattended.
    credentials = flow.run_local_server(
        host="localhost", port=port, open_browser=open_browser, access_type="offline", prompt="consent",
        authorization_prompt_message="Open this URL to grant VectorOS read access: {url}",
        success_message="VectorOS is connected. You can close this tab.",
    )
    return token_info(credentials)


def token_info(credentials: Credentials) -> dict[str, Any]:
    info: dict[str, Any] = json.loads(credentials.to_json())
    return info


def google_credentials(info: dict[str, Any]) -> Credentials:
    """Credentials that refresh themselves from the stored refresh token."""
    credentials: Credentials = Credentials.from_authorized_user_info(info, scopes=info.get("scopes"))
    return credentials
