"""Forecasts at a series of past origins, scored against what was then booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from vectoros_pipelines.forecasting.forecast import Forecast, actual_bookings, forecast


def accuracy(predicted: float, actual: float) -> float:
    """1 − |forecast − actual| / actual (can go below zero); NaN when nothing was booked."""
    return float(1 - abs(predicted - actual) / actual) if actual > 0 else float("nan")


@dataclass(frozen=True)
class BacktestRow:
    origin: date
    forecast: Forecast
    actual: float

    @property
    def accuracy(self) -> float:
        return accuracy(self.forecast.likely, self.actual)

    @property
    def run_rate_accuracy(self) -> float:
        return accuracy(self.forecast.baseline_run_rate, self.actual)

    @property
    def weighted_pipeline_accuracy(self) -> float:
        return accuracy(self.forecast.baseline_weighted_pipeline, self.actual)

    @property
    def covered(self) -> bool:
        return self.forecast.worst <= self.actual <= self.forecast.best


@dataclass(frozen=True)
class BacktestSummary:
    rows: list[BacktestRow]

    @property
    def mean_accuracy(self) -> float:
        return float(np.nanmean([r.accuracy for r in self.rows]))

    @property
    def min_accuracy(self) -> float:
        return float(np.nanmin([r.accuracy for r in self.rows]))

    @property
    def mae(self) -> float:
        return float(np.mean([abs(r.forecast.likely - r.actual) for r in self.rows]))

    @property
    def run_rate_mae(self) -> float:
        return float(np.mean([abs(r.forecast.baseline_run_rate - r.actual) for r in self.rows]))

    @property
    def weighted_pipeline_mae(self) -> float:
        return float(np.mean([abs(r.forecast.baseline_weighted_pipeline - r.actual) for r in self.rows]))

    @property
    def mae_ratio(self) -> float:
        return self.mae / self.run_rate_mae if self.run_rate_mae else float("nan")

    @property
    def coverage(self) -> float:
        return float(np.mean([r.covered for r in self.rows]))

    def as_dict(self) -> dict[str, object]:
        return {
            "mean_accuracy": self.mean_accuracy, "min_accuracy": self.min_accuracy, "mae": self.mae,
            "run_rate_mae": self.run_rate_mae, "weighted_pipeline_mae": self.weighted_pipeline_mae,
            "mae_ratio_vs_run_rate": self.mae_ratio, "coverage": self.coverage,
            "run_rate_mean_accuracy": float(np.nanmean([r.run_rate_accuracy for r in self.rows])),
            "weighted_pipeline_mean_accuracy": float(np.nanmean([r.weighted_pipeline_accuracy for r in self.rows])),
            "origins": [
                {
                    "origin": r.origin.isoformat(), "forecast": r.forecast.likely, "worst": r.forecast.worst,
                    "best": r.forecast.best, "actual": r.actual, "accuracy": r.accuracy, "covered": r.covered,
                    "run_rate": r.forecast.baseline_run_rate, "run_rate_accuracy": r.run_rate_accuracy,
                    "weighted_pipeline": r.forecast.baseline_weighted_pipeline,
                    "weighted_pipeline_accuracy": r.weighted_pipeline_accuracy,
                }
                for r in self.rows
            ],
        }


def origins_between(start: date, end: date, every_days: int) -> list[date]:
    return [d.date() for d in pd.date_range(start, end, freq=f"{every_days}D")]


def backtest(frame: pd.DataFrame, origins: list[date], horizon_days: int = 30) -> BacktestSummary:
    rows = [
        BacktestRow(origin=o, forecast=forecast(frame, o, horizon_days), actual=actual_bookings(frame, o, horizon_days))
        for o in origins
    ]
    return BacktestSummary(rows)
