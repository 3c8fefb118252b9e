"""Warehouse reads and writes for health, insights, forecasts, predictions and feedback — one workspace at a time.

Every query here is filtered by `workspace_id`. The three entry points an asset
or the CLI calls are `score_workspace`, `refresh_insights` and
`forecast_workspace`; each runs in one transaction and returns counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.engine import Connection

from vectoros_pipelines.forecasting.forecast import Forecast, actual_bookings, forecast
from vectoros_pipelines.forecasting.history import deals_frame
from vectoros_pipelines.insights.rules import (
    ForecastPoint,
    HealthView,
    InsightDraft,
    Neighbour,
    NeighbourSource,
    Situation,
    detect,
)
from vectoros_pipelines.insights.thresholds import FeedbackStats, Thresholds, tuned
from vectoros_pipelines.scoring.health import model_for, score_deals
from vectoros_pipelines.scoring.records import ActivityRecord, DealRecord
from vectoros_pipelines.storage.db import upsert
from vectoros_pipelines.storage.schema import (
    activities,
    ai_predictions,
    deal_changes,
    deal_health_scores,
    deals,
    insights,
    recommendation_feedback,
    revenue_forecasts,
)
from vectoros_pipelines.storage.workspaces import Workspace, get_workspace

HORIZONS = (30, 60, 90)
LIVE = ("open", "acknowledged")
CHUNK = 1000


def resolve_workspace(conn: Connection, slug: str) -> Workspace:
    return get_workspace(conn, slug)


def end_of(day: date) -> datetime:
    """Everything stamped on `day` counts as known on it."""
    return datetime.combine(day, time.max)


def _naive(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


# ---------------------------------------------------------------- reads


def load_deals(conn: Connection, workspace_id: int, as_of: date | None = None) -> list[DealRecord]:
    """Live (not merged) deals as domain records, with close-date slips and stage changes known by `as_of`."""
    cutoff = end_of(as_of) if as_of else None
    change_q = select(deal_changes.c.deal_id, deal_changes.c.field, deal_changes.c.old_value,
                      deal_changes.c.new_value, deal_changes.c.changed_at).where(
        deal_changes.c.workspace_id == workspace_id, deal_changes.c.field.in_(("close_date", "stage")))
    slips: dict[int, int] = {}
    stage_at: dict[int, datetime] = {}
    for row in conn.execute(change_q):
        changed = _naive(row.changed_at)
        if cutoff and changed and changed > cutoff:
            continue
        if row.field == "close_date" and row.old_value and row.new_value and str(row.new_value) > str(row.old_value):
            slips[row.deal_id] = slips.get(row.deal_id, 0) + 1
        if row.field == "stage" and changed:
            stage_at[row.deal_id] = max(stage_at.get(row.deal_id, changed), changed)
    rows = conn.execute(select(deals).where(deals.c.workspace_id == workspace_id, deals.c.merged_into.is_(None))
                        .order_by(deals.c.id))
    out = []
    for r in rows:
        crm = (r.field_sources or {}).get("crm") if isinstance(r.field_sources, dict) else None
        owner = r.owner_email or (crm or {}).get("owner")
        out.append(DealRecord(
            id=r.id, status=r.status, stage=r.stage, value=r.value, opened_at=_naive(r.opened_at),
            closed_at=_naive(r.closed_at), close_date=r.close_date, product=r.product, company=r.company,
            owner=owner, name=r.name, external_id=r.external_id, source=r.source, currency=r.currency,
            created_at=_naive(r.created_at), stage_changed_at=stage_at.get(r.id), close_date_slips=slips.get(r.id, 0),
        ))
    return out


def _emails(participants: Any) -> tuple[str, ...]:
    if not participants:
        return ()
    found = []
    for p in participants:
        email = p.get("email") if isinstance(p, dict) else p
        if email:
            found.append(str(email).lower())
    return tuple(found)


def load_activities(conn: Connection, workspace_id: int) -> dict[int, list[ActivityRecord]]:
    out: dict[int, list[ActivityRecord]] = {}
    q = select(activities.c.deal_id, activities.c.kind, activities.c.occurred_at, activities.c.participants).where(
        activities.c.workspace_id == workspace_id).order_by(activities.c.deal_id, activities.c.occurred_at)
    for r in conn.execute(q):
        out.setdefault(r.deal_id, []).append(
            ActivityRecord(r.deal_id, r.kind, _naive(r.occurred_at) or datetime.min, _emails(r.participants)))
    return out


def forecast_frame(conn: Connection, workspace_id: int) -> pd.DataFrame:
    return deals_frame(load_deals(conn, workspace_id))


def latest_health(conn: Connection, workspace_id: int, as_of: date) -> dict[int, HealthView]:
    """Each deal's most recent health score on or before `as_of`."""
    latest = (select(deal_health_scores.c.deal_id, func.max(deal_health_scores.c.as_of).label("d"))
              .where(deal_health_scores.c.workspace_id == workspace_id, deal_health_scores.c.as_of <= as_of)
              .group_by(deal_health_scores.c.deal_id).subquery())
    q = select(deal_health_scores).join(latest, and_(deal_health_scores.c.deal_id == latest.c.deal_id,
                                                     deal_health_scores.c.as_of == latest.c.d)).where(
        deal_health_scores.c.workspace_id == workspace_id)
    return {
        r.deal_id: HealthView(r.score, [d["text"] for d in (r.drivers or [])], r.features or {})
        for r in conn.execute(q)
    }


def feedback_stats(conn: Connection, workspace_id: int) -> dict[str, FeedbackStats]:
    q = (select(insights.c.kind, recommendation_feedback.c.action, func.count())
         .join(insights, insights.c.id == recommendation_feedback.c.insight_id)
         .where(recommendation_feedback.c.workspace_id == workspace_id, insights.c.workspace_id == workspace_id)
         .group_by(insights.c.kind, recommendation_feedback.c.action))
    counts: dict[str, list[int]] = {}
    for kind, action, n in conn.execute(q):
        c = counts.setdefault(kind, [0, 0])
        c[0] += n if action == "dismissed" else 0
        c[1] += n
    return {k: FeedbackStats(d, t) for k, (d, t) in counts.items()}


def workspace_thresholds(conn: Connection, workspace_id: int) -> Thresholds:
    return tuned(feedback_stats(conn, workspace_id))


def list_insights(conn: Connection, workspace_id: int, status: str | Sequence[str] | None = None) -> list[dict[str, Any]]:
    q = select(insights).where(insights.c.workspace_id == workspace_id)
    if status is not None:
        q = q.where(insights.c.status.in_([status] if isinstance(status, str) else list(status)))
    return [dict(r._mapping) for r in conn.execute(q.order_by(insights.c.id))]


def list_forecasts(conn: Connection, workspace_id: int) -> list[dict[str, Any]]:
    q = select(revenue_forecasts).where(revenue_forecasts.c.workspace_id == workspace_id).order_by(
        revenue_forecasts.c.as_of, revenue_forecasts.c.horizon_days)
    return [dict(r._mapping) for r in conn.execute(q)]


# ---------------------------------------------------------------- health


@dataclass(frozen=True)
class HealthRun:
    scored: int
    model_version: str
    trained_on: int
    outcomes_filled: int


def score_workspace(engine: Engine, workspace_id: int, as_of: date | None = None) -> HealthRun:
    """Scores every open deal as of `as_of` (default today), logs each prediction, fills closed deals' outcomes."""
    day = as_of or datetime.now(UTC).date()
    moment = end_of(day)
    with engine.begin() as conn:
        records = load_deals(conn, workspace_id, day)
        acts = load_activities(conn, workspace_id)
        model = model_for(records, acts, moment)
        targets = [d for d in records if d.status == "open" and (d.known_since or moment) <= moment]
        scores = score_deals(model, records, targets, acts, moment)
        health_rows, prediction_rows = [], []
        for s in scores:
            drivers = [{"feature": d.feature, "text": d.text, "pull": round(d.pull, 4)} for d in s.drivers]
            health_rows.append({
                "workspace_id": workspace_id, "deal_id": s.deal_id, "as_of": day, "score": s.score,
                "win_probability": s.win_probability, "drivers": drivers, "features": _jsonable(s.features),
                "model_version": model.version,
            })
            prediction_rows.append({
                "workspace_id": workspace_id, "kind": "win_probability", "subject_type": "deal",
                "subject_id": str(s.deal_id), "as_of": day, "model_version": model.version,
                "prediction": {"win_probability": s.win_probability, "score": s.score,
                               "drivers": [d["text"] for d in drivers]},
            })
        for start in range(0, len(health_rows), CHUNK):
            upsert(conn, deal_health_scores, health_rows[start:start + CHUNK], key=["workspace_id", "deal_id", "as_of"])
            upsert(conn, ai_predictions, prediction_rows[start:start + CHUNK],
                   key=["workspace_id", "kind", "subject_type", "subject_id", "as_of"])
        filled = fill_win_outcomes(conn, workspace_id, records)
    return HealthRun(len(scores), model.version, model.trained_on, filled)


def fill_win_outcomes(conn: Connection, workspace_id: int, records: Sequence[DealRecord]) -> int:
    """Writes won/lost onto every logged win-probability prediction whose deal has since closed."""
    closed = {str(d.id): d for d in records if d.status != "open"}
    pending = conn.execute(select(ai_predictions.c.id, ai_predictions.c.subject_id).where(
        ai_predictions.c.workspace_id == workspace_id, ai_predictions.c.kind == "win_probability",
        ai_predictions.c.outcome.is_(None))).all()
    now = datetime.now(UTC)
    filled = 0
    for pid, subject in pending:
        deal = closed.get(subject)
        if deal is None:
            continue
        conn.execute(ai_predictions.update().where(ai_predictions.c.id == pid,
                                                   ai_predictions.c.workspace_id == workspace_id).values(
            outcome={"won": deal.status == "won", "status": deal.status,
                     "closed_on": deal.closed_on.date().isoformat() if deal.closed_on else None},
            outcome_at=now))
        filled += 1
    return filled


def _jsonable(features: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (float(v) if isinstance(v, int | float) else v) for k, v in features.items()}


# ---------------------------------------------------------------- forecasts


@dataclass(frozen=True)
class ForecastRun:
    forecasts: list[Forecast]
    actuals_filled: int


def forecast_workspace(
    engine: Engine, workspace_id: int, as_of: date | None = None, horizons: Sequence[int] = HORIZONS,
) -> ForecastRun:
    """Computes and stores the forecasts as of `as_of` (default today) and fills actuals of finished ones."""
    day = as_of or datetime.now(UTC).date()
    with engine.begin() as conn:
        frame = forecast_frame(conn, workspace_id)
        made = [forecast(frame, day, h) for h in horizons]
        currency = _currency(conn, workspace_id)
        upsert(conn, revenue_forecasts, [{
            "workspace_id": workspace_id, "as_of": f.as_of, "horizon_days": f.horizon_days, "currency": currency,
            "likely": f.likely, "best": f.best, "worst": f.worst, "confidence": f.confidence,
            "pipeline_component": f.pipeline_component, "run_rate_component": f.series_component,
            "baseline_run_rate": f.baseline_run_rate, "baseline_weighted_pipeline": f.baseline_weighted_pipeline,
            "drivers": _jsonable(f.drivers), "model_version": f.model_version,
        } for f in made], key=["workspace_id", "as_of", "horizon_days"])
        upsert(conn, ai_predictions, [{
            "workspace_id": workspace_id, "kind": "forecast", "subject_type": "workspace",
            "subject_id": f"{workspace_id}:{f.horizon_days}d", "as_of": f.as_of, "model_version": f.model_version,
            "prediction": {"likely": f.likely, "best": f.best, "worst": f.worst, "horizon_days": f.horizon_days},
        } for f in made], key=["workspace_id", "kind", "subject_type", "subject_id", "as_of"])
        filled = fill_forecast_actuals(conn, workspace_id, frame, day)
    return ForecastRun(made, filled)


def fill_forecast_actuals(conn: Connection, workspace_id: int, frame: pd.DataFrame, today: date) -> int:
    """Stored forecasts whose window has ended by `today` get their actual bookings."""
    rows = conn.execute(select(revenue_forecasts.c.id, revenue_forecasts.c.as_of, revenue_forecasts.c.horizon_days)
                        .where(revenue_forecasts.c.workspace_id == workspace_id,
                               revenue_forecasts.c.actual.is_(None))).all()
    now = datetime.now(UTC)
    filled = 0
    for fid, as_of, horizon in rows:
        if as_of + timedelta(days=horizon) > today:
            continue
        actual = actual_bookings(frame, as_of, horizon)
        conn.execute(revenue_forecasts.update().where(revenue_forecasts.c.id == fid,
                                                      revenue_forecasts.c.workspace_id == workspace_id)
                     .values(actual=actual, actual_filled_at=now))
        conn.execute(ai_predictions.update().where(
            ai_predictions.c.workspace_id == workspace_id, ai_predictions.c.kind == "forecast",
            ai_predictions.c.subject_id == f"{workspace_id}:{horizon}d", ai_predictions.c.as_of == as_of,
        ).values(outcome={"actual": actual}, outcome_at=now))
        filled += 1
    return filled


def _currency(conn: Connection, workspace_id: int) -> str | None:
    row = conn.execute(select(deals.c.currency, func.count()).where(
        deals.c.workspace_id == workspace_id, deals.c.currency.is_not(None)).group_by(deals.c.currency)
        .order_by(func.count().desc())).first()
    return row[0] if row else None


# ---------------------------------------------------------------- insights


@dataclass(frozen=True)
class InsightRun:
    opened: int
    updated: int
    resolved: int
    kept_dismissed: int
    open_total: int
    by_kind: dict[str, int] = field(default_factory=dict)


def refresh_insights(
    engine: Engine, workspace_id: int, as_of: date | None = None,
    neighbours: NeighbourSource | Mapping[int, Sequence[Neighbour]] | None = None,
) -> InsightRun:
    """Runs every rule as of `as_of`; opens new insights, refreshes live ones, resolves those whose condition cleared.

    One live insight per (deal, kind). A dismissed one is never reopened for the same (deal, kind).
    """
    day = as_of or datetime.now(UTC).date()
    moment = end_of(day)
    with engine.begin() as conn:
        records = load_deals(conn, workspace_id, day)
        situation = Situation(
            as_of=moment, deals=records, activities=load_activities(conn, workspace_id),
            health=latest_health(conn, workspace_id, day),
            forecasts=[ForecastPoint(datetime.combine(r["as_of"], time()), r["horizon_days"], r["likely"])
                       for r in list_forecasts(conn, workspace_id) if r["as_of"] <= day],
            thresholds=workspace_thresholds(conn, workspace_id), neighbours=neighbours,
        )
        drafts = detect(situation)
        return _apply(conn, workspace_id, drafts, moment)


def _apply(conn: Connection, workspace_id: int, drafts: Sequence[InsightDraft], moment: datetime) -> InsightRun:
    existing = list_insights(conn, workspace_id, (*LIVE, "dismissed"))
    live = {(r["deal_id"], r["kind"]): r for r in existing if r["status"] in LIVE}
    dismissed = {(r["deal_id"], r["kind"]) for r in existing if r["status"] == "dismissed"}
    opened = updated = kept = 0
    by_kind: dict[str, int] = {}
    wanted = set()
    new_rows = []
    for d in drafts:
        key = (d.deal_id, d.kind)
        wanted.add(key)
        if key in dismissed and key not in live:
            kept += 1
            continue
        values = {"title": d.title[:300], "description": d.description, "evidence": d.evidence,
                  "actions": d.actions, "confidence": d.confidence, "priority": d.priority,
                  "owner_email": d.owner if d.owner and "@" in d.owner else None, "updated_at": moment}
        by_kind[d.kind] = by_kind.get(d.kind, 0) + 1
        if key in live:
            conn.execute(insights.update().where(insights.c.id == live[key]["id"],
                                                 insights.c.workspace_id == workspace_id).values(**values))
            updated += 1
        else:
            new_rows.append({**values, "workspace_id": workspace_id, "deal_id": d.deal_id, "kind": d.kind,
                             "status": "open", "detected_at": moment})
            opened += 1
    for start in range(0, len(new_rows), CHUNK):
        conn.execute(insights.insert(), new_rows[start:start + CHUNK])
    cleared = [r["id"] for key, r in live.items() if key not in wanted]
    for start in range(0, len(cleared), CHUNK):
        conn.execute(insights.update().where(insights.c.workspace_id == workspace_id,
                                             insights.c.id.in_(cleared[start:start + CHUNK]))
                     .values(status="resolved", resolved_at=moment, updated_at=moment))
    return InsightRun(opened, updated, len(cleared), kept, opened + updated, by_kind)


def record_feedback(
    conn: Connection, workspace_id: int, insight_id: int, action: str, user_email: str | None = None,
    rating: int | None = None, comment: str | None = None,
) -> None:
    """Stores a person's reaction; dismissing or acknowledging also sets the insight's status."""
    if action not in ("acknowledged", "dismissed", "rated"):
        raise ValueError(f"feedback action must be acknowledged, dismissed or rated, not {action!r}")
    found = conn.execute(select(insights.c.id).where(insights.c.id == insight_id,
                                                     insights.c.workspace_id == workspace_id)).first()
    if found is None:
        raise LookupError(f"no insight {insight_id} in workspace {workspace_id}")
    conn.execute(recommendation_feedback.insert().values(
        workspace_id=workspace_id, insight_id=insight_id, user_email=user_email, action=action, rating=rating,
        comment=comment))
    if action in ("acknowledged", "dismissed"):
        conn.execute(insights.update().where(insights.c.id == insight_id, insights.c.workspace_id == workspace_id)
                     .values(status=action, updated_at=datetime.now(UTC)))
