"""What a deal looked like on a given day: features for the health model, from the deal and its activity log.

Only what was known on `as_of` is used: activities up to that day, the deal's
age then, the workspace's closed deals up to then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from vectoros_pipelines.scoring.records import ActivityRecord, DealRecord

# Signals read from the deal's activity log (mail, meetings). A deal with no activity logged yet (a CRM import,
# a manual entry) has them all at NEUTRAL and `activity_logged` = 0: "we have no log" is not "the buyer went
# silent", and because they are constant in that group the indicator absorbs them, so their weights are learned
# from deals that do have a log only (see train_prior: Maven has none, generated mail has one).
ACTIVITY = (
    "days_since_last_activity", "activities_7d", "activities_30d", "engagement_trend",
    "inbound_30d", "outbound_30d", "inbound_share_30d", "distinct_contacts", "meetings_held", "meetings_booked",
)
NUMERIC = (
    *ACTIVITY, "activity_logged", "stage_age_days",
    "close_date_slips", "log_value_vs_median", "deal_age_days", "owner_win_rate", "has_company",
)
NEUTRAL: dict[str, float] = {name: 0.0 for name in ACTIVITY} | {"inbound_share_30d": 0.5}
SILENCE_CAP_DAYS = 120  # past four months of silence, more days say nothing new; caps an outlier's pull
# Stage is left out: a closed deal's stage is "closed_*", and its stage history is rarely known.
CATEGORICAL = ("product",)
OWNER_PRIOR_DEALS = 10.0  # an owner's win rate counts as 10 deals at the workspace rate until they have more


@dataclass(frozen=True)
class WorkspaceContext:
    """Workspace facts as of a day: median deal value, win rate, and each owner's record."""

    median_value: float
    win_rate: float
    owner_record: dict[str, tuple[int, int]]  # owner -> (won, closed)

    def owner_win_rate(self, owner: str | None, exclude: DealRecord | None = None) -> float:
        won, closed = self.owner_record.get(owner or "", (0, 0))
        if exclude is not None and exclude.status != "open" and owner:
            won, closed = won - int(exclude.status == "won"), closed - 1  # leave the deal's own outcome out
        return (won + OWNER_PRIOR_DEALS * self.win_rate) / (closed + OWNER_PRIOR_DEALS)


def workspace_context(deals: Iterable[DealRecord], as_of: datetime) -> WorkspaceContext:
    values, won, closed = [], 0, 0
    owners: dict[str, tuple[int, int]] = {}
    for d in deals:
        since = d.known_since
        if since is None or since > as_of:
            continue
        closed_on = d.closed_on
        if closed_on is not None and closed_on <= as_of:
            w = int(d.status == "won")
            won, closed = won + w, closed + 1
            if d.owner:
                ow, oc = owners.get(d.owner, (0, 0))
                owners[d.owner] = (ow + w, oc + 1)
        if d.value and (closed_on is None or closed_on <= as_of):
            values.append(d.value)
    return WorkspaceContext(
        median_value=float(np.median(values)) if values else 0.0,
        win_rate=won / closed if closed else 0.5,
        owner_record=owners,
    )


def build_features(
    deal: DealRecord, activities: Sequence[ActivityRecord], as_of: datetime, context: WorkspaceContext,
    *, own_outcome_known: bool = False,
) -> dict[str, float | str]:
    """Features of `deal` on `as_of`. `own_outcome_known` marks training rows whose outcome is in the context."""
    opened = deal.known_since or as_of
    value = deal.value if deal.value else context.median_value
    ratio = (value / context.median_value) if context.median_value and value else 1.0
    stage_since = deal.stage_changed_at or opened
    return {
        **activity_features(activities, as_of),
        "stage_age_days": max((as_of - stage_since).days, 0),
        "close_date_slips": deal.close_date_slips,
        "log_value_vs_median": float(np.log(max(ratio, 1e-3))),
        "deal_age_days": max((as_of - opened).days, 0),
        "owner_win_rate": context.owner_win_rate(deal.owner, exclude=deal if own_outcome_known else None),
        "has_company": float(bool(deal.company)),
        "product": deal.product or "unknown",
    }


def activity_features(activities: Sequence[ActivityRecord], as_of: datetime) -> dict[str, float]:
    """What the deal's mail and meetings said by `as_of`; NEUTRAL with `activity_logged` 0 when nothing is logged.

    `activities` may hold meetings after `as_of`: those on the calendar within 30 days count as booked (the
    caller drops meetings not yet booked on `as_of` when it rebuilds the past, see train_prior).
    """
    past = [a for a in activities if a.occurred_at <= as_of]
    if not past:
        return {**NEUTRAL, "activity_logged": 0.0}
    booked = sum(a.kind == "meeting" and as_of < a.occurred_at <= as_of + timedelta(days=30) for a in activities)
    last = max(a.occurred_at for a in past)
    recent = [a for a in past if a.occurred_at > as_of - timedelta(days=30)]
    first = min(a.occurred_at for a in past)
    # Last two weeks against the two before, once the log is four weeks deep (a young thread always "grows").
    fresh = sum(a.occurred_at > as_of - timedelta(days=14) for a in past)
    before = sum(as_of - timedelta(days=28) < a.occurred_at <= as_of - timedelta(days=14) for a in past)
    trend = float(np.log1p(fresh) - np.log1p(before)) if first <= as_of - timedelta(days=28) else 0.0
    inbound = sum(a.kind == "email_in" for a in recent)
    outbound = sum(a.kind == "email_out" for a in recent)
    contacts = {p.lower() for a in past for p in a.participants}
    return {
        "days_since_last_activity": float(min(max((as_of - last).days, 0), SILENCE_CAP_DAYS)),
        "activities_7d": float(sum(a.occurred_at > as_of - timedelta(days=7) for a in past)),
        "activities_30d": float(len(recent)),
        "engagement_trend": trend,  # < 0: a thread cooling off, whatever its size
        "inbound_30d": float(inbound),
        "outbound_30d": float(outbound),
        "inbound_share_30d": inbound / (inbound + outbound) if inbound + outbound else 0.5,
        "distinct_contacts": float(len(contacts)),
        "meetings_held": float(sum(a.kind == "meeting" for a in past)),
        "meetings_booked": float(booked),
        "activity_logged": 1.0,
    }
