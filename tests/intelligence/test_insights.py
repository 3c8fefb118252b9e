from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from tests.intelligence.helpers import add_activity, add_deal, make_workspace
from vectoros_pipelines.insights.rules import Neighbour, Situation, stale_deals
from vectoros_pipelines.insights.thresholds import FeedbackStats, Thresholds, tuned
from vectoros_pipelines.scoring.records import DealRecord
from vectoros_pipelines.storage.intelligence import list_insights, record_feedback, refresh_insights


def _by_kind(engine: Engine, ws: int, kind: str) -> list[dict]:
    with engine.connect() as conn:
        return [i for i in list_insights(conn, ws) if i["kind"] == kind]


def test_stale_insight_opens_once_then_resolves_when_activity_resumes(engine: Engine) -> None:
    ws = make_workspace(engine, "acme")
    deal = add_deal(engine, ws, company="Acme", value=1000.0, source="crm")
    add_activity(engine, ws, deal, datetime(2024, 1, 2, tzinfo=UTC), participants=["a@acme.com"])

    first = refresh_insights(engine, ws, date(2024, 2, 1))
    second = refresh_insights(engine, ws, date(2024, 2, 2))
    stale = _by_kind(engine, ws, "stale_deal")
    assert first.opened >= 1 and second.updated >= 1 and second.opened == 0
    assert len(stale) == 1 and stale[0]["status"] == "open"
    assert "no activity for 31 days" in stale[0]["title"]  # refreshed by the second run and stale[0]["actions"]

    add_activity(engine, ws, deal, datetime(2024, 2, 3, tzinfo=UTC), participants=["b@acme.com"])
    third = refresh_insights(engine, ws, date(2024, 2, 4))
    assert third.resolved >= 1
    assert _by_kind(engine, ws, "stale_deal")[0]["status"] == "resolved"


def test_dismissed_insight_stays_dismissed(engine: Engine) -> None:
    ws = make_workspace(engine, "acme")
    add_deal(engine, ws, company="Acme", value=1000.0, source="crm")
    refresh_insights(engine, ws, date(2024, 2, 1))
    insight = _by_kind(engine, ws, "stale_deal")[0]
    with engine.begin() as conn:
        record_feedback(conn, ws, insight["id"], "dismissed", "rep@acme.example")
    run = refresh_insights(engine, ws, date(2024, 2, 10))
    stale = _by_kind(engine, ws, "stale_deal")
    assert run.kept_dismissed == 1 and [i["status"] for i in stale] == ["dismissed"]


def test_single_threaded_and_no_next_meeting_need_an_activity_log(engine: Engine) -> None:
    ws = make_workspace(engine, "acme")
    quiet_crm = add_deal(engine, ws, company="NoLog", value=1.0, source="crm")
    threaded = add_deal(engine, ws, company="Solo", value=1.0, source="crm")
    add_activity(engine, ws, threaded, datetime(2024, 1, 20, tzinfo=UTC), kind="meeting", participants=["x@solo.com"])
    refresh_insights(engine, ws, date(2024, 2, 1))
    with engine.connect() as conn:
        kinds = {(i["deal_id"], i["kind"]) for i in list_insights(conn, ws)}
    assert (threaded, "single_threaded") in kinds and (threaded, "no_next_meeting") in kinds
    assert (quiet_crm, "single_threaded") not in kinds and (quiet_crm, "no_next_meeting") not in kinds


def test_stale_lost_rate_comes_from_the_neighbours_given() -> None:
    as_of = datetime(2024, 3, 1)
    deal = DealRecord(id=1, status="open", stage="proposal", value=100.0, opened_at=datetime(2024, 1, 1), company="A")
    neighbours = [Neighbour(10 + i, "lost" if i < 6 else "won", 90) for i in range(8)]
    s = Situation(as_of=as_of, deals=[deal], activities={}, health={}, neighbours=lambda d: neighbours)
    [draft] = stale_deals(s)
    assert draft.evidence["lost_rate"] == 0.75 and "6 were lost (75%)" in draft.description
    assert draft.evidence["neighbour_source"] == "similar deals (vector search)" and draft.priority == "high"


def test_feedback_tightens_only_the_kinds_people_dismiss() -> None:
    t = tuned({"stale_deal": FeedbackStats(dismissed=9, total=10), "at_risk": FeedbackStats(dismissed=1, total=10),
               "upsell": FeedbackStats(dismissed=3, total=3)})
    base = Thresholds()
    assert t.stale_days > base.stale_days and "stale_deal" in t.demoted
    assert t.at_risk_health == base.at_risk_health  # mostly kept: nothing to tune
    assert "upsell" not in t.demoted  # 3 reactions are not enough evidence


def test_feedback_from_the_warehouse_raises_this_workspaces_stale_threshold(engine: Engine) -> None:
    ws = make_workspace(engine, "acme")
    for i in range(6):
        add_deal(engine, ws, company=f"C{i}", value=1.0, source="crm", opened_at=datetime(2024, 1, 10, tzinfo=UTC))
    refresh_insights(engine, ws, date(2024, 1, 30))  # 20 days quiet: flagged at the default 14
    with engine.begin() as conn:
        for insight in list_insights(conn, ws, "open"):
            record_feedback(conn, ws, insight["id"], "dismissed")
    for i in range(2):
        add_deal(engine, ws, company=f"N{i}", value=1.0, source="crm", opened_at=datetime(2024, 1, 10, tzinfo=UTC))
    run = refresh_insights(engine, ws, date(2024, 1, 30))
    assert run.opened == 0  # 20 quiet days no longer clear the tuned threshold (14 × 2 = 28)
