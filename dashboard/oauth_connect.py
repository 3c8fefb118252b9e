"""Connect Gmail and Google Calendar from the dashboard: Google's web-server OAuth flow, bound to an admin.

The CLI's loopback flow (`vectoros integrations connect gmail`) cannot run in a
browser, so the Integrations page uses the "Web application" client type:

1. `start_connection` (admins only) signs a `state` naming the provider, the
   admin's user row and workspace, and an expiry ten minutes out, keeps the
   PKCE code_verifier in this process keyed by that state, and returns Google's
   consent URL.
2. Google redirects the browser to the Integrations page with `?code=&state=`
   (or `?error=access_denied&state=`). `complete_connection` checks the
   signature, the expiry and that the signed-in principal is the one the state
   names, takes the verifier out of the store (a state works once), re-checks
   the admin role in the database, exchanges the code, reads the account
   address from Google, and stores the token encrypted with `connect_integration`.

The state is HMAC-SHA256 signed with a key derived from the warehouse secret
(`load_cipher().current`), so a state cannot be forged, moved to another
workspace or person, or used after it expires. Nothing is stored unless every
step succeeded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from dashboard.actions import ActionError, authorize
from dashboard.auth import Principal
from vectoros_pipelines.connectors import oauth

CLIENT_SECRETS_ENV = "VECTOROS_GOOGLE_CLIENT_SECRETS"
DASHBOARD_URL_ENV = "VECTOROS_DASHBOARD_URL"
DEFAULT_DASHBOARD_URL = "http://127.0.0.1:8501"
# st.Page derives the URL path from the file name (dashboard/app_pages/integrations.py).
PAGE_PATH = "integrations"
STATE_TTL_S = 600
STATE_VERSION = 1
MAX_PENDING = 1000
PROVIDERS: dict[str, str] = {"gmail": "Gmail", "google_calendar": "Google Calendar"}


class OAuthConnectError(ActionError):
    """The connection could not be made; the message tells the admin what happened and what to do."""


class OAuthStateError(OAuthConnectError):
    pass


class NotConfigured(OAuthConnectError):
    pass


# ── configuration ────────────────────────────────────────────────────────────


def client_secrets_path(environ: Mapping[str, str] | None = None) -> Path | None:
    value = (environ if environ is not None else os.environ).get(CLIENT_SECRETS_ENV, "").strip()
    return Path(value).expanduser() if value else None


def redirect_uri(environ: Mapping[str, str] | None = None) -> str:
    """The Integrations page's public address; it must be listed as an authorized redirect URI at Google."""
    base = (environ if environ is not None else os.environ).get(DASHBOARD_URL_ENV, "").strip() or DEFAULT_DASHBOARD_URL
    return f"{base.rstrip('/')}/{PAGE_PATH}"


def configured_client_secrets() -> Path:
    """The web client's secrets file, or NotConfigured saying what is wrong with it."""
    path = client_secrets_path()
    if path is None:
        raise NotConfigured(f"{CLIENT_SECRETS_ENV} is not set")
    try:
        kind = oauth.web_client_type(path)
    except oauth.GoogleConsentError as exc:
        raise NotConfigured(str(exc)) from None
    if kind != "web":
        # A Desktop client only accepts loopback redirects to its own listener, so Google would
        # answer redirect_uri_mismatch; say so here rather than after the consent screen.
        raise NotConfigured(f"{path} holds a 'Desktop app' OAuth client; the dashboard needs a 'Web application' "
                            f"client with {redirect_uri()} as an authorized redirect URI")
    return path


# ── signed state ─────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class OAuthState:
    provider: str
    workspace_id: int
    user_id: int
    expires_at: int
    nonce: str


def state_key(secret: bytes) -> bytes:
    """An HMAC key of its own, derived from the AES key, so the encryption key never signs anything directly."""
    return hmac.new(secret, b"vectoros:dashboard:oauth-state:v1", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_state(key: bytes, provider: str, workspace_id: int, user_id: int, *, now: float | None = None,
               ttl_s: int = STATE_TTL_S) -> str:
    issued = int(time.time() if now is None else now)
    payload = {"v": STATE_VERSION, "p": provider, "w": workspace_id, "u": user_id, "exp": issued + ttl_s,
               "n": secrets.token_urlsafe(16)}
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return f"{body}.{_b64(hmac.new(key, body.encode('ascii'), hashlib.sha256).digest())}"


def verify_state(key: bytes, state: str, *, workspace_id: int, user_id: int, now: float | None = None) -> OAuthState:
    """The state's contents, if VectorOS signed it, it has not expired and it names this person in this workspace."""
    body, dot, signature = state.partition(".")
    try:
        expected = hmac.new(key, body.encode("ascii"), hashlib.sha256).digest()
        valid = bool(dot) and hmac.compare_digest(expected, _unb64(signature))
        payload = json.loads(_unb64(body)) if valid else None
    except (UnicodeError, binascii.Error, ValueError):
        valid, payload = False, None
    if not valid or not isinstance(payload, dict) or payload.get("v") != STATE_VERSION:
        raise OAuthStateError("this Google sign-in response was not started by VectorOS or was altered; "
                              "nothing was connected")
    try:
        parsed = OAuthState(provider=str(payload["p"]), workspace_id=int(payload["w"]), user_id=int(payload["u"]),
                            expires_at=int(payload["exp"]), nonce=str(payload["n"]))
    except (KeyError, TypeError, ValueError):
        raise OAuthStateError("this Google sign-in response is malformed; nothing was connected") from None
    if parsed.expires_at <= (time.time() if now is None else now):
        raise OAuthStateError(f"this Google sign-in expired (a connection has {STATE_TTL_S // 60} minutes); "
                              "nothing was connected — start again")
    if parsed.workspace_id != workspace_id or parsed.user_id != user_id:
        raise OAuthStateError("this Google sign-in was started by another person or in another workspace; "
                              "nothing was connected — switch to that workspace or start again here")
    if parsed.provider not in PROVIDERS:
        raise OAuthStateError(f"unknown provider {parsed.provider!r} in the sign-in response")
    return parsed


def _current_state_key() -> bytes:
    from vectoros_pipelines.security.crypto import load_cipher

    return state_key(load_cipher().current)


# ── PKCE verifiers, kept in this process ─────────────────────────────────────


class PendingFlows:
    """code_verifiers by state, single use, forgotten after the state's lifetime.

    In memory on purpose: the verifier never leaves the server, and the callback
    lands in a new Streamlit session of the same process. (Several dashboard
    replicas behind a load balancer need sticky sessions for this.)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_state: dict[str, tuple[str, float]] = {}

    def put(self, state: str, code_verifier: str, expires_at: float, now: float | None = None) -> None:
        moment = time.time() if now is None else now
        with self._lock:
            for stale in [s for s, (_, exp) in self._by_state.items() if exp <= moment]:
                del self._by_state[stale]
            if len(self._by_state) >= MAX_PENDING:
                # Bounded memory: the oldest unfinished sign-in goes first.
                del self._by_state[min(self._by_state, key=lambda s: self._by_state[s][1])]
            self._by_state[state] = (code_verifier, expires_at)

    def pop(self, state: str) -> str | None:
        with self._lock:
            found = self._by_state.pop(state, None)
        return found[0] if found else None

    def __len__(self) -> int:
        return len(self._by_state)


PENDING = PendingFlows()


# ── the two actions ──────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ConsentLink:
    provider: str
    url: str
    expires_at: int


def start_connection(conn: Connection, actor: Principal, provider: str, *, now: float | None = None) -> ConsentLink:
    """Google's consent URL for `provider`, with a state bound to this admin and workspace (admins only)."""
    authorize(conn, actor, "admin")
    if provider not in PROVIDERS:
        raise ActionError(f"provider must be one of {', '.join(PROVIDERS)}, not {provider!r}")
    client_secrets = configured_client_secrets()
    moment = time.time() if now is None else now
    state = sign_state(_current_state_key(), provider, actor.workspace_id, actor.user_id, now=moment)
    flow = oauth.web_flow(client_secrets, oauth.scopes_for(provider), redirect_uri())
    # offline + consent: a refresh token every time, so a reconnect can sync unattended;
    # include_granted_scopes: one grant per Google account covers Gmail and Calendar over time.
    url, _ = flow.authorization_url(access_type="offline", prompt="consent", include_granted_scopes="true",
                                    state=state)
    expires_at = int(moment) + STATE_TTL_S
    PENDING.put(state, str(flow.code_verifier), expires_at, now=moment)
    return ConsentLink(provider, str(url), expires_at)


@dataclass(frozen=True)
class Connected:
    integration_id: int
    provider: str
    account: str


# Reads the account address; replaced in tests to answer without Google.
AccountLookup = Callable[[str, Any], str]


def complete_connection(engine: Engine, actor: Principal, code: str, state: str, *,
                        account_lookup: AccountLookup | None = None, now: float | None = None) -> Connected:
    """Verifies Google's redirect and stores the token encrypted for the actor's workspace (admins only).

    Network calls run outside any transaction; the role is checked again in the
    transaction that stores, so an admin demoted meanwhile stores nothing.
    """
    from vectoros_pipelines.security.crypto import load_cipher
    from vectoros_pipelines.storage.integrations import connect_integration

    parsed = verify_state(_current_state_key(), state, workspace_id=actor.workspace_id, user_id=actor.user_id,
                          now=now)
    with engine.connect() as conn:
        authorize(conn, actor, "admin")
    code_verifier = PENDING.pop(state)
    if code_verifier is None:
        raise OAuthStateError("this Google sign-in was already used, or the dashboard restarted since it began; "
                              "nothing was connected — start again")
    if not code:
        raise OAuthConnectError("Google sent no authorization code; nothing was connected — start again")
    scopes = oauth.scopes_for(parsed.provider)
    flow = oauth.web_flow(configured_client_secrets(), scopes, redirect_uri(), code_verifier=code_verifier)
    try:
        token = oauth.exchange_code(flow, code, scopes)
        account = (account_lookup or oauth.google_account)(parsed.provider, oauth.google_credentials(token))
    except oauth.GoogleConsentError as exc:
        raise OAuthConnectError(str(exc)) from None
    except Exception as exc:  # the profile call failed (HttpError, network): nothing is stored
        raise OAuthConnectError(f"signed in, but reading the {PROVIDERS[parsed.provider]} account from Google "
                                f"failed ({type(exc).__name__}: {exc}); nothing was connected") from None
    with engine.begin() as conn:
        authorize(conn, actor, "admin")
        # connect_integration writes the integration.connect / .reconnect audit row with the admin as actor.
        integration = connect_integration(conn, load_cipher(), actor.workspace_id, parsed.provider, account, token,
                                          scopes, actor=actor.email)
    return Connected(integration.id, parsed.provider, integration.account)


def abandon(state: str | None) -> None:
    """Forgets the verifier of a sign-in Google reported as failed, so its state cannot be used later."""
    if state:
        PENDING.pop(state)


DENIED_MESSAGES = {
    "access_denied": "Google sign-in was cancelled or access was not granted; nothing was connected.",
}


def describe_google_error(error: str) -> str:
    return DENIED_MESSAGES.get(error, f"Google reported an error ({error}); nothing was connected.")


# ── the page's part ──────────────────────────────────────────────────────────


def callback_params(params: Mapping[str, str]) -> tuple[str, str, str] | None:
    """(code, state, error) when the query string is Google's redirect, else None."""
    if "state" not in params and "code" not in params and "error" not in params:
        return None
    return params.get("code", ""), params.get("state", ""), params.get("error", "")


def handle_callback(principal: Principal) -> None:
    """On the Integrations page: finishes a Google redirect found in the URL, shows the outcome, clears the URL.

    The query string is cleared whatever happened, so reloading the page never
    replays a code (Google would refuse it anyway, and the state is single use).
    """
    import streamlit as st

    from dashboard import session

    found = callback_params(dict(st.query_params))
    if found is None:
        return
    code, state, error = found
    st.query_params.clear()
    if error:
        abandon(state)
        st.error(describe_google_error(error))
        return
    outcome = session.act_on_engine(complete_connection, principal, code, state)
    if outcome.ok and outcome.value is not None:
        st.session_state[session.FLASH] = (f"Connected {PROVIDERS[outcome.value.provider]} "
                                           f"{outcome.value.account}; the next sensor tick syncs it")
        st.rerun()


def parse_pasted_redirect(text: str) -> tuple[str, str, str]:
    """(code, state, error) from the address Google redirected to, pasted by the admin.

    For when the redirect opened in a tab that is not signed in (password sign-in lives
    in the Streamlit session, which a new tab does not share): the address bar holds
    the same code and state, and the checks are the same as for the redirect itself.
    """
    from urllib.parse import parse_qs, urlsplit

    query = urlsplit(text.strip()).query or text.strip().lstrip("?")
    values = {k: v[0] for k, v in parse_qs(query).items() if v}
    found = callback_params(values)
    if found is None or not found[1]:
        raise OAuthConnectError("that is not the address Google sent you back to (it has no state= part)")
    return found
