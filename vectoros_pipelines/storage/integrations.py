"""Connected accounts (`integrations`) and their sync history (`sync_logs`).

Tokens are stored only as AES-256-GCM ciphertext with their key id, and the
ciphertext is bound to its row (workspace, provider, account) as associated
data, so a token copied onto another row fails to decrypt instead of syncing
someone else's mailbox. Every query filters on `workspace_id`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import desc, select
from sqlalchemy.engine import Connection

from vectoros_pipelines.security.crypto import Cipher
from vectoros_pipelines.storage.schema import audit_log, integrations, sync_logs

PROVIDER_KINDS = {"gmail": "mail", "google_calendar": "calendar", "imap": "mail"}
STATUSES = ("active", "needs_reauth", "error", "disconnected")


class IntegrationNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Integration:
    id: int
    workspace_id: int
    provider: str
    kind: str
    account: str
    scopes: tuple[str, ...]
    status: str
    cursor: dict[str, Any] | None
    last_sync_at: datetime | None
    last_error: str | None
    created_at: datetime | None
    has_token: bool


@dataclass(frozen=True)
class SyncLog:
    id: int
    integration_id: int | None
    started_at: datetime
    finished_at: datetime | None
    fetched: int
    new: int
    updated: int
    failed: int
    provider_total: int | None
    duration_s: float | None
    error: str | None

    @property
    def gap(self) -> int | None:
        """Items the provider listed that were neither stored nor explained; None while unknown."""
        if self.provider_total is None or self.finished_at is None:
            return None
        return max(0, self.provider_total - self.fetched)


def _integration(row: Any) -> Integration:
    m = row._mapping
    return Integration(
        id=m["id"], workspace_id=m["workspace_id"], provider=m["provider"], kind=m["kind"], account=m["account"],
        scopes=tuple(m["scopes"] or ()), status=m["status"], cursor=m["cursor"], last_sync_at=_aware(m["last_sync_at"]),
        last_error=m["last_error"], created_at=_aware(m["created_at"]), has_token=m["token_ciphertext"] is not None,
    )


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything we write is UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _token_binding(workspace_id: int, provider: str, account: str) -> bytes:
    return f"integration-token:{workspace_id}:{provider}:{account}".encode()


def _audit(conn: Connection, workspace_id: int, action: str, integration: Integration, actor: str) -> None:
    conn.execute(audit_log.insert().values(
        workspace_id=workspace_id, actor=actor, action=action, subject_type="integration",
        subject_id=str(integration.id), details={"provider": integration.provider, "account": integration.account},
    ))


def connect_integration(
    conn: Connection,
    cipher: Cipher,
    workspace_id: int,
    provider: str,
    account: str,
    token: dict[str, Any] | None,
    scopes: Sequence[str] = (),
    actor: str = "system",
) -> Integration:
    """Creates the integration, or re-activates it with the new token on reconnect (keeping its cursor)."""
    if provider not in PROVIDER_KINDS:
        raise ValueError(f"unknown provider {provider!r} (one of {', '.join(PROVIDER_KINDS)})")
    account = account.strip()
    values: dict[str, Any] = {
        "kind": PROVIDER_KINDS[provider], "scopes": list(scopes), "status": "active", "last_error": None,
        "token_ciphertext": None, "token_key_id": None,
    }
    if token is not None:
        values["token_ciphertext"] = cipher.encrypt(
            json.dumps(token).encode("utf-8"), _token_binding(workspace_id, provider, account)
        )
        values["token_key_id"] = cipher.key_id
    existing = conn.execute(select(integrations.c.id).where(
        integrations.c.workspace_id == workspace_id, integrations.c.provider == provider,
        integrations.c.account == account,
    )).first()
    if existing:
        conn.execute(integrations.update().where(
            integrations.c.workspace_id == workspace_id, integrations.c.id == existing[0]).values(**values))
        integration_id = existing[0]
    else:
        integration_id = conn.execute(integrations.insert().values(
            workspace_id=workspace_id, provider=provider, account=account, **values)).inserted_primary_key[0]  # type: ignore[index]
    integration = get_integration(conn, workspace_id, integration_id)
    _audit(conn, workspace_id, "integration.reconnect" if existing else "integration.connect", integration, actor)
    return integration


def get_integration(conn: Connection, workspace_id: int, integration_id: int) -> Integration:
    row = conn.execute(select(integrations).where(
        integrations.c.workspace_id == workspace_id, integrations.c.id == integration_id)).first()
    if row is None:
        raise IntegrationNotFound(f"no integration {integration_id} in this workspace (see `vectoros integrations list`)")
    return _integration(row)


def list_integrations(
    conn: Connection, workspace_id: int, *, statuses: Sequence[str] | None = None, kind: str | None = None
) -> list[Integration]:
    stmt = select(integrations).where(integrations.c.workspace_id == workspace_id).order_by(integrations.c.id)
    if statuses:
        stmt = stmt.where(integrations.c.status.in_(list(statuses)))
    if kind:
        stmt = stmt.where(integrations.c.kind == kind)
    return [_integration(r) for r in conn.execute(stmt)]


def disconnect_integration(conn: Connection, workspace_id: int, integration_id: int, actor: str = "system") -> Integration:
    """Stops syncing and destroys the stored token; captured mail stays (GDPR deletion is separate)."""
    get_integration(conn, workspace_id, integration_id)
    conn.execute(integrations.update().where(
        integrations.c.workspace_id == workspace_id, integrations.c.id == integration_id,
    ).values(status="disconnected", token_ciphertext=None, token_key_id=None))
    integration = get_integration(conn, workspace_id, integration_id)
    _audit(conn, workspace_id, "integration.disconnect", integration, actor)
    return integration


def load_token(conn: Connection, cipher: Cipher, workspace_id: int, integration_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(
        integrations.c.provider, integrations.c.account, integrations.c.token_ciphertext, integrations.c.token_key_id,
    ).where(integrations.c.workspace_id == workspace_id, integrations.c.id == integration_id)).first()
    if row is None:
        raise IntegrationNotFound(f"no integration {integration_id} in this workspace")
    if row.token_ciphertext is None or row.token_key_id is None:
        return None
    plain = cipher.decrypt(bytes(row.token_ciphertext), row.token_key_id,
                           _token_binding(workspace_id, row.provider, row.account))
    token: dict[str, Any] = json.loads(plain)
    return token


def save_token(conn: Connection, cipher: Cipher, workspace_id: int, integration_id: int, token: dict[str, Any]) -> None:
    """Replaces the token after a refresh (also re-encrypts it under the current key)."""
    integration = get_integration(conn, workspace_id, integration_id)
    conn.execute(integrations.update().where(
        integrations.c.workspace_id == workspace_id, integrations.c.id == integration_id,
    ).values(
        token_ciphertext=cipher.encrypt(json.dumps(token).encode("utf-8"),
                                        _token_binding(workspace_id, integration.provider, integration.account)),
        token_key_id=cipher.key_id,
    ))


def save_cursor(conn: Connection, workspace_id: int, integration_id: int, cursor: dict[str, Any] | None) -> None:
    conn.execute(integrations.update().where(
        integrations.c.workspace_id == workspace_id, integrations.c.id == integration_id).values(cursor=cursor))


def mark_status(conn: Connection, workspace_id: int, integration_id: int, status: str, error: str | None = None) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    conn.execute(integrations.update().where(
        integrations.c.workspace_id == workspace_id, integrations.c.id == integration_id,
    ).values(status=status, last_error=error))


def mark_synced(conn: Connection, workspace_id: int, integration_id: int, at: datetime) -> None:
    conn.execute(integrations.update().where(
        integrations.c.workspace_id == workspace_id, integrations.c.id == integration_id,
    ).values(last_sync_at=at, last_error=None, status="active"))


def start_sync_log(conn: Connection, workspace_id: int, integration_id: int, started_at: datetime,
                   partition_key: str | None = None) -> int:
    log_id: int = conn.execute(sync_logs.insert().values(
        workspace_id=workspace_id, integration_id=integration_id, started_at=started_at, partition_key=partition_key,
    )).inserted_primary_key[0]  # type: ignore[index]
    return log_id


def finish_sync_log(
    conn: Connection, workspace_id: int, log_id: int, *, finished_at: datetime, fetched: int, new: int,
    updated: int, failed: int, provider_total: int | None, duration_s: float, error: str | None,
) -> None:
    conn.execute(sync_logs.update().where(sync_logs.c.workspace_id == workspace_id, sync_logs.c.id == log_id).values(
        finished_at=finished_at, fetched=fetched, new=new, updated=updated, failed=failed,
        provider_total=provider_total, duration_s=duration_s, error=error,
    ))


def recent_sync_logs(conn: Connection, workspace_id: int, integration_id: int, limit: int = 10) -> list[SyncLog]:
    rows = conn.execute(select(sync_logs).where(
        sync_logs.c.workspace_id == workspace_id, sync_logs.c.integration_id == integration_id,
    ).order_by(desc(sync_logs.c.started_at), desc(sync_logs.c.id)).limit(limit))
    return [
        SyncLog(id=r.id, integration_id=r.integration_id, started_at=_aware(r.started_at) or r.started_at,
                finished_at=_aware(r.finished_at), fetched=r.fetched, new=r.new, updated=r.updated, failed=r.failed,
                provider_total=r.provider_total, duration_s=r.duration_s, error=r.error)
        for r in rows
    ]
