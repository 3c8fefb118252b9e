"""Every read the dashboard makes, one function per question a page asks.

Each function takes the workspace id of the signed-in principal and filters on
it in SQL; lists are paged or limited in SQL (LIMIT/OFFSET, aggregates), never
loaded whole into a DataFrame, so a 100,000-deal workspace reads a page, not
the table. SQLAlchemy Core only, so the same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.engine import Connection

from vectoros_pipelines.security.crypto import DecryptionError, load_cipher
from vectoros_pipelines.storage.schema import (
    activities,
    audit_log,
    captured_calendar_events,
    captured_emails,
    deal_changes,
    deal_health_scores,
    deals,
    insights,
    integrations,
    revenue_forecasts,
    sync_logs,
)

STAGE_ORDER = ("lead", "qualified", "demo", "proposal", "negotiation", "closed_won", "closed_lost")
AUTOMATIC_SOURCES = ("email", "calendar")
DEAL_SORTS = {
    "value": deals.c.value,
    "company": deals.c.company,
    "stage": deals.c.stage,
    "close_date": deals.c.close_date,
    "last_activity_at": deals.c.last_activity_at,
    "created_at": deals.c.created_at,
    "id": deals.c.id,
}
MAX_PAGE_SIZE = 200
TIMELINE_LIMIT = 50


def _frame(rows: Any, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def _live_deals(workspace_id: int) -> Any:
    return and_(deals.c.workspace_id == workspace_id, deals.c.merged_into.is_(None))


# ── command center ───────────────────────────────────────────────────────────


def pipeline_by_stage(conn: Connection, workspace_id: int) -> pd.DataFrame:
    """Open pipeline count and value per stage, in funnel order."""
    rows = conn.execute(
        select(deals.c.stage, func.count().label("deals"), func.coalesce(func.sum(deals.c.value), 0.0).label("value"))
        .where(_live_deals(workspace_id), deals.c.status == "open")
        .group_by(deals.c.stage)
    ).all()
    frame = _frame(rows, ["stage", "deals", "value"])
    frame["order"] = frame["stage"].map(lambda s: STAGE_ORDER.index(s) if s in STAGE_ORDER else len(STAGE_ORDER))
    return frame.sort_values("order").drop(columns="order").reset_index(drop=True)


@dataclass(frozen=True)
class WonTotals:
    month_value: float
    month_deals: int
    quarter_value: float
    quarter_deals: int


def won_totals(conn: Connection, workspace_id: int, today: date) -> WonTotals:
    month_start = datetime(today.year, today.month, 1, tzinfo=UTC)
    quarter_start = datetime(today.year, 3 * ((today.month - 1) // 3) + 1, 1, tzinfo=UTC)
    in_month = deals.c.closed_at >= month_start
    row = conn.execute(
        select(
            func.coalesce(func.sum(case((in_month, deals.c.value), else_=0.0)), 0.0),
            func.coalesce(func.sum(case((in_month, 1), else_=0)), 0),
            func.coalesce(func.sum(deals.c.value), 0.0),
            func.count(),
        ).where(_live_deals(workspace_id), deals.c.status == "won", deals.c.closed_at >= quarter_start)
    ).one()
    return WonTotals(float(row[0]), int(row[1]), float(row[2]), int(row[3]))


def new_insights_by_priority(conn: Connection, workspace_id: int, since: datetime) -> pd.DataFrame:
    rows = conn.execute(
        select(insights.c.priority, func.count())
        .where(insights.c.workspace_id == workspace_id, insights.c.detected_at >= since)
        .group_by(insights.c.priority)
    ).all()
    frame = _frame(rows, ["priority", "insights"])
    order = {"high": 0, "medium": 1, "low": 2}
    return frame.sort_values("priority", key=lambda s: s.map(order)).reset_index(drop=True)


def auto_created_deals(conn: Connection, workspace_id: int, since: datetime) -> pd.DataFrame:
    """Deals the pipeline created on its own since `since`, by the kind of source that revealed them."""
    rows = conn.execute(
        select(deals.c.source, func.count(), func.coalesce(func.sum(deals.c.value), 0.0))
        .where(_live_deals(workspace_id), deals.c.created_at >= since, deals.c.source.in_(AUTOMATIC_SOURCES))
        .group_by(deals.c.source)
    ).all()
    return _frame(rows, ["source", "deals", "value"])


def latest_auto_created(conn: Connection, workspace_id: int, since: datetime, limit: int = 10) -> pd.DataFrame:
    rows = conn.execute(
        select(deals.c.id, deals.c.company, deals.c.value, deals.c.currency, deals.c.stage, deals.c.source,
               deals.c.confidence, deals.c.created_at)
        .where(_live_deals(workspace_id), deals.c.created_at >= since, deals.c.source.in_(AUTOMATIC_SOURCES))
        .order_by(deals.c.created_at.desc(), deals.c.id.desc())
        .limit(limit)
    ).all()
    return _frame(rows, ["id", "company", "value", "currency", "stage", "source", "confidence", "created_at"])


def biggest_open_deals(conn: Connection, workspace_id: int, limit: int = 5) -> pd.DataFrame:
    rows = conn.execute(
        select(deals.c.id, deals.c.company, deals.c.name, deals.c.value, deals.c.currency, deals.c.stage)
        .where(_live_deals(workspace_id), deals.c.status == "open")
        .order_by(deals.c.value.desc().nulls_last(), deals.c.id)
        .limit(limit)
    ).all()
    return _frame(rows, ["id", "company", "name", "value", "currency", "stage"])


@dataclass(frozen=True)
class PipelineFreshness:
    last_capture: datetime | None
    last_extraction: datetime | None
    last_health: datetime | None
    last_forecast: datetime | None


def pipeline_freshness(conn: Connection, workspace_id: int) -> PipelineFreshness:
    """When each stage of the pipeline last wrote for this workspace (max of indexed/small columns)."""
    def latest(column: Any, table: Any) -> datetime | None:
        return conn.execute(select(func.max(column)).where(table.c.workspace_id == workspace_id)).scalar()

    return PipelineFreshness(
        last_capture=latest(sync_logs.c.finished_at, sync_logs),
        last_extraction=conn.execute(
            select(func.max(captured_emails.c.extracted_at))
            .where(captured_emails.c.workspace_id == workspace_id, captured_emails.c.status == "processed")
        ).scalar(),
        last_health=latest(deal_health_scores.c.created_at, deal_health_scores),
        last_forecast=latest(revenue_forecasts.c.created_at, revenue_forecasts),
    )


# ── integrations ─────────────────────────────────────────────────────────────


def integrations_status(conn: Connection, workspace_id: int) -> pd.DataFrame:
    """Each connected source with its status, last sync, message counts and latest error."""
    email_counts = (
        select(captured_emails.c.integration_id.label("iid"), func.count().label("n"),
               func.sum(case((captured_emails.c.status == "quarantined", 1), else_=0)).label("q"))
        .where(captured_emails.c.workspace_id == workspace_id)
        .group_by(captured_emails.c.integration_id)
        .subquery()
    )
    event_counts = (
        select(captured_calendar_events.c.integration_id.label("iid"), func.count().label("n"),
               func.sum(case((captured_calendar_events.c.status == "quarantined", 1), else_=0)).label("q"))
        .where(captured_calendar_events.c.workspace_id == workspace_id)
        .group_by(captured_calendar_events.c.integration_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            integrations.c.id, integrations.c.provider, integrations.c.kind, integrations.c.account,
            integrations.c.status, integrations.c.last_sync_at,
            (func.coalesce(email_counts.c.n, 0) + func.coalesce(event_counts.c.n, 0)).label("captured"),
            (func.coalesce(email_counts.c.q, 0) + func.coalesce(event_counts.c.q, 0)).label("quarantined"),
            integrations.c.last_error,
        )
        .select_from(
            integrations.outerjoin(email_counts, email_counts.c.iid == integrations.c.id)
            .outerjoin(event_counts, event_counts.c.iid == integrations.c.id)
        )
        .where(integrations.c.workspace_id == workspace_id)
        .order_by(integrations.c.kind, integrations.c.provider, integrations.c.account)
    ).all()
    return _frame(rows, ["id", "provider", "kind", "account", "status", "last_sync_at", "captured",
                         "quarantined", "last_error"])


def recent_syncs(conn: Connection, workspace_id: int, limit: int = 20) -> pd.DataFrame:
    rows = conn.execute(
        select(sync_logs.c.integration_id, integrations.c.account, sync_logs.c.partition_key, sync_logs.c.started_at,
               sync_logs.c.finished_at, sync_logs.c.fetched, sync_logs.c.new, sync_logs.c.updated,
               sync_logs.c.failed, sync_logs.c.error)
        .select_from(sync_logs.outerjoin(integrations, integrations.c.id == sync_logs.c.integration_id))
        .where(sync_logs.c.workspace_id == workspace_id)
        .order_by(sync_logs.c.started_at.desc())
        .limit(limit)
    ).all()
    return _frame(rows, ["integration_id", "account", "partition", "started_at", "finished_at", "fetched", "new",
                         "updated", "failed", "error"])


def quarantined_items(conn: Connection, workspace_id: int, limit: int = 100) -> pd.DataFrame:
    """Quarantined e-mails and events with their errors, newest first (bounded: these are to be read)."""
    mail = (
        select(literal("email").label("kind"), captured_emails.c.id, captured_emails.c.subject.label("title"),
               captured_emails.c.source_locator, captured_emails.c.attempts, captured_emails.c.last_error,
               captured_emails.c.updated_at)
        .where(captured_emails.c.workspace_id == workspace_id, captured_emails.c.status == "quarantined")
        .order_by(captured_emails.c.id.desc()).limit(limit)
    )
    events = (
        select(literal("event").label("kind"), captured_calendar_events.c.id,
               captured_calendar_events.c.summary.label("title"), captured_calendar_events.c.source_locator,
               captured_calendar_events.c.attempts, captured_calendar_events.c.last_error,
               captured_calendar_events.c.updated_at)
        .where(captured_calendar_events.c.workspace_id == workspace_id,
               captured_calendar_events.c.status == "quarantined")
        .order_by(captured_calendar_events.c.id.desc()).limit(limit)
    )
    columns = ["kind", "id", "title", "source", "attempts", "error", "updated_at"]
    frame = pd.concat([_frame(conn.execute(mail).all(), columns), _frame(conn.execute(events).all(), columns)])
    return frame.head(limit).reset_index(drop=True)


# ── forecast ─────────────────────────────────────────────────────────────────


def forecast_history(conn: Connection, workspace_id: int, horizon_days: int, limit: int = 400) -> pd.DataFrame:
    """Forecasts for one horizon over time (as-of dates) with the actuals filled in later."""
    rows = conn.execute(
        select(revenue_forecasts.c.as_of, revenue_forecasts.c.likely, revenue_forecasts.c.best,
               revenue_forecasts.c.worst, revenue_forecasts.c.actual, revenue_forecasts.c.baseline_run_rate,
               revenue_forecasts.c.baseline_weighted_pipeline, revenue_forecasts.c.currency)
        .where(revenue_forecasts.c.workspace_id == workspace_id, revenue_forecasts.c.horizon_days == horizon_days)
        .order_by(revenue_forecasts.c.as_of.desc())
        .limit(limit)
    ).all()
    frame = _frame(rows, ["as_of", "likely", "best", "worst", "actual", "baseline_run_rate",
                          "baseline_weighted_pipeline", "currency"])
    return frame.sort_values("as_of").reset_index(drop=True)


@dataclass(frozen=True)
class Backtest:
    forecasts_scored: int
    mape_likely: float | None
    within_band: float | None  # share of actuals between worst and best
    mape_run_rate: float | None
    mape_weighted_pipeline: float | None


def backtest(history: pd.DataFrame) -> Backtest:
    """Accuracy of past forecasts against what was actually booked, next to the two baselines."""
    scored = history[history["actual"].notna() & (history["actual"] > 0)]
    if scored.empty:
        return Backtest(0, None, None, None, None)

    def mape(column: str) -> float | None:
        valid = scored[scored[column].notna()]
        if valid.empty:
            return None
        return float(((valid[column] - valid["actual"]).abs() / valid["actual"]).mean())

    inside = ((scored["actual"] >= scored["worst"]) & (scored["actual"] <= scored["best"])).mean()
    return Backtest(len(scored), mape("likely"), float(inside), mape("baseline_run_rate"),
                    mape("baseline_weighted_pipeline"))


def latest_forecast(conn: Connection, workspace_id: int) -> pd.DataFrame:
    """The newest forecast run: one row per horizon, with its drivers JSON."""
    newest = select(func.max(revenue_forecasts.c.as_of)).where(
        revenue_forecasts.c.workspace_id == workspace_id).scalar_subquery()
    rows = conn.execute(
        select(revenue_forecasts.c.as_of, revenue_forecasts.c.horizon_days, revenue_forecasts.c.likely,
               revenue_forecasts.c.best, revenue_forecasts.c.worst, revenue_forecasts.c.confidence,
               revenue_forecasts.c.currency, revenue_forecasts.c.drivers)
        .where(revenue_forecasts.c.workspace_id == workspace_id, revenue_forecasts.c.as_of == newest)
        .order_by(revenue_forecasts.c.horizon_days)
    ).all()
    return _frame(rows, ["as_of", "horizon_days", "likely", "best", "worst", "confidence", "currency", "drivers"])


def _latest_health_as_of(conn: Connection, workspace_id: int) -> date | None:
    return conn.execute(
        select(func.max(deal_health_scores.c.as_of)).where(deal_health_scores.c.workspace_id == workspace_id)
    ).scalar()


def forecast_driving_deals(
    conn: Connection, workspace_id: int, today: date, horizon_days: int, limit: int = 15
) -> pd.DataFrame:
    """Open deals closing inside the horizon, ranked by expected value (value × latest win probability)."""
    as_of = _latest_health_as_of(conn, workspace_id)
    health = (
        select(deal_health_scores.c.deal_id, deal_health_scores.c.win_probability, deal_health_scores.c.score)
        .where(deal_health_scores.c.workspace_id == workspace_id, deal_health_scores.c.as_of == as_of)
        .subquery()
    )
    probability = func.coalesce(health.c.win_probability, 0.0)
    expected = (func.coalesce(deals.c.value, 0.0) * probability).label("expected")
    rows = conn.execute(
        select(deals.c.id, deals.c.company, deals.c.stage, deals.c.value, deals.c.currency, deals.c.close_date,
               probability.label("win_probability"), health.c.score, expected)
        .select_from(deals.outerjoin(health, health.c.deal_id == deals.c.id))
        .where(_live_deals(workspace_id), deals.c.status == "open", deals.c.close_date >= today,
               deals.c.close_date <= today + timedelta(days=horizon_days))
        .order_by(expected.desc(), deals.c.id)
        .limit(limit)
    ).all()
    return _frame(rows, ["id", "company", "stage", "value", "currency", "close_date", "win_probability", "health",
                         "expected"])


# ── insights ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class InsightFilters:
    kinds: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ("open",)


def insight_filter_options(conn: Connection, workspace_id: int) -> dict[str, list[str]]:
    def distinct(column: Any) -> list[str]:
        return sorted(v for (v,) in conn.execute(
            select(column).where(insights.c.workspace_id == workspace_id, column.is_not(None)).distinct()
        ) if v)

    return {"kind": distinct(insights.c.kind), "priority": distinct(insights.c.priority),
            "owner": distinct(insights.c.owner_email)}


def insights_page(
    conn: Connection, workspace_id: int, filters: InsightFilters, limit: int = 50, offset: int = 0
) -> tuple[pd.DataFrame, int]:
    """One page of insights matching the filters, high priority and newest first, and the total count."""
    where = [insights.c.workspace_id == workspace_id]
    if filters.statuses:
        where.append(insights.c.status.in_(filters.statuses))
    if filters.kinds:
        where.append(insights.c.kind.in_(filters.kinds))
    if filters.priorities:
        where.append(insights.c.priority.in_(filters.priorities))
    if filters.owners:
        where.append(insights.c.owner_email.in_(filters.owners))
    total = conn.execute(select(func.count()).select_from(insights).where(*where)).scalar_one()
    rank = case((insights.c.priority == "high", 0), (insights.c.priority == "medium", 1), else_=2)
    rows = conn.execute(
        select(insights.c.id, insights.c.deal_id, deals.c.company, insights.c.kind, insights.c.priority,
               insights.c.status, insights.c.title, insights.c.description, insights.c.evidence, insights.c.actions,
               insights.c.confidence, insights.c.owner_email, insights.c.detected_at)
        .select_from(insights.outerjoin(deals, deals.c.id == insights.c.deal_id))
        .where(*where)
        .order_by(rank, insights.c.detected_at.desc(), insights.c.id.desc())
        .limit(min(limit, MAX_PAGE_SIZE)).offset(offset)
    ).all()
    return _frame(rows, ["id", "deal_id", "company", "kind", "priority", "status", "title", "description",
                         "evidence", "actions", "confidence", "owner", "detected_at"]), int(total)


# ── deals ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class DealQuery:
    search: str = ""
    stages: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sort: str = "value"
    descending: bool = True
    page: int = 0
    page_size: int = 50


def _deal_conditions(workspace_id: int, query: DealQuery) -> list[Any]:
    where = [_live_deals(workspace_id)]
    if query.stages:
        where.append(deals.c.stage.in_(query.stages))
    if query.statuses:
        where.append(deals.c.status.in_(query.statuses))
    term = query.search.strip()
    if term:
        if term.isdigit():
            where.append(or_(deals.c.id == int(term), deals.c.company.ilike(f"%{term}%")))
        else:
            pattern = f"%{term}%"
            where.append(or_(deals.c.company.ilike(pattern), deals.c.name.ilike(pattern),
                             deals.c.contact_email.ilike(pattern), deals.c.domain.ilike(pattern),
                             deals.c.product.ilike(pattern)))
    return where


def deals_page(conn: Connection, workspace_id: int, query: DealQuery) -> tuple[pd.DataFrame, int]:
    """One sorted page of live deals matching the search, with each deal's latest health, and the total."""
    where = _deal_conditions(workspace_id, query)
    total = conn.execute(select(func.count()).select_from(deals).where(*where)).scalar_one()
    sort_column = DEAL_SORTS.get(query.sort, deals.c.value)
    order = sort_column.desc().nulls_last() if query.descending else sort_column.asc().nulls_last()
    size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    stmt: Select[Any] = (
        select(deals.c.id, deals.c.company, deals.c.name, deals.c.stage, deals.c.status, deals.c.value,
               deals.c.currency, deals.c.close_date, deals.c.owner_email, deals.c.contact_email, deals.c.source,
               deals.c.last_activity_at)
        .where(*where)
        .order_by(order, deals.c.id)
        .limit(size).offset(max(0, query.page) * size)
    )
    frame = _frame(conn.execute(stmt).all(), ["id", "company", "name", "stage", "status", "value", "currency",
                                               "close_date", "owner", "contact", "source", "last_activity_at"])
    frame.insert(3, "health", frame["id"].map(latest_health_scores(conn, workspace_id, frame["id"].tolist())))
    return frame, int(total)


def latest_health_scores(conn: Connection, workspace_id: int, deal_ids: list[int]) -> dict[int, float]:
    """Latest health score of each listed deal (a page's worth of ids, so the IN list stays small)."""
    if not deal_ids:
        return {}
    newest = (
        select(deal_health_scores.c.deal_id, func.max(deal_health_scores.c.as_of).label("as_of"))
        .where(deal_health_scores.c.workspace_id == workspace_id, deal_health_scores.c.deal_id.in_(deal_ids))
        .group_by(deal_health_scores.c.deal_id)
        .subquery()
    )
    rows = conn.execute(
        select(deal_health_scores.c.deal_id, deal_health_scores.c.score)
        .join(newest, and_(newest.c.deal_id == deal_health_scores.c.deal_id,
                           newest.c.as_of == deal_health_scores.c.as_of))
        .where(deal_health_scores.c.workspace_id == workspace_id)
    ).all()
    return {int(d): float(s) for d, s in rows}


def get_deal(conn: Connection, workspace_id: int, deal_id: int) -> dict[str, Any] | None:
    """A deal of this workspace, or None — also None for another workspace's id, so ids reveal nothing."""
    row = conn.execute(select(deals).where(deals.c.id == deal_id, deals.c.workspace_id == workspace_id)).first()
    return dict(row._mapping) if row else None


@dataclass(frozen=True)
class Health:
    as_of: date
    score: float
    win_probability: float
    drivers: list[dict[str, Any]]
    model_version: str | None
    history: pd.DataFrame = field(compare=False)


def _drivers(raw: Any) -> list[dict[str, Any]]:
    # Drivers are written by the scoring layer; accept a list of dicts or a {name: weight} mapping.
    if isinstance(raw, dict):
        return [{"driver": k, "impact": v} for k, v in raw.items()]
    if isinstance(raw, list):
        return [d if isinstance(d, dict) else {"driver": str(d)} for d in raw]
    return []


def deal_health(conn: Connection, workspace_id: int, deal_id: int, history_limit: int = 90) -> Health | None:
    rows = conn.execute(
        select(deal_health_scores.c.as_of, deal_health_scores.c.score, deal_health_scores.c.win_probability,
               deal_health_scores.c.drivers, deal_health_scores.c.model_version)
        .where(deal_health_scores.c.workspace_id == workspace_id, deal_health_scores.c.deal_id == deal_id)
        .order_by(deal_health_scores.c.as_of.desc())
        .limit(history_limit)
    ).all()
    if not rows:
        return None
    latest = rows[0]
    history = _frame([(r.as_of, r.score) for r in reversed(rows)], ["as_of", "score"])
    return Health(latest.as_of, float(latest.score), float(latest.win_probability), _drivers(latest.drivers),
                  latest.model_version, history)


@dataclass(frozen=True)
class Fact:
    field: str
    value: Any
    source_field: str | None
    span_text: str | None
    context: tuple[str, str, str] | None  # (text before, the span, text after), to read the value in place


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # email_in | email_out | email_internal | meeting | crm
    occurred_at: datetime | None
    title: str
    people: list[str]
    summary: str | None
    facts: list[Fact]
    confidence: float | None
    source_id: int | None


FACT_FIELDS = ("company", "company_domain", "amount", "currency", "contact_name", "contact_email", "product",
               "stage_hint", "close_date_hint", "outcome")


def _context(text: str, start: int, end: int, pad: int = 60) -> tuple[str, str, str] | None:
    if not text or start < 0 or end > len(text) or start >= end:
        return None
    before = ("…" if start > pad else "") + text[max(0, start - pad):start]
    after = text[end:end + pad] + ("…" if end + pad < len(text) else "")
    return " ".join(before.split()) + (" " if before[-1:].isspace() else ""), text[start:end], \
        (" " if after[:1].isspace() else "") + " ".join(after.split())


def _facts(extracted: Any, sources: dict[str, str]) -> list[Fact]:
    if not isinstance(extracted, dict):
        return []
    spans = extracted.get("spans") or {}
    facts = []
    for name in FACT_FIELDS:
        value = extracted.get(name)
        if value in (None, ""):
            continue
        span = spans.get(name) if isinstance(spans, dict) else None
        span_text = context = source_field = None
        if isinstance(span, dict):
            source_field = span.get("field")
            span_text = span.get("text")
            context = _context(sources.get(source_field or "", ""), int(span.get("start", -1)),
                               int(span.get("end", -1)))
        facts.append(Fact(name, value, source_field, span_text, context))
    return facts


def _people(participants: Any) -> list[str]:
    if not isinstance(participants, list):
        return []
    out = []
    for p in participants:
        if isinstance(p, dict):
            email = p.get("email") or ""
            out.append(f"{p['name']} <{email}>" if p.get("name") else email)
    return [p for p in out if p]


def deal_timeline(conn: Connection, workspace_id: int, deal_id: int, limit: int = TIMELINE_LIMIT) -> list[TimelineItem]:
    """The deal's emails, meetings and CRM rows, newest first, with extracted facts shown in their source text.

    Bodies are decrypted here, for the few rows of one page, and never cached.
    """
    cipher = load_cipher()
    e, c = captured_emails, captured_calendar_events
    rows = conn.execute(
        select(activities.c.kind, activities.c.occurred_at, activities.c.summary, activities.c.participants,
               e.c.id.label("email_id"), e.c.subject, e.c.from_email, e.c.from_name, e.c.participants.label("mail_people"),
               e.c.body_ciphertext, e.c.body_key_id, e.c.extracted_data.label("mail_data"), e.c.confidence.label("mail_conf"),
               c.c.id.label("event_id"), c.c.summary.label("event_summary"), c.c.attendees,
               c.c.description_ciphertext, c.c.description_key_id, c.c.extracted_data.label("event_data"),
               c.c.confidence.label("event_conf"))
        .select_from(activities.outerjoin(e, e.c.id == activities.c.email_id)
                     .outerjoin(c, c.c.id == activities.c.event_id))
        .where(activities.c.workspace_id == workspace_id, activities.c.deal_id == deal_id)
        .order_by(activities.c.occurred_at.desc(), activities.c.id.desc())
        .limit(limit)
    ).all()
    items = []
    for r in rows:
        if r.email_id is not None:
            body = _decrypt(cipher, r.body_ciphertext, r.body_key_id)
            sources = {"subject": r.subject or "", "body": body, "from": f"{r.from_name or ''} <{r.from_email or ''}>"}
            items.append(TimelineItem(r.kind, r.occurred_at, r.subject or "(no subject)", _people(r.mail_people),
                                      body[:400] or r.summary, _facts(r.mail_data, sources), r.mail_conf, r.email_id))
        elif r.event_id is not None:
            description = _decrypt(cipher, r.description_ciphertext, r.description_key_id)
            sources = {"summary": r.event_summary or "", "description": description}
            items.append(TimelineItem("meeting", r.occurred_at, r.event_summary or "(no title)", _people(r.attendees),
                                      description[:400] or r.summary, _facts(r.event_data, sources), r.event_conf,
                                      r.event_id))
        else:
            items.append(TimelineItem(r.kind, r.occurred_at, r.summary or r.kind, _people(r.participants), None, [],
                                      None, None))
    return items


def _decrypt(cipher: Any, blob: bytes | None, key_id: str | None) -> str:
    try:
        return str(cipher.decrypt_text(blob, key_id))
    except DecryptionError as exc:
        return f"[body unreadable: {exc}]"


def deal_audit_trail(conn: Connection, workspace_id: int, deal_id: int, limit: int = 200) -> pd.DataFrame:
    """Every recorded change to the deal — automatic (with the message that caused it) or by a person."""
    changes = conn.execute(
        select(deal_changes.c.changed_at, deal_changes.c.actor, deal_changes.c.field, deal_changes.c.old_value,
               deal_changes.c.new_value, captured_emails.c.subject, captured_calendar_events.c.summary)
        .select_from(deal_changes.outerjoin(captured_emails, captured_emails.c.id == deal_changes.c.email_id)
                     .outerjoin(captured_calendar_events,
                                captured_calendar_events.c.id == deal_changes.c.event_id))
        .where(deal_changes.c.workspace_id == workspace_id, deal_changes.c.deal_id == deal_id)
        .order_by(deal_changes.c.changed_at.desc(), deal_changes.c.id.desc())
        .limit(limit)
    ).all()
    events = conn.execute(
        select(audit_log.c.created_at, audit_log.c.actor, audit_log.c.action, audit_log.c.details)
        .where(audit_log.c.workspace_id == workspace_id, audit_log.c.subject_type == "deal",
               audit_log.c.subject_id == str(deal_id))
        .order_by(audit_log.c.created_at.desc(), audit_log.c.id.desc())
        .limit(limit)
    ).all()
    trail = [
        (r.changed_at, r.actor, f"{r.field}: {r.old_value!r} → {r.new_value!r}",
         f"email “{r.subject}”" if r.subject else (f"meeting “{r.summary}”" if r.summary else ""))
        for r in changes
    ] + [(r.created_at, r.actor, r.action, _short(r.details)) for r in events]
    frame = _frame(trail, ["when", "who", "change", "caused by"])
    frame["when"] = pd.to_datetime(frame["when"], utc=True, format="mixed")
    return frame.sort_values("when", ascending=False).head(limit).reset_index(drop=True)


def _short(details: Any) -> str:
    if not isinstance(details, dict):
        return ""
    return ", ".join(f"{k}={v}" for k, v in details.items() if not isinstance(v, list | dict))[:200]


def merged_children(conn: Connection, workspace_id: int, deal_id: int) -> pd.DataFrame:
    """Deals merged into this one (candidates for undoing a merge)."""
    rows = conn.execute(
        select(deals.c.id, deals.c.company, deals.c.value, deals.c.stage, deals.c.updated_at)
        .where(deals.c.workspace_id == workspace_id, deals.c.merged_into == deal_id)
        .order_by(deals.c.id)
        .limit(100)
    ).all()
    return _frame(rows, ["id", "company", "value", "stage", "merged_at"])


def deal_choices(conn: Connection, workspace_id: int, search: str, exclude: int, limit: int = 20) -> pd.DataFrame:
    """A short list of live deals to merge into, found by company or id."""
    where = _deal_conditions(workspace_id, DealQuery(search=search))
    rows = conn.execute(
        select(deals.c.id, deals.c.company, deals.c.value, deals.c.stage)
        .where(*where, deals.c.id != exclude)
        .order_by(deals.c.value.desc().nulls_last(), deals.c.id)
        .limit(limit)
    ).all()
    return _frame(rows, ["id", "company", "value", "stage"])
