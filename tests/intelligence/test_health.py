from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from tests.intelligence.helpers import add_activity, add_deal, make_workspace
from vectoros_pipelines.scoring.health import load_prior
from vectoros_pipelines.storage.intelligence import score_workspace
from vectoros_pipelines.storage.schema import ai_predictions, deal_health_scores, deals


def test_small_workspace_uses_prior_logs_predictions_and_fills_outcomes(engine: Engine) -> None:
    ws = make_workspace(engine, "acme")
    deal = add_deal(engine, ws, company="Acme", value=1200.0, product="GTX Basic", owner_email="ann@acme.example",
                    opened_at=datetime(2024, 1, 1, tzinfo=UTC))
    add_activity(engine, ws, deal, datetime(2024, 1, 20, tzinfo=UTC), participants=["cto@buyer.com"])

    run = score_workspace(engine, ws, date(2024, 2, 1))
    assert run.scored == 1 and run.model_version == load_prior().version
    with engine.connect() as conn:
        health = conn.execute(select(deal_health_scores).where(deal_health_scores.c.workspace_id == ws)).one()
        prediction = conn.execute(select(ai_predictions).where(ai_predictions.c.workspace_id == ws)).one()
    assert 0 <= health.score <= 100 and health.drivers and all(d["text"] for d in health.drivers)
    assert health.features["days_since_last_activity"] == 12 and health.features["distinct_contacts"] == 1
    assert prediction.kind == "win_probability" and prediction.outcome is None

    with engine.begin() as conn:
        conn.execute(deals.update().where(deals.c.id == deal).values(
            status="won", stage="closed_won", closed_at=datetime(2024, 2, 10, tzinfo=UTC)))
    later = score_workspace(engine, ws, date(2024, 2, 11))
    assert later.scored == 0 and later.outcomes_filled == 1
    with engine.connect() as conn:
        outcome = conn.execute(select(ai_predictions.c.outcome).where(ai_predictions.c.workspace_id == ws)).scalar_one()
    assert outcome["won"] is True


def test_workspace_with_enough_closed_deals_trains_its_own_model(engine: Engine) -> None:
    ws = make_workspace(engine, "busy")
    start = datetime(2023, 1, 1, tzinfo=UTC)
    for i in range(60):
        won = i % 3 != 0
        d = add_deal(engine, ws, company=f"C{i}", value=1000.0 + i, status="won" if won else "lost",
                     stage="closed_won" if won else "closed_lost", opened_at=start + timedelta(days=i),
                     closed_at=start + timedelta(days=i + 40))
        # Won deals kept talking; lost ones went quiet: the model should learn activity matters.
        for k in range(6 if won else 1):
            add_activity(engine, ws, d, start + timedelta(days=i + 5 * k + 1), participants=[f"p{k}@c{i}.com"])
    busy = add_deal(engine, ws, company="Busy", value=1000.0, opened_at=datetime(2023, 4, 1, tzinfo=UTC))
    idle = add_deal(engine, ws, company="Idle", value=1000.0, opened_at=datetime(2023, 4, 1, tzinfo=UTC))
    for k in range(6):
        add_activity(engine, ws, busy, datetime(2023, 4, 2, tzinfo=UTC) + timedelta(days=5 * k),
                     participants=[f"p{k}@busy.com"])
    run = score_workspace(engine, ws, date(2023, 5, 1))
    assert run.model_version.startswith("workspace-") and run.trained_on == 60
    with engine.connect() as conn:
        scores = dict(conn.execute(select(deal_health_scores.c.deal_id, deal_health_scores.c.score)
                                   .where(deal_health_scores.c.workspace_id == ws)).all())
    assert scores[busy] > scores[idle]
