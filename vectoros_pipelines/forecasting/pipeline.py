"""Bookings expected from the pipeline: per-deal close probabilities and timing, then Monte Carlo.

Probabilities are learned from the view's own past: at earlier snapshot days S
(whose whole window (S, S+h] is already known), what share of the amount at
stake of deals open at S — by age band — was won within the window, and how much
was won from deals opened after S per unit of recent inflow. Shares are divided by
the quarter factor of their window, so a snapshot taken before a quarter-end push
is not mistaken for the typical month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vectoros_pipelines.forecasting.history import AsOfView
from vectoros_pipelines.forecasting.seasonality import QuarterProfile

AGE_BANDS = (0, 30, 90, 100_000)  # days open: fresh, working, old
SNAPSHOT_EVERY_DAYS = 5
SHRINK_STAKE_UNITS = 5.0  # band rates are pulled towards the pooled rate until a band has seen ~5 deals' worth


@dataclass(frozen=True)
class PipelineForecast:
    expected: float
    from_open_deals: float
    from_new_deals: float
    p05: float
    p95: float
    deal_probabilities: dict[int, float]
    snapshots: int


def forecast_pipeline(
    view: AsOfView, profile: QuarterProfile, horizon_days: int, *, draws: int = 2000, seed: int = 7
) -> PipelineForecast | None:
    """None when the view holds no complete past window to learn from."""
    start = view.first_close
    if start is None:
        return None
    h = pd.Timedelta(days=horizon_days)
    snapshots = []
    day = view.as_of - h
    # A window must lie inside the booking record: before it, "no closes" means "not tracked".
    while day >= start - pd.Timedelta(days=1):
        snapshots.append(day)
        day -= pd.Timedelta(days=SNAPSHOT_EVERY_DAYS)
    if not snapshots:
        return None

    band_won = np.zeros(len(AGE_BANDS) - 1)
    band_stake = np.zeros(len(AGE_BANDS) - 1)
    new_rates = []
    d = view.deals
    won = d[d["status"] == "won"]
    unit = float(d["stake"].median() or 1.0)
    for snap in snapshots:
        factor = profile.window_mean(snap, horizon_days)
        open_then = view.open_at(snap)
        in_window = won[(won["closed"] > snap) & (won["closed"] <= snap + h)]
        bands = _band(snap - open_then["opened"])
        won_ids = set(in_window["id"])
        for b in range(len(band_won)):
            members = open_then[bands == b]
            band_stake[b] += members["stake"].sum() * factor
            band_won[b] += members.loc[members["id"].isin(won_ids), "stake"].sum()
        inflow = d[(d["opened"] > snap - h) & (d["opened"] <= snap)]["stake"].sum()
        fresh = in_window[in_window["opened"] > snap]["stake"].sum()
        if inflow > 0:
            new_rates.append(fresh / inflow / factor)

    pooled = band_won.sum() / band_stake.sum() if band_stake.sum() > 0 else 0.0
    weight = band_stake / (band_stake + SHRINK_STAKE_UNITS * unit)
    rates = weight * np.divide(band_won, band_stake, out=np.zeros_like(band_won), where=band_stake > 0)
    rates += (1 - weight) * pooled

    target = profile.window_mean(view.as_of, horizon_days)
    open_now = view.open
    bands_now = _band(view.as_of - open_now["opened"])
    probs = np.clip(rates[bands_now] * target, 0.0, 1.0)
    stakes = open_now["stake"].to_numpy(dtype=float)
    from_open = float((probs * stakes).sum())
    inflow_now = d[(d["opened"] > view.as_of - h) & (d["opened"] <= view.as_of)]["stake"].sum()
    new_rate = float(np.mean(new_rates)) if new_rates else 0.0
    from_new = new_rate * float(inflow_now) * target

    rng = np.random.default_rng(seed)
    wins = rng.random((draws, len(probs))) < probs
    open_draws = wins @ stakes
    # New-deal bookings vary like the snapshots' new-deal rates did.
    spread = float(np.std(new_rates) / new_rate) if new_rate > 0 and len(new_rates) > 1 else 0.5
    new_draws = from_new * rng.lognormal(-0.5 * spread**2, spread, draws) if from_new > 0 else np.zeros(draws)
    totals = open_draws + new_draws
    return PipelineForecast(
        expected=from_open + from_new,
        from_open_deals=from_open,
        from_new_deals=from_new,
        p05=float(np.percentile(totals, 5)),
        p95=float(np.percentile(totals, 95)),
        deal_probabilities={int(i): float(p) for i, p in zip(open_now["id"], probs, strict=True)},
        snapshots=len(snapshots),
    )


def _band(age: pd.Series) -> np.ndarray:
    days = age.dt.days.to_numpy()
    return np.clip(np.searchsorted(AGE_BANDS, days, side="right") - 1, 0, len(AGE_BANDS) - 2)
