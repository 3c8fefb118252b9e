"""Workspaces (tenants) and their users."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.engine import Connection

from vectoros_pipelines.storage.schema import audit_log, users, workspaces

ROLES = ("admin", "user", "viewer")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class WorkspaceError(ValueError):
    pass


@dataclass(frozen=True)
class Workspace:
    id: int
    slug: str
    name: str
    domains: tuple[str, ...]
    timezone: str
    status: str

    @property
    def partition_key(self) -> str:
        return self.slug


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise WorkspaceError(f"cannot make a workspace key from name {name!r}: use letters or digits")
    return slug[:100]


def _row(row: object) -> Workspace:
    m = row._mapping  # type: ignore[attr-defined]
    return Workspace(
        id=m["id"], slug=m["slug"], name=m["name"], domains=tuple(m["domains"]),
        timezone=m["timezone"], status=m["status"],
    )


def normalise_domains(domains: Sequence[str]) -> tuple[str, ...]:
    cleaned = []
    for raw in domains:
        domain = raw.strip().lower().lstrip("@")
        if not _DOMAIN.match(domain):
            raise WorkspaceError(f"{raw!r} is not a mail domain (expected something like example.com)")
        if domain not in cleaned:
            cleaned.append(domain)
    if not cleaned:
        raise WorkspaceError("a workspace needs at least one of its own mail domains (--domain)")
    return tuple(cleaned)


def create_workspace(
    conn: Connection, name: str, domains: Sequence[str], timezone: str = "UTC", slug: str | None = None
) -> Workspace:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise WorkspaceError(f"unknown time zone {timezone!r} (use an IANA name such as Europe/Berlin)") from exc
    slug = slugify(slug or name)
    if conn.execute(select(workspaces.c.id).where(workspaces.c.slug == slug)).first():
        raise WorkspaceError(f"workspace {slug!r} already exists")
    new_id = conn.execute(
        workspaces.insert().values(slug=slug, name=name, domains=list(normalise_domains(domains)), timezone=timezone)
        .returning(workspaces.c.id)
    ).scalar_one()
    conn.execute(audit_log.insert().values(
        workspace_id=new_id, action="workspace.create", subject_type="workspace", subject_id=slug,
        details={"name": name, "domains": list(domains), "timezone": timezone},
    ))
    return get_workspace(conn, slug)


def get_workspace(conn: Connection, key: str | int) -> Workspace:
    """A workspace by slug (or id); raises WorkspaceError naming what exists when it is unknown."""
    column = workspaces.c.id if isinstance(key, int) else workspaces.c.slug
    row = conn.execute(select(workspaces).where(column == key)).first()
    if row is None:
        known = ", ".join(w.slug for w in list_workspaces(conn)) or "none yet"
        raise WorkspaceError(f"no workspace {key!r} (known: {known})")
    return _row(row)


def list_workspaces(conn: Connection, *, active_only: bool = False) -> list[Workspace]:
    stmt = select(workspaces).order_by(workspaces.c.slug)
    if active_only:
        stmt = stmt.where(workspaces.c.status == "active")
    return [_row(r) for r in conn.execute(stmt)]


@dataclass(frozen=True)
class User:
    id: int
    workspace_id: int
    email: str
    name: str | None
    role: str


def add_user(
    conn: Connection, workspace_id: int, email: str, name: str | None = None, role: str = "user",
    password_hash: str | None = None,
) -> User:
    if role not in ROLES:
        raise WorkspaceError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    email = email.strip().lower()
    existing = conn.execute(
        select(users.c.id).where(users.c.workspace_id == workspace_id, users.c.email == email)
    ).first()
    values = {"name": name, "role": role}
    if password_hash is not None:
        values["password_hash"] = password_hash
    if existing:
        conn.execute(users.update().where(users.c.id == existing[0]).values(**values))
        user_id = existing[0]
    else:
        user_id = conn.execute(
            users.insert().values(workspace_id=workspace_id, email=email, **values).returning(users.c.id)
        ).scalar_one()
    return User(id=user_id, workspace_id=workspace_id, email=email, name=name, role=role)


def list_users(conn: Connection, workspace_id: int) -> list[User]:
    rows = conn.execute(select(users).where(users.c.workspace_id == workspace_id).order_by(users.c.email))
    return [User(id=r.id, workspace_id=r.workspace_id, email=r.email, name=r.name, role=r.role) for r in rows]
