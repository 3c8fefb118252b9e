"""Likely / best / worst bookings over a horizon, as of any day, with the two baselines.

The likely case blends the bookings time series with the pipeline Monte Carlo.
Their weights come from how each did at earlier origins whose outcome was
already known on the as-of day (inverse mean squared error); the interval from
the spread of the blend's own past errors, never narrower than the models say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist

import numpy as np
import pandas as pd

from vectoros_pipelines.forecasting.bookings import forecast_bookings
from vectoros_pipelines.forecasting.history import AsOfView, view_as_of
from vectoros_pipelines.forecasting.pipeline import forecast_pipeline
from vectoros_pipelines.forecasting.seasonality import QuarterProfile, fit_quarter_profile

MODEL_VERSION = "forecast-blend-v1"
INTERVAL = 0.90  # best / worst are the 95th / 5th percentiles
PRIOR_SERIES_WEIGHT = 0.7  # until past origins say otherwise, trust the bookings series more than the pipeline
PRIOR_EVIDENCE = 2.0  # the prior weight counts as two past origins
WEIGHT_ORIGIN_STEP_DAYS = 15
MAX_WEIGHT_ORIGINS = 12


@dataclass(frozen=True)
class Forecast:
    as_of: date
    horizon_days: int
    likely: float
    best: float
    worst: float
    confidence: float
    series_component: float
    pipeline_component: float | None
    baseline_run_rate: float
    baseline_weighted_pipeline: float
    drivers: dict[str, object] = field(default_factory=dict)
    model_version: str = MODEL_VERSION


@dataclass(frozen=True)
class _Components:
    series: float
    series_sigma: float
    pipeline: float | None
    pipeline_p05: float | None
    pipeline_p95: float | None
    run_rate: float
    weighted_pipeline: float
    profile: QuarterProfile
    open_deals: int
    snapshots: int
    deal_probabilities: dict[int, float]


def forecast(frame: pd.DataFrame, as_of: date | pd.Timestamp, horizon_days: int = 30) -> Forecast:
    """The forecast for (as_of, as_of + horizon], from `frame` (see history.deals_frame) as known on as_of."""
    day = pd.Timestamp(as_of).normalize()
    view = view_as_of(frame, day)
    now = _components(view, horizon_days)
    past = _past_errors(frame, day, horizon_days)

    w_series = _series_weight(past) if now.pipeline is not None else 1.0
    pipeline = now.pipeline if now.pipeline is not None else now.series
    likely = w_series * now.series + (1 - w_series) * pipeline

    sigma = _interval_sigma(now, past, w_series, likely)
    z = NormalDist().inv_cdf(0.5 + INTERVAL / 2)
    worst = likely * float(np.exp(-z * sigma))
    best = likely * float(np.exp(z * sigma))
    confidence = float(np.clip(1.0 - np.sqrt(2 / np.pi) * sigma, 0.0, 1.0))  # ≈ 1 − expected relative error
    drivers: dict[str, object] = {
        "series_weight": round(w_series, 3),
        "quarter_profile": [round(f, 3) for f in now.profile.factors],
        "open_deals": now.open_deals,
        "pipeline_snapshots": now.snapshots,
        "past_origins_scored": len(past),
        "pipeline_p05": now.pipeline_p05,
        "pipeline_p95": now.pipeline_p95,
        "sigma_log": round(sigma, 4),
    }
    return Forecast(
        as_of=day.date(), horizon_days=horizon_days, likely=float(likely), best=best, worst=worst,
        confidence=confidence, series_component=now.series, pipeline_component=now.pipeline,
        baseline_run_rate=now.run_rate, baseline_weighted_pipeline=now.weighted_pipeline, drivers=drivers,
    )


def deal_close_probabilities(frame: pd.DataFrame, as_of: date | pd.Timestamp, horizon_days: int) -> dict[int, float]:
    """Per open deal: the probability it is won within the horizon (the pipeline model's, as of `as_of`)."""
    return _components(view_as_of(frame, pd.Timestamp(as_of).normalize()), horizon_days).deal_probabilities


def actual_bookings(frame: pd.DataFrame, origin: date | pd.Timestamp, horizon_days: int) -> float:
    """Won amount closed in (origin, origin + horizon] — the thing a forecast is scored against."""
    start = pd.Timestamp(origin).normalize()
    won = frame[(frame["status"] == "won") & (frame["closed"] > start)
                & (frame["closed"] <= start + pd.Timedelta(days=horizon_days))]
    return float(won["value"].sum())


def _components(view: AsOfView, horizon_days: int) -> _Components:
    daily = view.daily_won()
    profile = fit_quarter_profile(daily)
    series = forecast_bookings(daily, profile, view.as_of, horizon_days)
    pipe = forecast_pipeline(view, profile, horizon_days)
    return _Components(
        series=series.expected,
        series_sigma=series.sigma_log,
        pipeline=pipe.expected if pipe else None,
        pipeline_p05=pipe.p05 if pipe else None,
        pipeline_p95=pipe.p95 if pipe else None,
        run_rate=run_rate_baseline(view, horizon_days),
        weighted_pipeline=weighted_pipeline_baseline(view, horizon_days),
        profile=profile,
        open_deals=len(view.open),
        snapshots=pipe.snapshots if pipe else 0,
        deal_probabilities=pipe.deal_probabilities if pipe else {},
    )


def run_rate_baseline(view: AsOfView, horizon_days: int) -> float:
    """Won in the last `horizon_days`, expected again."""
    won = view.won
    return float(won[won["closed"] > view.as_of - pd.Timedelta(days=horizon_days)]["value"].sum())


def weighted_pipeline_baseline(view: AsOfView, horizon_days: int) -> float:
    """What CRMs show: open pipeline × historical win rate, spread over the mean sales cycle."""
    closed = view.closed
    if closed.empty:
        return 0.0
    win_rate = float((closed["status"] == "won").mean())
    cycle_days = float((closed["closed"] - closed["opened"]).dt.days.clip(lower=1).mean())
    share_in_window = min(1.0, horizon_days / cycle_days) if cycle_days > 0 else 1.0
    return float(view.open["stake"].sum()) * win_rate * share_in_window


@dataclass(frozen=True)
class _PastError:
    series: float  # log(forecast / actual)
    pipeline: float | None
    blend_ratio: float | None  # actual / prior-weighted blend


def _past_errors(frame: pd.DataFrame, as_of: pd.Timestamp, horizon_days: int) -> list[_PastError]:
    """Component errors at earlier origins whose whole window ended by as_of — all known on as_of."""
    known = view_as_of(frame, as_of).deals  # already censored at as_of
    known_frame = known.drop(columns=["stake"]).assign(value=known["value"])
    errors: list[_PastError] = []
    origin = as_of - pd.Timedelta(days=horizon_days)
    while len(errors) < MAX_WEIGHT_ORIGINS:
        view = view_as_of(known_frame, origin)
        if view.first_close is None or (origin - view.first_close).days < horizon_days:
            break
        actual = actual_bookings(known_frame, origin, horizon_days)
        if actual > 0:
            c = _components(view, horizon_days)
            blend = PRIOR_SERIES_WEIGHT * c.series + (1 - PRIOR_SERIES_WEIGHT) * (c.pipeline or c.series)
            errors.append(_PastError(
                series=float(np.log(max(c.series, 1.0) / actual)),
                pipeline=float(np.log(max(c.pipeline, 1.0) / actual)) if c.pipeline is not None else None,
                blend_ratio=float(np.log(actual / max(blend, 1.0))),
            ))
        origin -= pd.Timedelta(days=WEIGHT_ORIGIN_STEP_DAYS)
    return errors


def _series_weight(past: list[_PastError]) -> float:
    scored = [e for e in past if e.pipeline is not None]
    if not scored:
        return PRIOR_SERIES_WEIGHT
    mse_s = float(np.mean([e.series**2 for e in scored]))
    mse_p = float(np.mean([e.pipeline**2 for e in scored if e.pipeline is not None]))
    raw = (1 / max(mse_s, 1e-6)) / (1 / max(mse_s, 1e-6) + 1 / max(mse_p, 1e-6))
    n = len(scored)
    return float((PRIOR_EVIDENCE * PRIOR_SERIES_WEIGHT + n * raw) / (PRIOR_EVIDENCE + n))


def _interval_sigma(now: _Components, past: list[_PastError], w_series: float, likely: float) -> float:
    model_sigma = now.series_sigma
    if now.pipeline is not None and now.pipeline_p05 and now.pipeline_p95 and likely > 0:
        pipe_sigma = float(np.log(now.pipeline_p95 / max(now.pipeline_p05, 1.0)) / (2 * 1.645))
        model_sigma = float(np.hypot(w_series * now.series_sigma, (1 - w_series) * pipe_sigma))
    ratios = [e.blend_ratio for e in past if e.blend_ratio is not None]
    if len(ratios) < 3:
        return model_sigma
    empirical = float(np.sqrt(np.mean(np.square(ratios))))
    # Few past origins understate the spread; shrink towards the larger of the two.
    return max(model_sigma, empirical * np.sqrt(len(ratios) / max(len(ratios) - 1, 1)))
