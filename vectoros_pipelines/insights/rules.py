"""The insight rules. Each takes what the workspace knows on `as_of` and returns the insights that hold now.

A rule returns nothing when its condition does not hold; storage turns that
into "resolved" for an insight that was open. No rule reads the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from vectoros_pipelines.insights.thresholds import Thresholds
from vectoros_pipelines.scoring.records import ActivityRecord, DealRecord

PRIORITIES = ("low", "medium", "high")
MIN_SIMILAR = 5  # fewer similar closed deals than this and the lost-rate is not evidence


@dataclass(frozen=True)
class InsightDraft:
    deal_id: int | None
    kind: str
    title: str
    description: str
    evidence: dict[str, Any]
    actions: list[str]
    confidence: float
    priority: str
    owner: str | None = None


@dataclass(frozen=True)
class Neighbour:
    """A closed deal like the one in question, and how quiet it went before closing."""

    deal_id: int
    status: str  # won | lost
    longest_quiet_days: int
    similarity: float = 1.0


NeighbourSource = Callable[[DealRecord], Sequence[Neighbour]]


@dataclass(frozen=True)
class HealthView:
    score: float
    drivers: list[str]
    features: Mapping[str, Any]


@dataclass(frozen=True)
class ForecastPoint:
    as_of: datetime
    horizon_days: int
    likely: float


@dataclass
class Situation:
    """Everything the rules may look at, as of one day, for one workspace."""

    as_of: datetime
    deals: Sequence[DealRecord]
    activities: Mapping[int, Sequence[ActivityRecord]]
    health: Mapping[int, HealthView]
    forecasts: Sequence[ForecastPoint] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    neighbours: NeighbourSource | Mapping[int, Sequence[Neighbour]] | None = None

    def open_deals(self) -> list[DealRecord]:
        return [d for d in self.deals if d.status == "open" and (d.known_since or self.as_of) <= self.as_of]

    def last_activity(self, deal: DealRecord) -> datetime:
        times = [a.occurred_at for a in self.activities.get(deal.id, ()) if a.occurred_at <= self.as_of]
        return max(times, default=deal.known_since or self.as_of)


def _priority(level: str, kind: str, t: Thresholds) -> str:
    if kind in t.demoted:
        return PRIORITIES[max(PRIORITIES.index(level) - 1, 0)]
    return level


def longest_quiet_days(deal: DealRecord, activities: Sequence[ActivityRecord]) -> int:
    """The longest silence in a closed deal's life, from opening to close."""
    start, end = deal.known_since, deal.closed_on
    if start is None or end is None:
        return 0
    times = sorted([start, *(a.occurred_at for a in activities if start <= a.occurred_at <= end), end])
    return max((b - a).days for a, b in zip(times, times[1:], strict=False)) if len(times) > 1 else 0


def closed_peers(s: Situation) -> dict[str, list[tuple[float | None, Neighbour]]]:
    """Deals closed by as_of, grouped by product, with their value and longest silence."""
    peers: dict[str, list[tuple[float | None, Neighbour]]] = {}
    for other in s.deals:
        closed_on = other.closed_on
        if other.status == "open" or closed_on is None or closed_on > s.as_of:
            continue
        quiet = longest_quiet_days(other, s.activities.get(other.id, ()))
        peers.setdefault(other.product or "", []).append((other.value, Neighbour(other.id, other.status, quiet)))
    return peers


def similar_closed_deals(deal: DealRecord, peers: Mapping[str, list[tuple[float | None, Neighbour]]]) -> list[Neighbour]:
    """Fallback neighbours: same-workspace closed deals of the same product with a value within 2×."""
    return [
        n for value, n in peers.get(deal.product or "", ())
        if n.deal_id != deal.id and (not deal.value or not value or 0.5 <= value / deal.value <= 2.0)
    ]


def stale_deals(s: Situation) -> list[InsightDraft]:
    t = s.thresholds
    drafts = []
    peers: dict[str, list[tuple[float | None, Neighbour]]] | None = None
    for deal in s.open_deals():
        quiet = (s.as_of - s.last_activity(deal)).days
        if quiet < t.stale_days:
            continue
        if callable(s.neighbours):
            neighbours = list(s.neighbours(deal))
        elif isinstance(s.neighbours, Mapping):
            neighbours = list(s.neighbours.get(deal.id, ()))
        else:
            neighbours = []
        source = "similar deals (vector search)"
        if not neighbours:
            peers = peers if peers is not None else closed_peers(s)
            neighbours = similar_closed_deals(deal, peers)
            source = "closed deals of the same product and similar value"
        as_quiet = [n for n in neighbours if n.longest_quiet_days >= quiet]
        lost = sum(n.status == "lost" for n in as_quiet)
        evidence: dict[str, Any] = {"quiet_days": quiet, "similar_deals": len(neighbours),
                                    "similar_as_quiet": len(as_quiet), "lost_of_those": lost, "neighbour_source": source}
        if len(as_quiet) >= MIN_SIMILAR:
            lost_rate = lost / len(as_quiet)
            evidence["lost_rate"] = round(lost_rate, 3)
            history = f" Of {len(as_quiet)} similar closed deals that went this quiet, {lost} were lost ({lost_rate:.0%})."
            confidence = float(np.clip(lost_rate * min(1.0, len(as_quiet) / 20), 0.05, 0.99))
            level = "high" if lost_rate >= 0.5 else "medium"
        else:
            history = " Too few similar closed deals went this quiet to say how such deals end."
            confidence, level = 0.3, "medium"
        who = deal.company or deal.name or f"deal {deal.id}"
        drafts.append(InsightDraft(
            deal.id, "stale_deal", f"{who}: no activity for {quiet} days",
            f"Nothing has happened on {who} for {quiet} days (the workspace flags {t.stale_days}).{history}",
            evidence,
            [f"Send {deal.company or 'the buyer'} a short check-in with one concrete next step",
             "Ask whether the timeline or decision-maker has changed", "Close it as lost if the buyer has gone"],
            confidence, _priority(level, "stale_deal", t), deal.owner,
        ))
    return drafts


def at_risk(s: Situation) -> list[InsightDraft]:
    t = s.thresholds
    drafts = []
    for deal in s.open_deals():
        h = s.health.get(deal.id)
        if h is None or h.score >= t.at_risk_health:
            continue
        who = deal.company or deal.name or f"deal {deal.id}"
        reasons = "; ".join(h.drivers) or "weak signals overall"
        drafts.append(InsightDraft(
            deal.id, "at_risk", f"{who} is at risk (health {h.score:.0f})",
            f"Health {h.score:.0f}/100 is below {t.at_risk_health:.0f}. Main reasons: {reasons}.",
            {"health": h.score, "drivers": h.drivers, "threshold": t.at_risk_health},
            ["Book a call with the economic buyer to confirm the decision process",
             "Add a second contact at the account", "Agree a dated next step in writing"],
            float(np.clip(1 - h.score / 100, 0.0, 1.0)),
            _priority("high" if h.score < t.at_risk_health / 2 else "medium", "at_risk", t), deal.owner,
        ))
    return drafts


def upsell(s: Situation) -> list[InsightDraft]:
    t = s.thresholds
    since = s.as_of - timedelta(days=t.upsell_lookback_days)
    by_company: dict[str, list[DealRecord]] = {}
    for d in s.deals:
        if d.company and (d.known_since or s.as_of) <= s.as_of:
            by_company.setdefault(d.company.lower(), []).append(d)
    drafts = []
    for deals in by_company.values():
        won = [d for d in deals if d.status == "won" and d.closed_on and since <= d.closed_on <= s.as_of]
        if not won:
            continue
        anchor = max(won, key=lambda d: d.closed_on or s.as_of)
        owned = {d.product for d in won if d.product}
        new_interest = sorted({d.product for d in deals if d.status == "open" and d.product and d.product not in owned})
        acts = [a for d in deals for a in s.activities.get(d.id, ()) if a.occurred_at <= s.as_of]
        recent = sum(a.occurred_at > s.as_of - timedelta(days=30) for a in acts)
        before = sum(s.as_of - timedelta(days=60) < a.occurred_at <= s.as_of - timedelta(days=30) for a in acts)
        growing = recent >= 3 and recent > 1.5 * before
        if not new_interest and not growing:
            continue
        evidence = {"won_deal": anchor.id, "products_owned": sorted(p for p in owned if p),
                    "new_product_interest": new_interest, "activities_30d": recent, "activities_prev_30d": before}
        signals = []
        if new_interest:
            signals.append(f"is now looking at {', '.join(new_interest)}")
        if growing:
            signals.append(f"activity rose to {recent} in 30 days from {before}")
        company = anchor.company or "This customer"
        drafts.append(InsightDraft(
            anchor.id, "upsell", f"Upsell at {company}",
            f"{company} bought {anchor.product or 'from us'} on {anchor.closed_on:%Y-%m-%d} and {' and '.join(signals)}.",
            evidence,
            [f"Offer {new_interest[0]} to {company} as an add-on" if new_interest else f"Ask {company} what else they need",
             "Loop in the account's original champion"],
            0.6 if new_interest and growing else 0.45, _priority("medium", "upsell", t), anchor.owner,
        ))
    return drafts


def forecast_change(s: Situation) -> list[InsightDraft]:
    t = s.thresholds
    drafts = []
    by_horizon: dict[int, list[ForecastPoint]] = {}
    for f in sorted(s.forecasts, key=lambda f: f.as_of):
        if f.as_of <= s.as_of:
            by_horizon.setdefault(f.horizon_days, []).append(f)
    # The 30-day forecast is the headline; one workspace-level insight, not one per horizon.
    for horizon, points in sorted(by_horizon.items()):
        if horizon != 30 or len(points) < 2 or points[-2].likely <= 0:
            continue
        prev, last = points[-2], points[-1]
        change = (last.likely - prev.likely) / prev.likely
        if abs(change) <= t.forecast_change:
            continue
        direction = "up" if change > 0 else "down"
        drafts.append(InsightDraft(
            None, "forecast_change",
            f"{horizon}-day forecast {direction} {abs(change):.0%}",
            f"The likely {horizon}-day bookings moved from {prev.likely:,.0f} ({prev.as_of:%Y-%m-%d}) "
            f"to {last.likely:,.0f} ({last.as_of:%Y-%m-%d}).",
            {"previous": prev.likely, "current": last.likely, "change": round(change, 4), "horizon_days": horizon},
            ["Review which deals moved in or out of the window", "Update the commit call with the team"],
            float(min(1.0, abs(change) / (3 * t.forecast_change))),
            _priority("high" if abs(change) > 2 * t.forecast_change else "medium", "forecast_change", t),
        ))
    return drafts


def new_deals(s: Situation) -> list[InsightDraft]:
    t = s.thresholds
    drafts = []
    for deal in s.open_deals():
        seen = deal.created_at or deal.known_since
        if deal.source == "crm" or seen is None or not (s.as_of - timedelta(days=t.new_deal_days) < seen <= s.as_of):
            continue
        who = deal.company or deal.name or f"deal {deal.id}"
        drafts.append(InsightDraft(
            deal.id, "new_deal", f"New deal detected: {who}",
            f"VectorOS found a new {deal.stage} deal with {who}" + (f" worth {deal.value:,.0f}" if deal.value else "")
            + f" from {deal.source}.",
            {"source": deal.source, "value": deal.value, "stage": deal.stage},
            ["Confirm the amount, product and close date", "Assign an owner if it has none"],
            0.7, _priority("medium", "new_deal", t), deal.owner,
        ))
    return drafts


def close_date_slipped(s: Situation) -> list[InsightDraft]:
    t = s.thresholds
    drafts = []
    for deal in s.open_deals():
        overdue = deal.close_date is not None and deal.close_date < s.as_of.date()
        if not overdue and deal.close_date_slips == 0:
            continue
        who = deal.company or deal.name or f"deal {deal.id}"
        parts = []
        if deal.close_date_slips:
            parts.append(f"its close date moved later {deal.close_date_slips} time{'s' if deal.close_date_slips > 1 else ''}")
        if overdue:
            parts.append(f"the expected close date {deal.close_date:%Y-%m-%d} has passed")
        drafts.append(InsightDraft(
            deal.id, "close_date_slipped", f"{who}: close date slipped",
            f"On {who}, {' and '.join(parts)}.",
            {"close_date": deal.close_date.isoformat() if deal.close_date else None, "slips": deal.close_date_slips,
             "overdue": overdue},
            ["Ask the buyer what has to happen before signature, and by when", "Set a realistic close date"],
            float(min(0.9, 0.4 + 0.15 * deal.close_date_slips + (0.2 if overdue else 0))),
            _priority("high" if deal.close_date_slips >= 2 else "medium", "close_date_slipped", t), deal.owner,
        ))
    return drafts


def single_threaded(s: Situation) -> list[InsightDraft]:
    t = s.thresholds
    drafts = []
    for deal in s.open_deals():
        acts = [a for a in s.activities.get(deal.id, ()) if a.occurred_at <= s.as_of]
        if not acts:
            continue  # no activity log (a CRM-only deal): we cannot tell how many people are involved
        age = (s.as_of - (deal.known_since or s.as_of)).days
        contacts = {p.lower() for a in acts for p in a.participants}
        if len(contacts) > 1 or age < t.single_threaded_min_age_days:
            continue
        who = deal.company or deal.name or f"deal {deal.id}"
        drafts.append(InsightDraft(
            deal.id, "single_threaded", f"{who} hangs on one contact",
            f"After {age} days, every exchange on {who} involves {next(iter(contacts), 'a single contact')} only.",
            {"contacts": sorted(contacts), "deal_age_days": age, "activities": len(acts)},
            ["Ask your contact to introduce the budget holder", "Invite a technical evaluator to the next meeting"],
            0.6, _priority("medium", "single_threaded", t), deal.owner,
        ))
    return drafts


def no_next_meeting(s: Situation) -> list[InsightDraft]:
    t = s.thresholds
    drafts = []
    for deal in s.open_deals():
        acts = s.activities.get(deal.id, ())
        meetings = [a for a in acts if a.kind == "meeting"]
        if not meetings or any(a.occurred_at > s.as_of for a in meetings):
            continue  # never met (no calendar) or a next meeting is booked
        last = max(a.occurred_at for a in meetings)
        if last > s.as_of:
            continue
        who = deal.company or deal.name or f"deal {deal.id}"
        days = (s.as_of - last).days
        drafts.append(InsightDraft(
            deal.id, "no_next_meeting", f"{who}: no next meeting booked",
            f"The last meeting on {who} was {days} days ago ({last:%Y-%m-%d}) and none is booked.",
            {"last_meeting": last.isoformat(), "days_since": days, "meetings_held": len(meetings)},
            ["Propose two dated slots for the next meeting", "Send a recap with the agreed next step"],
            float(min(0.9, 0.4 + days / 60)), _priority("high" if days > 21 else "medium", "no_next_meeting", t),
            deal.owner,
        ))
    return drafts


RULES: tuple[Callable[[Situation], list[InsightDraft]], ...] = (
    stale_deals, at_risk, upsell, forecast_change, new_deals, close_date_slipped, single_threaded, no_next_meeting,
)


def detect(s: Situation) -> list[InsightDraft]:
    """All insights that hold on `s.as_of`, at most one per (deal, kind), above the workspace's confidence floor."""
    seen: dict[tuple[int | None, str], InsightDraft] = {}
    for rule in RULES:
        for draft in rule(s):
            if draft.confidence >= s.thresholds.min_confidence:
                seen.setdefault((draft.deal_id, draft.kind), draft)
    return list(seen.values())
