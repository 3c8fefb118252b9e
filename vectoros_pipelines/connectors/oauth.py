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


# ── web-server flow (the dashboard) ──────────────────────────────────────────
# The dashboard cannot run a loopback listener in the admin's browser, so it uses
# the "Web application" client type: Google redirects back to a page of the
# dashboard, which exchanges the code. The pieces below know nothing of Streamlit
# or of who is signed in; `dashboard.oauth_connect` binds them to an admin.

GOOGLE_ACCOUNT_HTTP_TIMEOUT_S = 30


class GoogleConsentError(RuntimeError):
    """Google's consent or token exchange did not give what VectorOS needs; the message says what to do."""


def scopes_for(provider: str) -> tuple[str, ...]:
    """The read-only scopes a provider's connector needs."""
    if provider == "gmail":
        return GMAIL_SCOPES
    if provider == "google_calendar":
        return CALENDAR_SCOPES
    raise ValueError(f"{provider!r} does not sign in with Google (gmail or google_calendar)")


def web_client_type(client_secrets: Path) -> str:
    """'web' or 'installed', from the client secrets JSON; raises if it is neither."""
    try:
        config = json.loads(client_secrets.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoogleConsentError(f"client secrets file {client_secrets} not found") from None
    except (OSError, ValueError) as exc:
        raise GoogleConsentError(f"client secrets file {client_secrets} is not readable JSON: {exc}") from None
    for kind in ("web", "installed"):
        if isinstance(config, dict) and isinstance(config.get(kind), dict):
            return kind
    raise GoogleConsentError(f"{client_secrets} is not a Google OAuth client file (no 'web' or 'installed' section)")


def web_flow(client_secrets: Path, scopes: Sequence[str], redirect_uri: str,
             code_verifier: str | None = None) -> Any:
    """A google-auth-oauthlib `Flow` for the web-server (redirect) flow, with PKCE.

    Pass the `code_verifier` kept from `authorization_url()` when exchanging the
    code: the callback runs in another request (another Streamlit session), so it
    builds a fresh Flow and must present the same verifier Google saw the challenge of.
    """
    from google_auth_oauthlib.flow import Flow

    return Flow.from_client_secrets_file(str(client_secrets), scopes=list(scopes), redirect_uri=redirect_uri,
                                         code_verifier=code_verifier, autogenerate_code_verifier=True)


def exchange_code(flow: Any, code: str, required_scopes: Sequence[str]) -> dict[str, Any]:
    """Trades the authorization code for tokens; returns the authorized-user token dict.

    With `include_granted_scopes=true` Google answers with every scope this client
    holds (e.g. Calendar granted earlier next to Gmail now), and with granular consent
    a person may untick a scope. oauthlib raises a bare `Warning` for any difference;
    more scopes are fine, fewer are refused because the connector could not sync.
    """
    try:
        flow.fetch_token(code=code)
    except Warning as changed:
        granted = {str(s) for s in (getattr(changed, "new_scope", None) or ())}
        token = getattr(changed, "token", None)
        if token is None:
            raise
        missing = set(required_scopes) - granted
        if missing:
            raise GoogleConsentError(
                "Google did not grant " + ", ".join(sorted(missing)) + ": tick the read access box on the "
                "consent screen and connect again") from None
        flow.oauth2session.token = dict(token)
    except GoogleConsentError:
        raise
    except Exception as exc:  # oauthlib / requests errors: invalid_grant, network, bad client secret
        detail = getattr(exc, "description", None) or str(exc) or type(exc).__name__
        raise GoogleConsentError(f"Google refused the sign-in code ({detail}); start the connection again") from None
    token = token_info(flow.credentials)
    if not token.get("refresh_token"):
        # prompt=consent should always yield one; without it the integration dies within the hour.
        raise GoogleConsentError("Google returned no refresh token; remove VectorOS under "
                                 "https://myaccount.google.com/permissions and connect again")
    return token


def google_account(provider: str, credentials: Credentials, http: Any | None = None) -> str:
    """The address of the mailbox or calendar the credentials open (what the CLI shows too).

    The same calls as `vectoros integrations connect`: Gmail's users.getProfile and the
    primary calendar's id, through the client library with static discovery (no fetch of
    the discovery document). `http` is injectable so tests can answer with HttpMockSequence.
    """
    import httplib2
    from google_auth_httplib2 import AuthorizedHttp
    from googleapiclient.discovery import build

    authorized = AuthorizedHttp(credentials, http=http or httplib2.Http(timeout=GOOGLE_ACCOUNT_HTTP_TIMEOUT_S))
    if provider == "gmail":
        service = build("gmail", "v1", http=authorized, static_discovery=True, cache_discovery=False)
        return str(service.users().getProfile(userId="me").execute()["emailAddress"])
    service = build("calendar", "v3", http=authorized, static_discovery=True, cache_discovery=False)
    return str(service.calendars().get(calendarId="primary").execute()["id"])
