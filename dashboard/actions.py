"""Every write the dashboard makes, each one checking the actor's role and workspace itself.

Pages hide buttons a role may not use, but that is only for comfort: each
function here re-reads the actor's user row from the database, refuses a role
below what the action needs, and touches only rows of the actor's workspace.
Every change writes an `audit_log` row.

The writes themselves are the other layers' where they exist: insight feedback
(`storage.intelligence.record_feedback`), merge / un-merge (`matching.service`,
which also re-derives both deals' fields and stops an undone pair from being
auto-merged again), disconnecting (`storage.integrations`). Two minimal writes
live here until their layers offer one: a hand correction of a deal field, and
registering a file/folder source (`storage.integrations` knows only OAuth/IMAP
providers so far).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.engine import Connection

from dashboard.auth import ROLE_RANK, Principal, hash_password
from vectoros_pipelines.storage.schema import (
    audit_log,
    captured_calendar_events,
    captured_emails,
    deal_changes,
    deals,
    integrations,
    users,
)
from vectoros_pipelines.storage.workspaces import ROLES, add_user


class ActionError(ValueError):
    """The action cannot be done as asked; the message says why, for the person who asked."""


class PermissionDenied(ActionError):
    pass


class NotFound(ActionError):
    pass


def now() -> datetime:
    return datetime.now(UTC)


def authorize(conn: Connection, actor: Principal, minimum_role: str) -> str:
    """The actor's current role, read from the database; raises unless it reaches `minimum_role`."""
    role = conn.execute(
        select(users.c.role).where(users.c.id == actor.user_id, users.c.workspace_id == actor.workspace_id,
                                   users.c.email == actor.email)
    ).scalar()
    if role is None:
        raise PermissionDenied("your account no longer has access to this workspace; sign in again")
    if ROLE_RANK.get(role, -1) < ROLE_RANK[minimum_role]:
        raise PermissionDenied(f"this needs the {minimum_role} role; you are {role}")
    return str(role)


def _audit(conn: Connection, actor: Principal, action: str, subject_type: str, subject_id: object,
           details: dict[str, Any]) -> None:
    conn.execute(audit_log.insert().values(
        workspace_id=actor.workspace_id, actor=actor.email, action=action, subject_type=subject_type,
        subject_id=str(subject_id), details=details,
    ))


# ── insights ─────────────────────────────────────────────────────────────────


def _feedback(conn: Connection, actor: Principal, insight_id: int, action: str, rating: int | None,
              comment: str | None) -> None:
    from vectoros_pipelines.storage.intelligence import record_feedback

    try:
        record_feedback(conn, actor.workspace_id, insight_id, action, actor.email, rating, comment or None)
    except LookupError as exc:
        raise NotFound(f"no insight {insight_id} in this workspace") from exc
    _audit(conn, actor, f"insight.{action}", "insight", insight_id, {"rating": rating, "comment": comment})


def set_insight_status(conn: Connection, actor: Principal, insight_id: int, status: str, comment: str | None = None) -> None:
    """Acknowledge or dismiss an insight; the feedback row is what the insight rules learn from."""
    if status not in ("acknowledged", "dismissed"):
        raise ActionError(f"an insight can be acknowledged or dismissed, not {status!r}")
    authorize(conn, actor, "user")
    _feedback(conn, actor, insight_id, status, None, comment)


def rate_insight(conn: Connection, actor: Principal, insight_id: int, rating: int, comment: str | None = None) -> None:
    if not 1 <= rating <= 5:
        raise ActionError("a rating is from 1 to 5")
    authorize(conn, actor, "user")
    _feedback(conn, actor, insight_id, "rated", rating, comment)


# ── deals ────────────────────────────────────────────────────────────────────

# Fields a person may correct, with how to read the typed-in text.
# The same fields matching lets a correction override (matching.deal_state.CORRECTABLE).
CORRECTABLE_FIELDS: dict[str, type] = {
    "name": str, "company": str, "domain": str, "value": float, "currency": str, "stage": str, "status": str,
    "close_date": date, "contact_name": str, "contact_email": str, "product": str,
}
STAGES = ("lead", "qualified", "demo", "proposal", "negotiation", "closed_won", "closed_lost")
STATUSES = ("open", "won", "lost")


def parse_field_value(field: str, raw: str) -> Any:
    kind = CORRECTABLE_FIELDS.get(field)
    if kind is None:
        raise ActionError(f"{field!r} cannot be corrected (choose one of {', '.join(CORRECTABLE_FIELDS)})")
    text = raw.strip()
    if not text:
        return None
    try:
        if kind is float:
            return float(text.replace(",", "").replace("_", ""))
        if kind is date:
            return date.fromisoformat(text)
    except ValueError as exc:
        raise ActionError(f"{text!r} is not a valid {field} ({'a number' if kind is float else 'YYYY-MM-DD'})") from exc
    if field == "stage" and text not in STAGES:
        raise ActionError(f"stage must be one of {', '.join(STAGES)}")
    if field == "status" and text not in STATUSES:
        raise ActionError(f"status must be one of {', '.join(STATUSES)}")
    if field == "currency":
        if len(text) != 3 or not text.isalpha():
            raise ActionError("currency is a three-letter ISO code such as EUR")
        return text.upper()
    if field.endswith("email"):
        if "@" not in text:
            raise ActionError(f"{text!r} is not an e-mail address")
        return text.lower()
    return text


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _live_deal(conn: Connection, actor: Principal, deal_id: int) -> Any:
    row = conn.execute(select(deals).where(deals.c.id == deal_id, deals.c.workspace_id == actor.workspace_id)).first()
    if row is None:
        raise NotFound(f"no deal {deal_id} in this workspace")
    return row


def correct_deal_field(conn: Connection, actor: Principal, deal_id: int, field: str, raw_value: str) -> Any:
    """Sets a field by hand and records it in `corrections`, which automatic updates must not overwrite."""
    authorize(conn, actor, "user")
    value = parse_field_value(field, raw_value)
    row = _live_deal(conn, actor, deal_id)
    if row.merged_into is not None:
        raise ActionError(f"deal {deal_id} was merged into deal {row.merged_into}; correct that one")
    old = getattr(row, field)
    # `{field: value}`, the shape matching folds in last (matching.deal_state.fold_evidence), so the
    # correction survives every later automatic update; who and when are in deal_changes and audit_log.
    corrections = dict(row.corrections or {})
    corrections[field] = _json_value(value)
    changes: dict[str, Any] = {field: value, "corrections": corrections, "updated_at": now()}
    if field == "status" and value in ("won", "lost") and row.closed_at is None:
        changes["closed_at"] = now()
    conn.execute(update(deals).where(deals.c.id == deal_id, deals.c.workspace_id == actor.workspace_id)
                 .values(**changes))
    conn.execute(deal_changes.insert().values(
        workspace_id=actor.workspace_id, deal_id=deal_id, field=field, old_value=_json_value(old),
        new_value=_json_value(value), actor=actor.email, changed_at=now()))
    _audit(conn, actor, "deal.correct", "deal", deal_id, {"field": field, "old": _json_value(old),
                                                          "new": _json_value(value)})
    return value


def merge_deals(engine: Engine, actor: Principal, source_id: int, target_id: int) -> None:
    """Folds `source` into `target` (matching's merge: messages move, fields are derived again, audited)."""
    with engine.begin() as conn:
        authorize(conn, actor, "user")
        if source_id == target_id:
            raise ActionError("a deal cannot be merged into itself")
        for deal_id in (source_id, target_id):
            row = _live_deal(conn, actor, deal_id)
            if row.merged_into is not None:
                raise ActionError(f"deal {deal_id} is already merged into deal {row.merged_into}")
    from vectoros_pipelines.matching import service  # imports the vector client: only when merging

    try:
        service.merge_deals(engine, actor.workspace_id, target_id, source_id, actor=actor.email)
    except (LookupError, ValueError) as exc:
        raise ActionError(str(exc)) from exc


def unmerge_deal(engine: Engine, actor: Principal, source_id: int) -> int:
    """Undoes a merge, automatic or by hand; matching never auto-merges that pair again. Returns the target."""
    with engine.begin() as conn:
        authorize(conn, actor, "user")
        if _live_deal(conn, actor, source_id).merged_into is None:
            raise ActionError(f"deal {source_id} is not merged into another deal")
    from vectoros_pipelines.matching import service

    try:
        return service.unmerge_deal(engine, actor.workspace_id, source_id, actor=actor.email)
    except (LookupError, ValueError) as exc:
        raise ActionError(str(exc)) from exc


# ── integrations ─────────────────────────────────────────────────────────────

FILE_PROVIDERS = {"mail": "mail_files", "calendar": "calendar_files"}


def connect_file_source(conn: Connection, actor: Principal, kind: str, path: str) -> int:
    """Registers an mbox/Maildir folder or .ics file/folder on the server as a source of this workspace."""
    authorize(conn, actor, "admin")
    if kind not in FILE_PROVIDERS:
        raise ActionError(f"kind must be mail or calendar, not {kind!r}")
    location = Path(path.strip()).expanduser()
    if not path.strip() or not location.is_absolute():
        raise ActionError("give the absolute path of a file or folder on the VectorOS server")
    if not location.exists():
        raise ActionError(f"{location} does not exist on the VectorOS server")
    provider = FILE_PROVIDERS[kind]
    existing = conn.execute(select(integrations.c.id).where(
        integrations.c.workspace_id == actor.workspace_id, integrations.c.provider == provider,
        integrations.c.account == str(location))).scalar()
    if existing is not None:
        raise ActionError(f"{location} is already connected")
    new_id = conn.execute(integrations.insert().values(
        workspace_id=actor.workspace_id, provider=provider, kind=kind, account=str(location), status="active",
    )).inserted_primary_key[0]  # type: ignore[index]
    _audit(conn, actor, "integration.connect", "integration", new_id, {"provider": provider, "account": str(location)})
    return int(new_id)


def disconnect_integration(conn: Connection, actor: Principal, integration_id: int) -> None:
    """Stops syncing and destroys the stored token; captured mail stays."""
    from vectoros_pipelines.storage import integrations as integration_store

    authorize(conn, actor, "admin")
    try:
        integration_store.disconnect_integration(conn, actor.workspace_id, integration_id, actor=actor.email)
    except LookupError as exc:
        raise NotFound(f"no integration {integration_id} in this workspace") from exc


def replay_quarantined(conn: Connection, actor: Principal, kind: str, ids: Sequence[int]) -> int:
    """Sends quarantined messages back to `pending` with a fresh attempt count, for the next run to retry."""
    authorize(conn, actor, "admin")
    table = {"email": captured_emails, "event": captured_calendar_events}.get(kind)
    if table is None:
        raise ActionError(f"kind must be email or event, not {kind!r}")
    if not ids:
        return 0
    count = conn.execute(
        update(table).where(table.c.workspace_id == actor.workspace_id, table.c.id.in_(list(ids)),
                            table.c.status == "quarantined")
        .values(status="pending", attempts=0, updated_at=now())
    ).rowcount or 0
    _audit(conn, actor, "capture.replay", kind, ",".join(map(str, ids))[:200], {"replayed": count})
    return int(count)


def may_sync(conn: Connection, actor: Principal) -> None:
    """Checked before asking Dagster for a run, which the warehouse cannot roll back."""
    authorize(conn, actor, "admin")


def record_sync_request(conn: Connection, actor: Principal, run_id: str, partition: str) -> None:
    authorize(conn, actor, "admin")
    _audit(conn, actor, "sync.launch", "workspace", actor.workspace_slug, {"run_id": run_id, "partition": partition})


# ── people and workspaces ────────────────────────────────────────────────────


def save_user(conn: Connection, actor: Principal, email: str, name: str | None, role: str,
              password: str | None) -> int:
    """Adds a person to the actor's workspace or changes their role / password."""
    authorize(conn, actor, "admin")
    if role not in ROLES:
        raise ActionError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise ActionError(f"{email!r} is not an e-mail address")
    if email.strip().lower() == actor.email and role != "admin":
        raise ActionError("you cannot take the admin role from yourself; ask another admin")
    if password is not None and len(password) < 10:
        raise ActionError("a password needs at least 10 characters")
    user = add_user(conn, actor.workspace_id, email, name or None, role,
                    password_hash=hash_password(password) if password else None)
    _audit(conn, actor, "user.save", "user", user.email, {"role": role, "password_set": bool(password)})
    return user.id


def remove_user(conn: Connection, actor: Principal, user_id: int) -> None:
    authorize(conn, actor, "admin")
    if user_id == actor.user_id:
        raise ActionError("you cannot remove yourself")
    email = conn.execute(select(users.c.email).where(
        users.c.id == user_id, users.c.workspace_id == actor.workspace_id)).scalar()
    if email is None:
        raise NotFound(f"no user {user_id} in this workspace")
    # The actor is an admin and cannot remove themselves, so the workspace always keeps one.
    conn.execute(delete(users).where(users.c.id == user_id, users.c.workspace_id == actor.workspace_id))
    _audit(conn, actor, "user.remove", "user", email, {})


def create_workspace(engine: Engine, actor: Principal, name: str, domains: Sequence[str], timezone: str) -> str:
    """A new workspace with its Dagster partition; the creator becomes its admin with the same password.

    Takes the engine rather than a connection: the workspace row is written by
    `create_workspace_everywhere` in its own transaction, and on SQLite a connection holding an
    older snapshot could not write the creator's membership afterwards.
    """
    from vectoros_pipelines.storage.workspaces import WorkspaceError
    from vectoros_pipelines.workspace_admin import create_workspace_everywhere

    with engine.begin() as conn:
        authorize(conn, actor, "admin")
        password_hash = conn.execute(select(users.c.password_hash).where(users.c.id == actor.user_id)).scalar()
    try:
        workspace = create_workspace_everywhere(name, domains, timezone)
    except WorkspaceError as exc:
        raise ActionError(str(exc)) from exc
    with engine.begin() as conn:
        add_user(conn, workspace.id, actor.email, actor.name, "admin", password_hash=password_hash)
        _audit(conn, actor, "workspace.create", "workspace", workspace.slug, {"name": name, "id": workspace.id})
    return workspace.slug


def erase_person(engine: Engine, actor: Principal, email: str) -> dict[str, int]:
    """GDPR erasure of one person in the actor's workspace (admins only).

    The dashboard never opens Qdrant's local store (one process at a time): with a
    Qdrant server the vectors go now; in local mode the scrubbed deals lose their
    embedding rows and the next pipeline run re-embeds them without the person.
    """
    import os

    from vectoros_pipelines.storage.erasure import erase_person as erase
    from vectoros_pipelines.storage.workspaces import get_workspace

    email = email.strip().lower()
    if "@" not in email:
        raise ActionError("enter the person's full e-mail address")
    with engine.begin() as conn:
        authorize(conn, actor, "admin")
        workspace = get_workspace(conn, actor.workspace_id)
    index = None
    if os.environ.get("QDRANT_URL"):
        from vectoros_pipelines.vectors.index import shared_index

        index = shared_index()
    return erase(engine, workspace, email, index, actor=actor.email).as_dict()
