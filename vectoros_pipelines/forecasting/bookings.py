"""A statsmodels model of past bookings, so that deals not yet in the pipeline are counted.

Daily won revenue is deseasonalised with the quarter profile, summed by week
(weeks end on the as-of day, so the last week is complete), and an exponential
smoothing model of the weekly level is fitted; the forecast re-applies the
profile to the horizon's days.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vectoros_pipelines.forecasting.seasonality import QuarterProfile

MIN_WEEKS_FOR_ETS = 8


@dataclass(frozen=True)
class BookingsForecast:
    expected: float
    weekly_level: float
    sigma_log: float  # spread of a horizon total, as a log-normal sigma
    weeks: int
    method: str


def forecast_bookings(daily: pd.Series, profile: QuarterProfile, as_of: pd.Timestamp, horizon_days: int) -> BookingsForecast:
    if daily.empty:
        return BookingsForecast(0.0, 0.0, 1.0, 0, "none")
    deseasonalised = daily / profile.of(pd.DatetimeIndex(daily.index))
    weekly = _weekly_totals(deseasonalised, as_of)
    weeks = len(weekly)
    if weeks >= MIN_WEEKS_FOR_ETS:
        level, resid_sd, method = _ets_level(weekly)
    else:
        level = float(weekly.mean()) if weeks else float(deseasonalised.sum()) * 7 / max(len(daily), 1)
        resid_sd = float(weekly.std(ddof=1)) if weeks > 1 else level * 0.5
        method = "mean"
    daily_level = level / 7.0
    future = pd.date_range(as_of + pd.Timedelta(days=1), periods=horizon_days, freq="D")
    expected = max(daily_level * float(profile.of(future).sum()), 0.0)
    # Weekly noise adds over the horizon's weeks; the level's own uncertainty does not shrink with it.
    horizon_weeks = horizon_days / 7.0
    level_se = resid_sd / np.sqrt(max(weeks, 1))
    total_sd = np.sqrt(horizon_weeks * resid_sd**2 + (horizon_weeks * level_se) ** 2)
    sigma = float(np.sqrt(np.log1p((total_sd / expected) ** 2))) if expected > 0 else 1.0
    return BookingsForecast(expected, level, sigma, weeks, method)


def _weekly_totals(series: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    days_back = (as_of - pd.DatetimeIndex(series.index)).days
    week = days_back // 7
    totals = series.groupby(np.asarray(week)).sum()
    counts = series.groupby(np.asarray(week)).size()
    totals = totals[counts == 7]  # drop the partial oldest week
    return totals.sort_index(ascending=False)  # oldest first


def _ets_level(weekly: pd.Series) -> tuple[float, float, str]:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    values = weekly.to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(values, trend=None, seasonal=None, initialization_method="estimated").fit()
    level = float(fit.forecast(1)[0])
    resid_sd = float(np.std(fit.resid, ddof=1))
    return level, resid_sd, "ets"
