"""The health model: a calibrated win probability with the drivers of each score in words.

Logistic regression over standardised features (so each driver's pull is its
coefficient × how far the deal sits from the average), calibrated with
CalibratedClassifierCV. Training rows are snapshots of closed deals every two
weeks of their life (a long deal is seen more often, as it is in an open
pipeline), so scoring an open deal of any age matches how the model was trained
and no row knows how long its deal eventually ran. The shipped prior adds
snapshots of generated mail histories for the activity signals (train_prior).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from vectoros_pipelines.scoring.features import CATEGORICAL, NUMERIC, build_features, workspace_context
from vectoros_pipelines.scoring.records import ActivityRecord, DealRecord

SNAPSHOT_EVERY = timedelta(days=14)
# Model-internal features that are never a reason a rep can act on: `activity_logged` only separates deals
# with a mail log from CRM rows (features.ACTIVITY), its pull is the baseline of mail-captured deals.
NOT_DRIVERS = frozenset({"activity_logged"})
MAX_SNAPSHOTS_PER_DEAL = 12
MIN_CLOSED_DEALS = 40
MIN_PER_CLASS = 8


@dataclass(frozen=True)
class Driver:
    feature: str
    text: str
    pull: float  # log-odds pushed towards winning (+) or losing (−)


@dataclass(frozen=True)
class HealthScore:
    deal_id: int
    win_probability: float
    drivers: list[Driver]
    features: dict[str, float | str]

    @property
    def score(self) -> float:
        return round(100.0 * self.win_probability, 1)


@dataclass
class HealthModel:
    calibrated: CalibratedClassifierCV
    version: str
    trained_on: int  # closed deals

    def predict(self, rows: Sequence[Mapping[str, float | str]]) -> np.ndarray:
        return self.calibrated.predict_proba(pd.DataFrame(list(rows), columns=[*NUMERIC, *CATEGORICAL]))[:, 1]

    def score(self, deal_id: int, features: Mapping[str, float | str], top: int = 3) -> HealthScore:
        p = float(self.predict([features])[0])
        return HealthScore(deal_id, p, self.drivers([features], top)[0], dict(features))

    def drivers(self, rows: Sequence[Mapping[str, float | str]], top: int = 3) -> list[list[Driver]]:
        """For each row, the features pulling its log-odds furthest from the average deal's (vectorised)."""
        frame = pd.DataFrame(list(rows), columns=[*NUMERIC, *CATEGORICAL])
        pulls = np.zeros((len(frame), len(NUMERIC) + 1))
        fitted = [c.estimator for c in self.calibrated.calibrated_classifiers_]
        for pipe in fitted:
            x = pipe.named_steps["prep"].transform(frame)
            x = np.asarray(x.toarray() if hasattr(x, "toarray") else x, dtype=float)
            contrib = x * pipe.named_steps["clf"].coef_[0]
            pulls[:, : len(NUMERIC)] += contrib[:, : len(NUMERIC)]
            pulls[:, -1] += contrib[:, len(NUMERIC):].sum(axis=1)
        pulls /= max(len(fitted), 1)
        names = [*NUMERIC, "product"]
        for j, name in enumerate(names):
            if name in NOT_DRIVERS:
                pulls[:, j] = 0.0
        order = np.argsort(-np.abs(pulls), axis=1)[:, :top]
        return [
            [Driver(names[j], describe(names[j], row), float(pulls[i, j])) for j in order[i] if abs(pulls[i, j]) > 1e-6]
            for i, row in enumerate(rows)
        ]


def describe(feature: str, f: Mapping[str, float | str]) -> str:
    """A driver in the words a rep would use."""
    v = f.get(feature)
    x = float(v) if isinstance(v, int | float) else 0.0
    n = int(x)
    s = "" if n == 1 else "s"
    texts = {
        "days_since_last_activity": lambda: f"no activity for {n} days" if n else "activity today",
        "engagement_trend": lambda: ("more activity than the two weeks before" if x > 0 else
                                     "less activity than the two weeks before" if x < 0 else "steady activity"),
        "activity_logged": lambda: "mail and meetings captured" if x else "no mail or meetings captured yet",
        "activities_7d": lambda: f"{n} activities in the last 7 days",
        "activities_30d": lambda: f"{n} activities in the last 30 days",
        "inbound_30d": lambda: f"{n} repl{'y' if n == 1 else 'ies'} from the buyer in 30 days",
        "outbound_30d": lambda: f"{n} messages sent in 30 days",
        "inbound_share_30d": lambda: f"buyer wrote {round(100 * x)}% of recent messages",
        "distinct_contacts": lambda: f"{n} contact{s} engaged",
        "meetings_held": lambda: f"{n} meeting{s} held",
        "meetings_booked": lambda: "a next meeting is booked" if n else "no next meeting booked",
        "stage_age_days": lambda: f"{n} days in the current stage",
        "close_date_slips": lambda: f"close date slipped {n} time{s}",
        "log_value_vs_median": lambda: f"amount {np.exp(x):.1f}× the workspace's median deal",
        "deal_age_days": lambda: f"open for {n} days",
        "owner_win_rate": lambda: f"owner wins {round(100 * x)}% of deals",
        "has_company": lambda: "account known" if x else "no account on the deal",
        "product": lambda: f"product {f.get('product')}",
    }
    text = texts.get(feature)
    return text() if text else feature


def _estimator(products: Sequence[str] | None = None) -> Pipeline:
    # `products` fixes the product columns; any other product (unknown ones too) encodes as all zeros, i.e.
    # "no product effect". The prior uses it so that only real CRM products get a weight (see train_prior).
    categories: list[list[str]] | str = [sorted(products)] if products is not None else "auto"
    prep = ColumnTransformer([
        ("num", StandardScaler(), list(NUMERIC)),
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False, categories=categories), list(CATEGORICAL)),
    ])
    return Pipeline([("prep", prep), ("clf", LogisticRegression(C=0.3, max_iter=2000))])


def training_rows(
    closed: Sequence[DealRecord], activities: Mapping[int, Sequence[ActivityRecord]], all_deals: Sequence[DealRecord],
    until: datetime,
) -> tuple[list[dict[str, float | str]], list[int]]:
    """Snapshots of deals closed by `until`, each snapshot built only from what was known on its day."""
    context = workspace_context(all_deals, until)
    rows, labels = [], []
    for deal in closed:
        opened, closed_on = deal.known_since, deal.closed_on
        if opened is None or closed_on is None or closed_on > until or deal.status == "open":
            continue
        days: list[datetime] = []
        day = opened
        while day < closed_on and len(days) < MAX_SNAPSHOTS_PER_DEAL:
            days.append(day)
            day += SNAPSHOT_EVERY
        days = days or [opened]
        for day in days:
            rows.append(build_features(deal, activities.get(deal.id, ()), day, context, own_outcome_known=True))
            labels.append(int(deal.status == "won"))
    return rows, labels


def enough_history(labels: Sequence[int], deals: int) -> bool:
    return deals >= MIN_CLOSED_DEALS and min(sum(labels), len(labels) - sum(labels)) > 0 and \
        min(sum(labels), len(labels) - sum(labels)) >= MIN_PER_CLASS


def train(
    rows: Sequence[Mapping[str, float | str]], labels: Sequence[int], version: str, deals: int,
    *, products: Sequence[str] | None = None,
) -> HealthModel:
    calibrated = CalibratedClassifierCV(_estimator(products), method="sigmoid", cv=5)
    frame = pd.DataFrame(list(rows), columns=[*NUMERIC, *CATEGORICAL])
    calibrated.fit(frame, np.asarray(labels))
    return HealthModel(calibrated, version, deals)
