"""Connecting Gmail / Google Calendar from the Integrations page through Google's web OAuth flow, offline.

Google is never reached: the token endpoint is answered by a fake requests
transport (which also records what the dashboard sent, so the PKCE verifier can
be checked), and the profile call goes through the real client library with
`HttpMockSequence` and static discovery.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from googleapiclient.http import HttpMockSequence
from sqlalchemy import Engine, select

from dashboard import actions, auth, oauth_connect
from tests.dashboard.conftest import texts
from tests.dashboard.seed import Seeded
from vectoros_pipelines.connectors import oauth
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage import integrations as integration_store
from vectoros_pipelines.storage.schema import audit_log, integrations

PAGE = "app_pages/integrations.py"
TOKEN_URI = "https://oauth2.googleapis.com/token"
KEY = oauth_connect.state_key(b"k" * 32)
GMAIL = oauth.GMAIL_SCOPES[0]
CALENDAR = oauth.CALENDAR_SCOPES[0]


def principal(engine: Engine, email: str, workspace_id: int | None = None) -> auth.Principal:
    with engine.connect() as conn:
        found = auth.memberships(conn, email)
    return next(p for p in found if workspace_id is None or p.workspace_id == workspace_id)


def client_secrets(tmp_path: Path, kind: str = "web") -> Path:
    path = tmp_path / f"client_secret_{kind}.json"
    path.write_text(json.dumps({kind: {
        "client_id": "1234-test.apps.googleusercontent.com", "client_secret": "GOCSPX-test",
        "project_id": "vectoros-test", "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": TOKEN_URI, "redirect_uris": ["http://127.0.0.1:8501/integrations"],
    }}))
    return path


class FakeGoogle:
    """Answers the token endpoint; refuses any other HTTP request made through requests."""

    def __init__(self) -> None:
        self.token_requests: list[dict[str, list[str]]] = []
        self.status = 200
        self.scope = GMAIL
        self.refresh_token: str | None = "1//refresh-secret"

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if request.url != TOKEN_URI:
            raise AssertionError(f"test tried to reach {request.url}")
        body = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
        self.token_requests.append(parse_qs(body))
        if self.status == 200:
            payload: dict[str, Any] = {"access_token": "ya29.access", "expires_in": 3599, "scope": self.scope,
                                       "token_type": "Bearer"}
            if self.refresh_token:
                payload["refresh_token"] = self.refresh_token
        else:
            payload = {"error": "invalid_grant", "error_description": "Bad Request"}
        response = requests.Response()
        response.status_code = self.status
        response._content = json.dumps(payload).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = str(request.url)
        response.request = request
        return response


@pytest.fixture
def google(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> FakeGoogle:
    """A configured web client, a fake token endpoint and a Gmail profile answered by HttpMockSequence."""
    fake = FakeGoogle()
    monkeypatch.setenv(oauth_connect.CLIENT_SECRETS_ENV, str(client_secrets(tmp_path)))
    monkeypatch.setenv(oauth_connect.DASHBOARD_URL_ENV, "https://revops.example.com/")
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send",
                        lambda adapter, request, **kwargs: fake.send(request, **kwargs))
    real_lookup = oauth.google_account

    def lookup(provider: str, credentials: Any) -> str:
        assert credentials.token == "ya29.access"
        answer = ({"emailAddress": "sales@acme.com", "messagesTotal": 10, "historyId": "1"} if provider == "gmail"
                  else {"id": "calendar@acme.com", "summary": "calendar@acme.com"})
        return real_lookup(provider, credentials, http=HttpMockSequence([({"status": "200"}, json.dumps(answer))]))

    monkeypatch.setattr(oauth, "google_account", lookup)
    return fake


def stored(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(integrations).where(integrations.c.provider.in_(["gmail", "google_calendar"])))
                    .all())


def start(engine: Engine, email: str = "admin@acme.com", provider: str = "gmail") -> tuple[str, dict[str, list[str]]]:
    with engine.begin() as conn:
        link = oauth_connect.start_connection(conn, principal(engine, email), provider)
    query = parse_qs(urlsplit(link.url).query)
    return query["state"][0], query


# ── the signed state ─────────────────────────────────────────────────────────


def test_state_round_trips_for_the_person_and_workspace_it_names() -> None:
    state = oauth_connect.sign_state(KEY, "gmail", 7, 42, now=1000)
    parsed = oauth_connect.verify_state(KEY, state, workspace_id=7, user_id=42, now=1000 + 599)
    assert (parsed.provider, parsed.workspace_id, parsed.user_id, parsed.expires_at) == ("gmail", 7, 42, 1600)
    assert oauth_connect.sign_state(KEY, "gmail", 7, 42, now=1000) != state  # a fresh nonce every time


@pytest.mark.parametrize("mutate", [
    lambda s: s[:-2] + ("AA" if not s.endswith("AA") else "BB"),  # signature changed
    lambda s: base64.urlsafe_b64encode(json.dumps(  # payload rewritten to another workspace, old signature
        {"v": 1, "p": "gmail", "w": 8, "u": 42, "exp": 1600, "n": "x"}).encode()).decode().rstrip("=")
        + "." + s.split(".")[1],
    lambda s: s.split(".")[0],  # signature dropped
    lambda s: "not-a-state",
    lambda s: "%%%.%%%",
])
def test_tampered_state_is_refused(mutate: Callable[[str], str]) -> None:
    state = oauth_connect.sign_state(KEY, "gmail", 7, 42, now=1000)
    with pytest.raises(oauth_connect.OAuthStateError, match="not started by VectorOS or was altered"):
        oauth_connect.verify_state(KEY, mutate(state), workspace_id=7, user_id=42, now=1000)


def test_state_signed_with_another_key_is_refused() -> None:
    state = oauth_connect.sign_state(oauth_connect.state_key(b"o" * 32), "gmail", 7, 42, now=1000)
    with pytest.raises(oauth_connect.OAuthStateError, match="altered"):
        oauth_connect.verify_state(KEY, state, workspace_id=7, user_id=42, now=1000)


def test_expired_state_is_refused() -> None:
    state = oauth_connect.sign_state(KEY, "gmail", 7, 42, now=1000)
    with pytest.raises(oauth_connect.OAuthStateError, match="expired"):
        oauth_connect.verify_state(KEY, state, workspace_id=7, user_id=42, now=1000 + oauth_connect.STATE_TTL_S)


@pytest.mark.parametrize(("workspace_id", "user_id"), [(8, 42), (7, 43)])
def test_state_for_another_workspace_or_person_is_refused(workspace_id: int, user_id: int) -> None:
    state = oauth_connect.sign_state(KEY, "gmail", 7, 42, now=1000)
    with pytest.raises(oauth_connect.OAuthStateError, match="another person or in another workspace"):
        oauth_connect.verify_state(KEY, state, workspace_id=workspace_id, user_id=user_id, now=1000)


def test_pending_verifiers_are_single_use_and_forgotten_after_expiry() -> None:
    pending = oauth_connect.PendingFlows()
    pending.put("a", "verifier-a", expires_at=100, now=0)
    pending.put("b", "verifier-b", expires_at=1000, now=0)
    assert pending.pop("a") == "verifier-a"
    assert pending.pop("a") is None
    pending.put("c", "verifier-c", expires_at=2000, now=1500)  # purges b, expired at 1000
    assert pending.pop("b") is None and len(pending) == 1


# ── configuration and the page without it ─────────────────────────────────────


def test_redirect_uri_is_the_integrations_page_of_the_dashboard_url() -> None:
    assert oauth_connect.redirect_uri({}) == "http://127.0.0.1:8501/integrations"
    assert oauth_connect.redirect_uri({oauth_connect.DASHBOARD_URL_ENV: "https://x.example/"}) == \
        "https://x.example/integrations"


def test_page_without_configuration_explains_setup_and_offers_the_cli(app_as, seeded: Seeded,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(oauth_connect.CLIENT_SECRETS_ENV, raising=False)
    at = app_as("admin@acme.com", PAGE)
    page = texts(at)
    assert "VECTOROS_GOOGLE_CLIENT_SECRETS is not set" in page
    assert "Web application" in page and "http://127.0.0.1:8501/integrations" in page
    commands = [c.value for c in at.code]
    assert "vectoros integrations connect gmail --workspace acme --client-secrets client_secret.json" in commands
    assert any("google-calendar" in c for c in commands)
    assert "IMAP mailboxes (Outlook / Microsoft 365 and other providers) connect only from the command line" in page
    assert not [b for b in at.button if b.key == "google_start"]


def test_a_desktop_client_file_is_explained_not_used(app_as, seeded: Seeded, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(oauth_connect.CLIENT_SECRETS_ENV, str(client_secrets(tmp_path, "installed")))
    assert "holds a 'Desktop app' OAuth client" in texts(app_as("admin@acme.com", PAGE))


# ── the whole flow through the page ───────────────────────────────────────────


def test_admin_connects_gmail_through_the_page(app_as, engine: Engine, seeded: Seeded, google: FakeGoogle) -> None:
    at = app_as("admin@acme.com", PAGE)
    at.button(key="google_start").click().run()
    assert not at.exception, at.exception
    links = at.session_state["vectoros_google_consent_links"]
    link = links[(seeded.workspace_a, "gmail")]
    url = urlsplit(link.url)
    query = parse_qs(url.query)
    assert url.netloc == "accounts.google.com"
    assert query["redirect_uri"] == ["https://revops.example.com/integrations"]
    assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    assert query["include_granted_scopes"] == ["true"] and query["scope"] == [GMAIL]
    assert query["code_challenge_method"] == ["S256"]
    assert [b.proto.url for b in at.get("link_button")] == [link.url]
    state = query["state"][0]

    # Google sends the browser back: a new session (signed in again) with ?code=&state=.
    back = app_as("admin@acme.com", PAGE, code="4/0-auth-code", state=state)
    assert "Connected Gmail sales@acme.com" in texts(back)
    assert not back.error
    assert "code" not in back.query_params and "state" not in back.query_params

    sent = google.token_requests[0]
    assert sent["code"] == ["4/0-auth-code"] and sent["grant_type"] == ["authorization_code"]
    verifier = sent["code_verifier"][0]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    assert query["code_challenge"] == [challenge]

    [row] = stored(engine)
    assert (row.workspace_id, row.provider, row.kind, row.account, row.status, row.scopes) == (
        seeded.workspace_a, "gmail", "mail", "sales@acme.com", "active", [GMAIL])
    assert b"refresh-secret" not in bytes(row.token_ciphertext)
    with engine.connect() as conn:
        integration = integration_store.get_integration(conn, seeded.workspace_a, row.id)
        token = json.loads(load_cipher().decrypt(
            bytes(row.token_ciphertext), row.token_key_id,
            f"integration-token:{seeded.workspace_a}:gmail:sales@acme.com".encode()))
        audit = conn.execute(select(audit_log.c.actor, audit_log.c.action, audit_log.c.workspace_id)
                             .where(audit_log.c.subject_type == "integration")).all()
    assert integration.has_token and token["refresh_token"] == "1//refresh-secret"
    assert [tuple(a) for a in audit] == [("admin@acme.com", "integration.connect", seeded.workspace_a)]

    # The same redirect again (a reload, or someone who saw the URL): single use, nothing more stored.
    again = app_as("admin@acme.com", PAGE, code="4/0-auth-code", state=state)
    assert "already used" in texts(again)
    assert len(google.token_requests) == 1 and len(stored(engine)) == 1


def test_calendar_connects_with_the_primary_calendar_id(engine: Engine, seeded: Seeded, google: FakeGoogle) -> None:
    google.scope = f"{CALENDAR} {GMAIL}"  # include_granted_scopes: Gmail granted earlier comes along; fine
    state, query = start(engine, provider="google_calendar")
    assert query["scope"] == [CALENDAR]
    done = oauth_connect.complete_connection(engine, principal(engine, "admin@acme.com"), "code", state)
    assert (done.provider, done.account) == ("google_calendar", "calendar@acme.com")
    [row] = stored(engine)
    assert (row.kind, row.scopes) == ("calendar", [CALENDAR])


def test_access_denied_stores_nothing(app_as, engine: Engine, seeded: Seeded, google: FakeGoogle) -> None:
    state, _ = start(engine)
    at = app_as("admin@acme.com", PAGE, error="access_denied", state=state)
    assert "Google sign-in was cancelled or access was not granted; nothing was connected." in texts(at)
    assert not google.token_requests and not stored(engine)
    assert oauth_connect.PENDING.pop(state) is None  # a denied sign-in's state is dead


def test_token_exchange_failure_stores_nothing(app_as, engine: Engine, seeded: Seeded, google: FakeGoogle) -> None:
    google.status = 400
    state, _ = start(engine)
    at = app_as("admin@acme.com", PAGE, code="stale", state=state)
    assert "Google refused the sign-in code" in texts(at)
    assert len(google.token_requests) == 1 and not stored(engine)


def test_a_narrower_grant_or_no_refresh_token_stores_nothing(engine: Engine, seeded: Seeded,
                                                            google: FakeGoogle) -> None:
    admin = principal(engine, "admin@acme.com")
    google.scope = "openid"  # the person unticked Gmail on the granular consent screen
    state, _ = start(engine)
    with pytest.raises(oauth_connect.OAuthConnectError, match="did not grant"):
        oauth_connect.complete_connection(engine, admin, "code", state)
    google.scope, google.refresh_token = GMAIL, None
    state, _ = start(engine)
    with pytest.raises(oauth_connect.OAuthConnectError, match="no refresh token"):
        oauth_connect.complete_connection(engine, admin, "code", state)
    assert not stored(engine)


def test_tampered_or_foreign_state_on_the_page_stores_nothing(app_as, engine: Engine, seeded: Seeded,
                                                              google: FakeGoogle) -> None:
    state, _ = start(engine)
    body, signature = state.split(".")
    tampered = app_as("admin@acme.com", PAGE, code="c", state=f"{body}x.{signature}")
    assert "was altered" in texts(tampered)
    # Dana (a user of the same workspace) opening the admin's redirect: bound to the admin, refused.
    foreign = app_as("dana@acme.com", PAGE, code="c", state=state)
    assert "started by another person or in another workspace" in texts(foreign)
    assert not google.token_requests and not stored(engine)


def test_the_pasted_redirect_address_finishes_the_same_way(app_as, engine: Engine, seeded: Seeded,
                                                           google: FakeGoogle) -> None:
    at = app_as("admin@acme.com", PAGE)
    at.button(key="google_start").click().run()
    state = parse_qs(urlsplit(at.session_state["vectoros_google_consent_links"][
        (seeded.workspace_a, "gmail")].url).query)["state"][0]
    at.text_input(key="google_pasted").input(f"https://revops.example.com/integrations?state={state}&code=4/0-x")
    next(b for b in at.button if b.label == "Finish connecting").click().run()
    assert not at.exception, at.exception
    assert "Connected Gmail sales@acme.com" in texts(at)
    assert [r.account for r in stored(engine)] == ["sales@acme.com"]


def test_parse_pasted_redirect() -> None:
    assert oauth_connect.parse_pasted_redirect("https://x/integrations?state=s.t&code=4%2F0-c&scope=a") == \
        ("4/0-c", "s.t", "")
    assert oauth_connect.parse_pasted_redirect("?error=access_denied&state=s") == ("", "s", "access_denied")
    with pytest.raises(oauth_connect.OAuthConnectError):
        oauth_connect.parse_pasted_redirect("https://x/integrations")


# ── roles, enforced on the server ────────────────────────────────────────────


@pytest.mark.parametrize("email", ["dana@acme.com", "vic@acme.com"])
def test_non_admins_cannot_start_or_finish_a_connection(engine: Engine, seeded: Seeded, google: FakeGoogle,
                                                        email: str) -> None:
    with pytest.raises(actions.PermissionDenied, match="needs the admin role"):
        start(engine, email)
    someone = principal(engine, email)
    # Even a correctly signed state naming them (say, minted while they were admin) gets nowhere.
    state = oauth_connect.sign_state(oauth_connect._current_state_key(), "gmail", someone.workspace_id,
                                     someone.user_id)
    oauth_connect.PENDING.put(state, "v" * 64, expires_at=10**10)
    with pytest.raises(actions.PermissionDenied):
        oauth_connect.complete_connection(engine, someone, "code", state)
    assert not google.token_requests and not stored(engine)


def test_viewer_sees_the_google_button_disabled(app_as, seeded: Seeded, google: FakeGoogle) -> None:
    at = app_as("vic@acme.com", PAGE)
    assert at.button(key="google_start").disabled


def test_admin_demoted_between_start_and_callback_stores_nothing(engine: Engine, seeded: Seeded,
                                                                 google: FakeGoogle) -> None:
    from vectoros_pipelines.storage.schema import users

    state, _ = start(engine)
    admin = principal(engine, "admin@acme.com")
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.id == admin.user_id).values(role="user"))
    with pytest.raises(actions.PermissionDenied):
        oauth_connect.complete_connection(engine, admin, "code", state)
    assert not google.token_requests and not stored(engine)


# ── the connectors' side, through the real client library ──────────────────────


def test_google_account_reads_the_gmail_profile_and_primary_calendar() -> None:
    credentials = oauth.google_credentials({"token": "ya29.a", "refresh_token": "r", "client_id": "c",
                                            "client_secret": "s", "token_uri": TOKEN_URI,
                                            "expiry": "2999-01-01T00:00:00Z"})  # valid: no refresh call
    gmail = HttpMockSequence([({"status": "200"}, json.dumps({"emailAddress": "a@acme.com"}))])
    calendar = HttpMockSequence([({"status": "200"}, json.dumps({"id": "b@acme.com"}))])
    assert oauth.google_account("gmail", credentials, http=gmail) == "a@acme.com"
    assert oauth.google_account("google_calendar", credentials, http=calendar) == "b@acme.com"


def test_redirect_to_a_signed_out_session_finishes_after_password_sign_in(
    app_as, engine: Engine, seeded: Seeded, google: FakeGoogle,
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.conftest import APP, TIMEOUT_S
    from tests.dashboard.seed import PASSWORD

    at = app_as("admin@acme.com", PAGE)
    at.button(key="google_start").click().run()
    link = at.session_state["vectoros_google_consent_links"][(seeded.workspace_a, "gmail")]
    state = parse_qs(urlsplit(link.url).query)["state"][0]

    # Google's redirect lands in a new browser session that nobody has signed in to yet.
    fresh = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    fresh.query_params["code"] = "4/0-auth-code"
    fresh.query_params["state"] = state
    fresh.run()
    fresh.text_input(key="sign_in_email").input("admin@acme.com")
    fresh.text_input(key="sign_in_password").input(PASSWORD)
    fresh.button[0].click().run()
    fresh.run()
    assert not fresh.exception, fresh.exception
    assert [(r.provider, r.account) for r in stored(engine)] == [("gmail", "sales@acme.com")]
