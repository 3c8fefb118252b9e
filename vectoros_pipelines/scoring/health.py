"""Scores a workspace's open deals: its own model when it has enough closed deals, else the shipped prior."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import joblib

from vectoros_pipelines.scoring.features import build_features, workspace_context
from vectoros_pipelines.scoring.model import HealthModel, HealthScore, enough_history, train, training_rows
from vectoros_pipelines.scoring.records import ActivityRecord, DealRecord

PRIOR_PATH = Path(__file__).parent / "models" / "prior.joblib"


@lru_cache(maxsize=1)
def load_prior() -> HealthModel:
    model: HealthModel = joblib.load(PRIOR_PATH)
    return model


def model_for(
    deals: Sequence[DealRecord], activities: Mapping[int, Sequence[ActivityRecord]], as_of: datetime,
) -> HealthModel:
    """The workspace's own calibrated model from deals closed by `as_of`, or the prior while it has too few."""
    closed = [d for d in deals if d.status != "open" and d.closed_on is not None and d.closed_on <= as_of]
    rows, labels = training_rows(closed, activities, deals, as_of)
    deal_labels = [int(d.status == "won") for d in closed]
    if not enough_history(deal_labels, len(closed)):
        return load_prior()
    return train(rows, labels, version=f"workspace-lr-{as_of:%Y%m%d}-n{len(closed)}", deals=len(closed))


def score_deals(
    model: HealthModel, deals: Sequence[DealRecord], targets: Sequence[DealRecord],
    activities: Mapping[int, Sequence[ActivityRecord]], as_of: datetime,
) -> list[HealthScore]:
    context = workspace_context(deals, as_of)
    rows = [build_features(d, activities.get(d.id, ()), as_of, context) for d in targets]
    if not rows:
        return []
    probabilities = model.predict(rows)
    drivers = model.drivers(rows)
    return [
        HealthScore(d.id, float(p), why, row)
        for d, p, why, row in zip(targets, probabilities, drivers, rows, strict=True)
    ]
