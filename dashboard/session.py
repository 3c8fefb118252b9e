"""Streamlit glue shared by every page: the engine, the signed-in principal, cached reads, actions.

Pages never pick a workspace id themselves: `require_principal()` returns the
signed-in principal and every read goes through `read(query, principal, ...)`,
which passes `principal.workspace_id` as the query's workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from dashboard import auth, queries
from dashboard.actions import ActionError
from dashboard.auth import Principal
from vectoros_pipelines.config import load_settings
from vectoros_pipelines.storage.db import get_engine

P = ParamSpec("P")
R = TypeVar("R")

PRINCIPAL = "vectoros_principal"
ALLOWED = "vectoros_allowed_user_ids"  # memberships proven at sign-in; the switcher offers only these
QUERY_TTL_S = 30
QUERY_CACHE_ENTRIES = 512


def database_url() -> str:
    return load_settings().database_url


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return get_engine(url)


def engine() -> Engine:
    return _engine(database_url())


@st.cache_data(ttl=QUERY_TTL_S, max_entries=QUERY_CACHE_ENTRIES, show_spinner=False)
def _cached_read(url: str, query_name: str, workspace_id: int, args: tuple[Any, ...]) -> Any:
    with _engine(url).connect() as conn:
        return getattr(queries, query_name)(conn, workspace_id, *args)


def read(query: Callable[..., R], principal: Principal, *args: Any) -> R:
    """Runs a `dashboard.queries` function for the principal's workspace, cached briefly.

    The database URL is part of the cache key so two warehouses in one process
    (tests, benchmarks) never share answers.
    """
    return _cached_read(database_url(), query.__name__, principal.workspace_id, args)  # type: ignore[no-any-return]


def read_fresh(query: Callable[..., R], principal: Principal, *args: Any) -> R:
    """Uncached read, for rows with decrypted text or right after a change."""
    with engine().connect() as conn:
        return query(conn, principal.workspace_id, *args)


@dataclass(frozen=True)
class Outcome(Generic[R]):
    ok: bool
    value: R | None = None


FLASH = "vectoros_flash"


def act(action: Callable[..., R], principal: Principal, *args: Any, success: str | None = None) -> Outcome[R]:
    """Runs a `dashboard.actions` function in one transaction; shows its refusal instead of a traceback.

    The success message survives the `st.rerun()` a page does after a change (see `show_flash`).
    """
    try:
        with engine().begin() as conn:
            result = action(conn, principal, *args)
    except ActionError as exc:
        st.error(str(exc))
        return Outcome(False)
    clear_cache()
    if success:
        st.session_state[FLASH] = success
    return Outcome(True, result)


def act_on_engine(action: Callable[..., R], principal: Principal, *args: Any, success: str | None = None) -> Outcome[R]:
    """Like `act`, for actions that run their own transactions (merges go through matching's service)."""
    try:
        result = action(engine(), principal, *args)
    except ActionError as exc:
        st.error(str(exc))
        return Outcome(False)
    clear_cache()
    if success:
        st.session_state[FLASH] = success
    return Outcome(True, result)


def clear_cache() -> None:
    _cached_read.clear()


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def with_connection(fn: Callable[[Connection], R]) -> R:
    with engine().connect() as conn:
        return fn(conn)


def _header_sign_in() -> None:
    """Signs in from the trusted proxy header when the operator enabled it (checked on every run)."""
    if not auth.trusted_header_enabled() or PRINCIPAL in st.session_state:
        return
    try:
        headers = dict(st.context.headers)
    except Exception:  # no request context (AppTest, bare mode): header sign-in does not apply
        return
    found = with_connection(lambda conn: auth.principals_from_headers(conn, headers))
    if found:
        start_session(found)


def start_session(principals: list[Principal]) -> None:
    st.session_state[PRINCIPAL] = principals[0]
    st.session_state[ALLOWED] = [p.user_id for p in principals]


def sign_out() -> None:
    for key in (PRINCIPAL, ALLOWED):
        st.session_state.pop(key, None)
    st.query_params.clear()


def current_principal() -> Principal | None:
    """The signed-in principal as the database has it now; None when signed out or access was revoked."""
    _header_sign_in()
    principal: Principal | None = st.session_state.get(PRINCIPAL)
    if principal is None:
        return None
    fresh = with_connection(lambda conn: auth.refresh(conn, principal))
    if fresh is None:
        sign_out()
        return None
    st.session_state[PRINCIPAL] = fresh
    return fresh


def require_principal() -> Principal:
    principal = current_principal()
    if principal is None:
        st.warning("Sign in to see this page.")
        st.stop()
    return principal


def switchable(principal: Principal) -> list[Principal]:
    allowed = set(st.session_state.get(ALLOWED, []))
    return [p for p in with_connection(lambda conn: auth.memberships(conn, principal.email)) if p.user_id in allowed]


def switch_to(principal: Principal) -> None:
    if principal.user_id not in st.session_state.get(ALLOWED, []):
        raise ActionError("you did not sign in to that workspace")
    st.session_state[PRINCIPAL] = principal
    st.query_params.clear()  # a deal id from one workspace means nothing in another


def allow(user_id: int) -> None:
    """After creating a workspace, its new membership may be switched to without signing in again."""
    st.session_state.setdefault(ALLOWED, []).append(user_id)


def role_note(principal: Principal, minimum_role: str) -> str | None:
    return None if principal.can(minimum_role) else f"Needs the {minimum_role} role (you are {principal.role})."
