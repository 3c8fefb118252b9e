"""The shipped prior reads captured mail: recency, replies, multi-threading and meetings move the score."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from tests.intelligence.helpers import add_activity, add_deal, make_workspace
from vectoros_pipelines.demo.scenario import build_scenario
from vectoros_pipelines.scoring.features import NEUTRAL, WorkspaceContext, build_features
from vectoros_pipelines.scoring.health import load_prior, score_deals
from vectoros_pipelines.scoring.records import ActivityRecord, DealRecord
from vectoros_pipelines.scoring.train_prior import (
    MASKED,
    TRAIN_SEEDS,
    generated_rows,
    histories_from_scenario,
)
from vectoros_pipelines.storage.intelligence import score_workspace
from vectoros_pipelines.storage.schema import deal_health_scores

AS_OF = datetime(2026, 5, 1, 18, 0)
OPENED = datetime(2026, 2, 1, 9, 0)
CONTEXT = WorkspaceContext(median_value=20000.0, win_rate=0.5, owner_record={})


def _deal(deal_id: int) -> DealRecord:
    return DealRecord(id=deal_id, status="open", stage="proposal", value=20000.0, opened_at=OPENED,
                      company="Buyer Ltd", owner="rep@seller.example", product="Platform")


def _thread(deal_id: int, last: datetime, contacts: int = 1) -> list[ActivityRecord]:
    """The same month-long exchange, ending on `last`; `contacts` buyers write in turn."""
    out = []
    for k in range(8):
        when = last - timedelta(days=4 * (7 - k))
        kind = "email_in" if k % 2 else "email_out"
        out.append(ActivityRecord(deal_id, kind, when, (f"buyer{k % contacts}@buyer.example",)))
    return out


def _score(deal: DealRecord, acts: list[ActivityRecord]) -> float:
    return float(load_prior().predict([build_features(deal, acts, AS_OF, CONTEXT)])[0])


def test_prior_is_the_mail_aware_one() -> None:
    assert "mail" in load_prior().version


def test_deal_silent_for_forty_days_scores_below_one_with_replies_last_week() -> None:
    silent = _thread(1, AS_OF - timedelta(days=40))
    lively = _thread(2, AS_OF - timedelta(days=5))
    assert _score(_deal(1), silent) < _score(_deal(2), lively) - 0.05


def test_multithreaded_deal_with_a_meeting_booked_scores_higher() -> None:
    last = AS_OF - timedelta(days=3)
    single = _thread(1, last, contacts=1)
    multi = _thread(2, last, contacts=3) + [
        ActivityRecord(2, "meeting", last - timedelta(days=10), ("buyer0@buyer.example", "buyer2@buyer.example")),
        ActivityRecord(2, "meeting", AS_OF + timedelta(days=6), ("buyer0@buyer.example", "buyer1@buyer.example")),
    ]
    assert _score(_deal(2), multi) > _score(_deal(1), single)


def test_a_crm_deal_without_activity_log_is_not_read_as_a_silent_one() -> None:
    """No captured mail means 'unknown', not 'the buyer went quiet': features are neutral, the indicator says so."""
    row = build_features(_deal(1), [], AS_OF, CONTEXT)
    assert row["activity_logged"] == 0.0
    assert all(row[name] == value for name, value in NEUTRAL.items())
    assert _score(_deal(1), []) > _score(_deal(1), _thread(1, AS_OF - timedelta(days=60)))


def test_pipeline_scores_a_quiet_deal_below_an_engaged_one_with_the_prior(engine: Engine) -> None:
    ws = make_workspace(engine, "mailco")
    opened = datetime(2026, 2, 1, tzinfo=UTC)
    quiet = add_deal(engine, ws, company="Quiet", value=20000.0, opened_at=opened)
    busy = add_deal(engine, ws, company="Busy", value=20000.0, opened_at=opened)
    for deal, last in ((quiet, datetime(2026, 3, 20, tzinfo=UTC)), (busy, datetime(2026, 4, 28, tzinfo=UTC))):
        for k in range(8):
            add_activity(engine, ws, deal, last - timedelta(days=4 * (7 - k)), kind="email_in" if k % 2 else "email_out",
                         participants=[f"b{k % 2}@{deal}.example"])
    run = score_workspace(engine, ws, date(2026, 5, 1))
    assert run.model_version == load_prior().version
    with engine.connect() as conn:
        rows = {r.deal_id: r for r in conn.execute(select(deal_health_scores).where(deal_health_scores.c.workspace_id == ws))}
    assert rows[quiet].score < rows[busy].score
    assert any("no activity for" in d["text"] for d in rows[quiet].drivers)


def test_generated_training_rows_know_only_the_past_and_hide_generator_artefacts() -> None:
    assert 999 not in TRAIN_SEEDS
    histories = histories_from_scenario(build_scenario(seed=999, n_deals=12, industry="logistics"))
    closed = [h for h in histories if h.final.status != "open"]
    assert closed and all(h.final.closed_at is not None for h in closed)
    rows, labels = generated_rows(histories)
    assert rows and set(labels) <= {0, 1}
    assert all(row[k] == v for row in rows for k, v in MASKED.items())
    # Rebuilt as of a day, a deal has no activity after that day and no meeting booked later than that day.
    h = closed[0]
    assert h.final.closed_at is not None
    day = h.final.closed_at - timedelta(days=7)
    record, acts = h.on(day)
    assert all(a.occurred_at <= day or a.kind == "meeting" for a in acts)
    assert record.value is None or any(t <= day for t, _ in h.amounts)


def test_score_deals_explains_mail_signals_in_words() -> None:
    deal = _deal(1)
    scores = score_deals(load_prior(), [deal], [deal], {1: _thread(1, AS_OF - timedelta(days=45))}, AS_OF)
    texts = [d.text for d in scores[0].drivers]
    assert texts and all(isinstance(t, str) and t for t in texts)
