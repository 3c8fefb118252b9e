"""Who is signed in: password sign-in against `users`, or a trusted proxy header.

A `Principal` is one user row: one person in one workspace with one role. The
workspace every page reads comes from the principal, never from a widget or
the URL, so no page can be pointed at another tenant's rows. Roles are checked
again inside every action (`dashboard.actions`), from the database, so hiding
a button is a convenience, not the control.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.engine import Connection

from vectoros_pipelines.storage.schema import users, workspaces

ROLE_RANK = {"viewer": 0, "user": 1, "admin": 2}
TRUSTED_HEADER = "X-Forwarded-Email"
TRUSTED_HEADER_FLAG = "VECTOROS_TRUSTED_HEADER_AUTH"

_hasher = PasswordHasher()
# Verifying against a real hash when the e-mail is unknown keeps sign-in time the same
# for known and unknown addresses, so the form does not reveal who has an account.
_DUMMY_HASH = _hasher.hash("vectoros-no-such-user")


@dataclass(frozen=True)
class Principal:
    user_id: int
    workspace_id: int
    workspace_slug: str
    workspace_name: str
    email: str
    name: str | None
    role: str

    def can(self, minimum_role: str) -> bool:
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[minimum_role]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _principals_for_email(conn: Connection, email: str) -> list[tuple[Principal, str | None]]:
    rows = conn.execute(
        select(users.c.id, users.c.workspace_id, users.c.email, users.c.name, users.c.role, users.c.password_hash,
               workspaces.c.slug, workspaces.c.name.label("workspace_name"))
        .join(workspaces, workspaces.c.id == users.c.workspace_id)
        .where(users.c.email == email.strip().lower(), workspaces.c.status == "active")
        .order_by(workspaces.c.slug)
    ).all()
    return [
        (Principal(user_id=r.id, workspace_id=r.workspace_id, workspace_slug=r.slug, workspace_name=r.workspace_name,
                   email=r.email, name=r.name, role=r.role), r.password_hash)
        for r in rows
    ]


def _password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sign_in(conn: Connection, email: str, password: str) -> list[Principal]:
    """Every workspace membership whose password matches; empty when the credentials are wrong."""
    candidates = _principals_for_email(conn, email)
    if not candidates:
        _password_matches(None, password)
        return []
    return [p for p, stored in candidates if _password_matches(stored, password)]


def trusted_header_enabled() -> bool:
    return os.environ.get(TRUSTED_HEADER_FLAG, "") == "1"


def principals_from_headers(conn: Connection, headers: Mapping[str, str]) -> list[Principal]:
    """Memberships of the address a trusted proxy vouches for; empty unless the operator enabled it."""
    if not trusted_header_enabled():
        return []
    email = next((v for k, v in headers.items() if k.lower() == TRUSTED_HEADER.lower()), "")
    return [p for p, _ in _principals_for_email(conn, email)] if email.strip() else []


def memberships(conn: Connection, email: str) -> list[Principal]:
    """The workspaces a signed-in person may switch between (one user row each)."""
    return [p for p, _ in _principals_for_email(conn, email)]


def refresh(conn: Connection, principal: Principal) -> Principal | None:
    """The principal as the database has it now (role changed, user removed, workspace gone → None)."""
    for candidate in memberships(conn, principal.email):
        if candidate.user_id == principal.user_id:
            return candidate
    return None
