"""Loading a scenario folder (workspace.json, mailbox/, calendar.ics) into a workspace.

The format is the labelled-scenario format (shared/data/scenarios/README.md);
the demo generator writes it too, so the demo and evaluations share this path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from vectoros_pipelines.capture.calendar_capture import import_calendar_source
from vectoros_pipelines.capture.mail_capture import import_mail_source
from vectoros_pipelines.capture.sources import CaptureReport
from vectoros_pipelines.storage.workspaces import Workspace, WorkspaceError, get_workspace
from vectoros_pipelines.workspace_admin import create_workspace_everywhere


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    domains: tuple[str, ...]
    timezone: str
    as_of: datetime | None
    users: tuple[dict[str, str], ...]


# A scenario names roles in its author's words; the workspace knows three. Anything else is a member.
_ROLE_WORDS = {"admin": "admin", "owner": "admin", "administrator": "admin", "viewer": "viewer",
               "read-only": "viewer", "readonly": "viewer", "observer": "viewer"}


def _user(entry: dict[str, Any]) -> dict[str, Any]:
    role = str(entry.get("role") or "user").strip().lower()
    return {**entry, "role": _ROLE_WORDS.get(role, "user")}


def read_spec(folder: Path) -> ScenarioSpec:
    path = folder / "workspace.json"
    try:
        data = json.loads(path.read_text())
        return ScenarioSpec(
            name=data["name"], domains=tuple(data["domains"]), timezone=data.get("timezone", "UTC"),
            as_of=datetime.fromisoformat(data["as_of"]) if data.get("as_of") else None,
            users=tuple(_user(u) for u in data.get("users", ())),
        )
    except (OSError, ValueError, KeyError) as exc:
        raise WorkspaceError(f"cannot read scenario '{path}': {exc}") from exc


def replace_workspace(engine: Engine, slug: str) -> None:
    """Deletes a workspace and everything in it (rows cascade, vectors dropped), keeping an audit row."""
    from vectoros_pipelines.storage.erasure import erase_workspace
    from vectoros_pipelines.vectors.index import shared_index

    with engine.connect() as conn:
        try:
            workspace = get_workspace(conn, slug)
        except WorkspaceError:
            return
    erase_workspace(engine, workspace, shared_index(), actor="replace")


@dataclass
class LoadedScenario:
    workspace: Workspace
    spec: ScenarioSpec
    mail: CaptureReport
    calendar: CaptureReport | None


def load_scenario(engine: Engine, folder: Path, *, slug: str | None = None, fresh: bool = True) -> LoadedScenario:
    spec = read_spec(folder)
    from vectoros_pipelines.storage.workspaces import slugify

    key = slugify(slug or spec.name)
    if fresh:
        replace_workspace(engine, key)
    workspace = create_workspace_everywhere(spec.name, spec.domains, spec.timezone, slug=key, users=spec.users)
    mail = import_mail_source(engine, workspace, folder / "mailbox")
    calendar_path = folder / "calendar.ics"
    calendar = import_calendar_source(engine, workspace, calendar_path) if calendar_path.exists() else None
    return LoadedScenario(workspace, spec, mail, calendar)
