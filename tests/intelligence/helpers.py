"""Small builders shared by the intelligence tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from vectoros_pipelines.storage.schema import activities, deals, workspaces

MAVEN = Path(__file__).resolve().parents[3] / "shared" / "data" / "crm" / "maven"

SALESFORCE_HEADER = "Opportunity ID,Opportunity Name,Account Name,Amount,Currency,Stage,Created Date,Close Date,Opportunity Owner,Product Name\n"


def make_workspace(engine: Engine, slug: str) -> int:
    with engine.begin() as conn:
        key = conn.execute(workspaces.insert().values(slug=slug, name=slug.title(), domains=[f"{slug}.example"])
                           ).inserted_primary_key
        assert key is not None
        return int(key[0])


def write_csv(path: Path, rows: list[str], header: str = SALESFORCE_HEADER) -> Path:
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def add_deal(engine: Engine, workspace_id: int, **values: Any) -> int:
    defaults: dict[str, Any] = {"stage": "qualified", "status": "open", "source": "email",
                                "opened_at": datetime(2024, 1, 1, tzinfo=UTC)}
    with engine.begin() as conn:
        key = conn.execute(deals.insert().values(workspace_id=workspace_id, **{**defaults, **values})).inserted_primary_key
        assert key is not None
        return int(key[0])


def add_activity(engine: Engine, workspace_id: int, deal_id: int, when: datetime, kind: str = "email_in",
                 participants: list[str] | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(activities.insert().values(workspace_id=workspace_id, deal_id=deal_id, kind=kind,
                                                occurred_at=when, participants=participants or []))
