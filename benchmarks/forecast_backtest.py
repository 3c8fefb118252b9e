"""30-day bookings backtest on Maven, end to end: CRM import into a scratch warehouse, then 17 as-of forecasts.

    python benchmarks/forecast_backtest.py [--json]

Targets (issue 4): mean accuracy ≥ 0.85, no origin below 0.60, MAE ≤ 0.8 × the
run-rate baseline's, best–worst interval holding the actual at ≥ 80 % of origins.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from vectoros_pipelines.crm.importer import import_crm
from vectoros_pipelines.forecasting.backtest import BacktestSummary, backtest, origins_between
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.intelligence import forecast_frame
from vectoros_pipelines.storage.schema import workspaces

MAVEN = Path(__file__).resolve().parents[2] / "shared" / "data" / "crm" / "maven"
ORIGINS = origins_between(date(2017, 4, 1), date(2017, 11, 27), 15)


def run(maven: Path = MAVEN) -> BacktestSummary:
    with tempfile.TemporaryDirectory() as tmp:
        engine = get_engine(f"sqlite:///{tmp}/bench.db")
        with engine.begin() as conn:
            key = conn.execute(workspaces.insert().values(slug="maven", name="Maven", domains=["maventech.example"])
                               ).inserted_primary_key
            assert key is not None
            ws = int(key[0])
        report = import_crm(engine, ws, [maven], "maven")
        assert report.ok, report.errors[:3]
        with engine.connect() as conn:
            frame = forecast_frame(conn, ws)
        engine.dispose()
    return backtest(frame, ORIGINS, 30)


def main() -> None:
    started = time.perf_counter()
    summary = run()
    d = summary.as_dict()
    if "--json" in sys.argv:
        print(json.dumps(d, indent=2, default=str))
        return
    origins: list[dict[str, Any]] = d["origins"]  # type: ignore[assignment]
    print(f"{'origin':<11}{'forecast':>11}{'worst':>11}{'best':>11}{'actual':>11}{'acc':>7}{'in':>4}"
          f"{'run rate':>11}{'acc':>7}{'wpipe':>11}{'acc':>7}")
    for o in origins:
        print(f"{o['origin']:<11}{o['forecast']:>11,.0f}{o['worst']:>11,.0f}{o['best']:>11,.0f}{o['actual']:>11,.0f}"
              f"{o['accuracy']:>7.3f}{'  y' if o['covered'] else '  n':>4}{o['run_rate']:>11,.0f}"
              f"{o['run_rate_accuracy']:>7.3f}{o['weighted_pipeline']:>11,.0f}{o['weighted_pipeline_accuracy']:>7.2f}")
    print(f"\nmean accuracy {summary.mean_accuracy:.3f} (target ≥ 0.85), min {summary.min_accuracy:.3f} (≥ 0.60)")
    print(f"MAE {summary.mae:,.0f} vs run rate {summary.run_rate_mae:,.0f}: ratio {summary.mae_ratio:.3f} (≤ 0.8); "
          f"weighted pipeline MAE {summary.weighted_pipeline_mae:,.0f}")
    print(f"interval coverage {summary.coverage:.0%} (≥ 80%)")
    print(f"run rate mean accuracy {d['run_rate_mean_accuracy']:.3f}; weighted pipeline {d['weighted_pipeline_mean_accuracy']:.3f}")
    print(f"({time.perf_counter() - started:.1f}s including import)")


if __name__ == "__main__":
    main()
