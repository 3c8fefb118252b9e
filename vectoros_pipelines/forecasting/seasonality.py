"""Where in the fiscal quarter a day falls, and how bookings vary with it.

B2B bookings pile up towards the end of each quarter (reps chase quota, buyers
spend budget before it lapses). We estimate each workspace's own month-of-quarter
profile from its booking history, shrunk towards a mild hockey-stick prior that
carries weight only while the workspace has seen little of its own quarters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Shares of a quarter's bookings in its first/second/third month (commonly quoted
# 28 / 33 / 38 %), as factors around 1. Worth `PRIOR_MONTHS` months of evidence.
HOCKEY_STICK_PRIOR = (0.85, 1.0, 1.15)
PRIOR_MONTHS = 1.0


def month_of_quarter(days: pd.DatetimeIndex, fiscal_start_month: int = 1) -> np.ndarray:
    return np.asarray(((days.month - fiscal_start_month) % 12) % 3)


@dataclass(frozen=True)
class QuarterProfile:
    factors: tuple[float, float, float]  # mean daily bookings in month 1/2/3 of a quarter, relative to 1
    fiscal_start_month: int = 1

    def of(self, days: pd.DatetimeIndex) -> np.ndarray:
        return np.asarray(self.factors)[month_of_quarter(days, self.fiscal_start_month)]

    def window_mean(self, start: pd.Timestamp, horizon_days: int) -> float:
        """Mean factor over the days (start, start + horizon]."""
        days = pd.date_range(start + pd.Timedelta(days=1), periods=horizon_days, freq="D")
        return float(self.of(days).mean())


def fit_quarter_profile(
    daily: pd.Series,
    prior: tuple[float, float, float] = HOCKEY_STICK_PRIOR,
    prior_months: float = PRIOR_MONTHS,
    fiscal_start_month: int = 1,
) -> QuarterProfile:
    """Month-of-quarter factors from a daily bookings series, normalised to mean 1 over the observed days."""
    if daily.empty or daily.sum() <= 0:
        return QuarterProfile(prior, fiscal_start_month)
    position = month_of_quarter(pd.DatetimeIndex(daily.index), fiscal_start_month)
    overall = float(daily.mean())
    factors = []
    for j in range(3):
        values = daily.to_numpy()[position == j]
        months_seen = len(values) / 30.0
        observed = float(values.mean()) / overall if len(values) else prior[j]
        factors.append((prior_months * prior[j] + months_seen * observed) / (prior_months + months_seen))
    arr = np.asarray(factors)
    # Normalise over the observed days so deseasonalised history keeps its total.
    arr = arr / float(arr[position].mean())
    return QuarterProfile((float(arr[0]), float(arr[1]), float(arr[2])), fiscal_start_month)
