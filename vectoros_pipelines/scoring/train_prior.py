"""Trains the prior health model shipped in the package: Maven's CRM deals plus generated mail histories.

    python -m vectoros_pipelines.scoring.train_prior [../shared/data/crm/maven]

Maven's sample CRM teaches the static fields (amount, product, owner, age) but has no activity log, so on its
own it gives the activity signals no weight at all. Those are learned from the demo generator's labelled
companies (`TRAIN_SEEDS` × `INDUSTRIES`): every won or lost deal is looked at on several days before it
closed, each time rebuilt from only what was known that day (mail sent by then, meetings booked by then, the
amount stated by then, the other deals' outcomes by then).

Generated rows teach the activity signals only: their deal fields (age, time in stage, amount, owner,
close-date slips) are set to fixed values (`MASKED`), so those weights come from Maven's real deals. In the
generator they are artefacts: a lost deal stops at a randomly drawn stage, so it is simply younger; only won and
open deals slip their close date (in real pipelines a slip is a warning sign); amounts and owners are drawn
independently of the outcome. The product columns are fixed to Maven's products, so the generator's catalogue
(and any real workspace's) encodes as "no product effect" rather than as noise weights learned from a few
generated deals.

Deterministic: the same data and seeds give the same model. Workspaces use it until they have enough closed
deals of their own. Seeds in `TRAIN_SEEDS` must not be used to measure it (benchmarks/health_on_mail.py).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import joblib

from vectoros_pipelines.crm.parse import parse_many
from vectoros_pipelines.crm.rows import CrmDeal
from vectoros_pipelines.demo.model import Person, Scenario
from vectoros_pipelines.demo.scenario import build_scenario
from vectoros_pipelines.scoring.features import build_features, workspace_context
from vectoros_pipelines.scoring.health import PRIOR_PATH
from vectoros_pipelines.scoring.model import HealthModel, train, training_rows
from vectoros_pipelines.scoring.records import ActivityRecord, DealRecord

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "crm" / "maven"
PRIOR_VERSION = "prior-maven+mail-lr-v2"
IMPORTED_AT = datetime(2018, 1, 1)  # deals without a created date count as known from the end of the data

TRAIN_SEEDS = tuple(range(1, 25))  # held-out seeds for measuring start at 900
INDUSTRIES = ("saas", "manufacturing", "logistics")
DEALS_PER_COMPANY = 40
# Days before a deal closed on which it is looked at: late looks are easy, early ones are what an open
# pipeline is mostly made of, so both are in.
SNAPSHOT_DAYS_BEFORE_CLOSE = (1, 4, 7, 14, 21, 30, 45, 60, 90)
# Fixed values for the deal fields of generated rows (see the module doc). Being constant there, the
# `activity_logged` indicator absorbs them and their weights are learned from Maven alone.
MASKED: dict[str, float | str] = {
    "stage_age_days": 0.0, "deal_age_days": 0.0, "close_date_slips": 0.0, "log_value_vs_median": 0.0,
    "owner_win_rate": 0.5, "has_company": 1.0, "product": "generated",
}


def _at(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def records_from_crm(rows: list[CrmDeal]) -> list[DealRecord]:
    return [
        DealRecord(
            id=i, status=d.status, stage=d.stage, value=d.value, opened_at=_at(d.opened_on),
            closed_at=_at(d.close_date) if d.status != "open" else None, close_date=d.close_date,
            product=d.product, company=d.company, owner=d.owner, name=d.name, external_id=d.external_id,
            source="crm", created_at=IMPORTED_AT,
        )
        for i, d in enumerate(rows)
    ]


# ---------------------------------------------------------------- generated mail histories


def _utc(moment: datetime) -> datetime:
    """Warehouse times are naive UTC (storage.intelligence._naive); the generator's are zone-aware."""
    return moment.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class DealHistory:
    """A generated deal as a timeline, so it can be rebuilt as it looked on any day."""

    final: DealRecord
    activities: tuple[tuple[ActivityRecord, datetime], ...]  # (activity, when we could first know of it)
    amounts: tuple[tuple[datetime, float], ...]  # amounts as stated, in order
    stage_moves: tuple[datetime, ...]

    def on(self, day: datetime) -> tuple[DealRecord, list[ActivityRecord]]:
        """The deal and its activity log as the pipeline would have had them on `day`."""
        amounts = [v for t, v in self.amounts if t <= day]
        moves = [t for t in self.stage_moves if t <= day]
        record = replace(self.final, value=amounts[-1] if amounts else None,
                         stage_changed_at=moves[-1] if moves else None)
        # A meeting on the calendar after `day` counts as booked only if the invitation existed on `day`.
        return record, [a for a, known in self.activities if known <= day]


def histories_from_scenario(scenario: Scenario, first_id: int = 0) -> list[DealHistory]:
    """Each deal of a generated company with its mail and meetings as the capture pipeline would log them."""
    domain = scenario.workspace.domain.lower()

    def internal(p: Person) -> bool:
        return p.email.lower().endswith("@" + domain)

    by_deal: dict[str, list[tuple[ActivityRecord, datetime]]] = {}
    amounts: dict[str, list[tuple[datetime, float]]] = {}
    stages: dict[str, list[tuple[datetime, str]]] = {}
    closed: dict[str, datetime] = {}
    ids = {d.deal_id: first_id + i for i, d in enumerate(scenario.deals)}
    for mail in scenario.mails:
        if mail.deal_id is None:
            continue
        sent = _utc(mail.sent)
        people = [mail.sender, *mail.to, *mail.cc]
        if not internal(mail.sender):
            kind = "email_in"
        else:
            kind = "email_out" if any(not internal(p) for p in people) else "email_internal"
        externals = tuple(dict.fromkeys(p.email.lower() for p in people if not internal(p)))
        by_deal.setdefault(mail.deal_id, []).append((ActivityRecord(ids[mail.deal_id], kind, sent, externals), sent))
        if mail.amount is not None:
            amounts.setdefault(mail.deal_id, []).append((sent, mail.amount.value))
        if mail.stage is not None:
            stages.setdefault(mail.deal_id, []).append((sent, mail.stage))
            if mail.stage in ("closed_won", "closed_lost") and mail.deal_id not in closed:
                closed[mail.deal_id] = sent
    for event in scenario.events:
        if event.deal_id is None or event.cancelled:
            continue
        start = _utc(event.start)
        booked = _utc(event.created) if event.created else start
        people = [event.organizer, *event.attendees]
        externals = tuple(dict.fromkeys(p.email.lower() for p in people if not internal(p)))
        by_deal.setdefault(event.deal_id, []).append((ActivityRecord(ids[event.deal_id], "meeting", start, externals),
                                                      min(booked, start)))
    out = []
    for deal in scenario.deals:
        acts = sorted(by_deal.get(deal.deal_id, []), key=lambda pair: pair[0].occurred_at)
        if not acts:
            continue
        opened = min(known for _, known in acts)
        moves, previous = [], None
        for when, stage in sorted(stages.get(deal.deal_id, [])):
            if stage != previous:
                moves.append(when)
                previous = stage
        final = DealRecord(
            id=ids[deal.deal_id], status=deal.status, stage=deal.stage, value=deal.value, opened_at=opened,
            closed_at=closed.get(deal.deal_id) if deal.status != "open" else None, close_date=deal.close_date,
            product=deal.product, company=deal.company.name, owner=deal.rep.email.lower(), name=deal.deal_id,
            source="email",
        )
        out.append(DealHistory(final, tuple(acts), tuple(sorted(amounts.get(deal.deal_id, []))), tuple(moves[1:])))
    return out


def generated_rows(histories: Sequence[DealHistory]) -> tuple[list[dict[str, float | str]], list[int]]:
    """Snapshots of each closed generated deal before it closed, built from what was known on the day."""
    rows: list[dict[str, float | str]] = []
    labels: list[int] = []
    for h in histories:
        deal = h.final
        closed_on = deal.closed_on
        if deal.status == "open" or closed_on is None or deal.opened_at is None:
            continue
        for days in SNAPSHOT_DAYS_BEFORE_CLOSE:
            day = closed_on - timedelta(days=days)
            if day < deal.opened_at:
                break
            # Other deals count as they stood that day: their outcome only if they had closed by then.
            context = workspace_context((x.on(day)[0] for x in histories), day)
            record, acts = h.on(day)
            rows.append(build_features(record, acts, day, context) | MASKED)
            labels.append(int(deal.status == "won"))
    return rows, labels


def generated_histories(seeds: Iterable[int] = TRAIN_SEEDS, industries: Iterable[str] = INDUSTRIES,
                        n_deals: int = DEALS_PER_COMPANY) -> list[list[DealHistory]]:
    companies = []
    for seed in seeds:
        for industry in industries:
            languages = ("en", "de") if seed % 3 == 0 else ("en",)  # some DACH deals, other zones and customers
            scenario = build_scenario(seed=seed, n_deals=n_deals, industry=industry, languages=languages)
            companies.append(histories_from_scenario(scenario))
    return companies


# ---------------------------------------------------------------- training


def maven_rows(data: Path = DEFAULT_DATA) -> tuple[list[dict[str, float | str]], list[int], list[DealRecord]]:
    deals = records_from_crm(parse_many([data], "maven").deals)
    until = max(d.closed_on for d in deals if d.closed_on is not None)
    closed = [d for d in deals if d.status != "open"]
    rows, labels = training_rows(closed, {}, deals, until)
    return rows, labels, closed


def train_prior(data: Path = DEFAULT_DATA, seeds: Iterable[int] = TRAIN_SEEDS) -> tuple[HealthModel, str]:
    rows, labels, maven = maven_rows(data)
    maven_deals = len(maven)
    mail_rows: list[dict[str, float | str]] = []
    mail_labels: list[int] = []
    mail_deals = 0
    for company in generated_histories(seeds):
        r, y = generated_rows(company)
        mail_rows += r
        mail_labels += y
        mail_deals += sum(h.final.status != "open" for h in company)
    model = train([*rows, *mail_rows], [*labels, *mail_labels], version=PRIOR_VERSION,
                  deals=maven_deals + mail_deals, products=sorted({d.product or "unknown" for d in maven}))
    summary = (f"{maven_deals} Maven deals ({len(rows)} snapshots, win rate {sum(labels) / len(labels):.3f}) + "
               f"{mail_deals} generated deals ({len(mail_rows)} snapshots, win rate "
               f"{sum(mail_labels) / max(len(mail_labels), 1):.3f})")
    return model, summary


def main(data: Path = DEFAULT_DATA) -> None:
    model, summary = train_prior(data)
    PRIOR_PATH.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, PRIOR_PATH, compress=3)
    print(f"prior trained on {summary} -> {PRIOR_PATH} ({PRIOR_PATH.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA)
