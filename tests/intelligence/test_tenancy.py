from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.intelligence.helpers import add_activity, add_deal, make_workspace, write_csv
from vectoros_pipelines.crm.importer import import_crm
from vectoros_pipelines.storage.intelligence import (
    forecast_workspace,
    list_forecasts,
    list_insights,
    load_deals,
    record_feedback,
    refresh_insights,
    score_workspace,
)
from vectoros_pipelines.storage.schema import ai_predictions, deal_health_scores, deals


def _rows(engine: Engine, table, ws: int) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(table.c.workspace_id == ws)).scalar_one())


def test_two_workspaces_never_see_each_other(engine: Engine, tmp_path: Path) -> None:
    a, b = make_workspace(engine, "alpha"), make_workspace(engine, "beta")
    same_ids = ["1,Deal,Acme,100,USD,Qualification,2024-01-01,2024-06-01,x@a.io,P",
                "2,Won,Acme,200,USD,Closed Won,2023-11-01,2023-12-01,x@a.io,P"]
    path = write_csv(tmp_path / "o.csv", same_ids)
    assert import_crm(engine, a, [path]).created == 2
    assert import_crm(engine, b, [path]).created == 2  # same CRM ids, other tenant: new rows, not updates
    lonely = add_deal(engine, b, company="OnlyB", value=5.0, opened_at=datetime(2024, 1, 1, tzinfo=UTC))
    add_activity(engine, b, lonely, datetime(2024, 1, 2, tzinfo=UTC))

    score_workspace(engine, a, date(2024, 2, 1))
    refresh_insights(engine, a, date(2024, 2, 1))
    forecast_workspace(engine, a, date(2024, 2, 1), horizons=(30,))

    assert _rows(engine, deal_health_scores, b) == 0 and _rows(engine, ai_predictions, b) == 0
    with engine.connect() as conn:
        assert list_insights(conn, b) == [] and list_forecasts(conn, b) == []
        assert {d.id for d in load_deals(conn, a)}.isdisjoint({d.id for d in load_deals(conn, b)})
        a_insight = list_insights(conn, a)[0]
        a_deal_ids = set(conn.execute(select(deals.c.id).where(deals.c.workspace_id == a)).scalars())
    assert {i for i in [a_insight["deal_id"]] if i is not None} <= a_deal_ids
    with engine.begin() as conn, pytest.raises(LookupError):
        record_feedback(conn, b, a_insight["id"], "dismissed")  # another tenant's insight is invisible
