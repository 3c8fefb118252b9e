"""`import-crm`, `forecast` and `backtest`: CRM opportunities in, forecasts and their track record out."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from vectoros_pipelines.cli.common import console, fail, load_workspace
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.workspaces import WorkspaceError

# pandas, scikit-learn and statsmodels load inside the commands: `vectoros --help` and every
# other command would otherwise pay ~1 s for them at start-up.

app = typer.Typer(help="CRM import, revenue forecasts and backtests.", no_args_is_help=True)


class Mapping(StrEnum):
    auto = "auto"
    salesforce = "salesforce"
    hubspot = "hubspot"
    maven = "maven"


def _day(text: str | None, label: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{label} {text!r} is not a date (use YYYY-MM-DD)") from None


def _every(text: str) -> int:
    match = re.fullmatch(r"(\d+)\s*d?", text.strip())
    if not match or int(match.group(1)) <= 0:
        raise fail(f"--every {text!r}: use a number of days such as 15d")
    return int(match.group(1))


def _workspace_id(slug: str) -> int:
    try:
        return load_workspace(slug).id
    except WorkspaceError as exc:
        raise fail(str(exc)) from None


@app.command("import-crm")
def import_crm_command(
    paths: list[Path] = typer.Argument(..., help="Opportunity CSV exports, or Maven's folder / four CSVs."),
    workspace: str = typer.Option(..., "--workspace", "-w"),
    mapping: Mapping = typer.Option(Mapping.auto, "--mapping", help="Column names of which CRM (auto detects)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change; write nothing."),
) -> None:
    """Import CRM opportunities as deals: all rows or none; re-importing updates, never duplicates."""
    from vectoros_pipelines.crm.importer import import_crm
    from vectoros_pipelines.crm.parse import CrmFileError

    ws_id = _workspace_id(workspace)
    for p in paths:
        if not p.exists():
            raise fail(f"no such file or folder: {p}")
    try:
        report = import_crm(get_engine(), ws_id, paths, mapping.value, dry_run)
    except CrmFileError as exc:
        raise fail(str(exc)) from None
    if report.errors:
        for error in report.errors[:50]:
            console.print(f"[red]bad row[/] {error}")
        more = len(report.errors) - 50
        raise fail(f"{len(report.errors)} bad row(s){f' ({more} not shown)' if more > 0 else ''}; nothing was imported")
    verb = "would be" if dry_run else "were"
    console.print(f"{report.rows} opportunities ({report.mapping}): {report.created} {verb} created, "
                  f"{report.updated} {verb} updated, {report.unchanged} unchanged"
                  + (" — dry run, nothing written" if dry_run else ""))


@app.command("forecast")
def forecast_command(
    workspace: str = typer.Option(..., "--workspace", "-w"),
    as_of: str | None = typer.Option(None, "--as-of", help="Forecast as it would have been made on this day."),
    horizon: int = typer.Option(30, "--horizon", min=1, max=366),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Likely / best / worst bookings over the horizon, using only what was known on the as-of day."""
    from vectoros_pipelines.forecasting.forecast import forecast as make_forecast
    from vectoros_pipelines.storage.intelligence import forecast_frame

    ws_id = _workspace_id(workspace)
    day = _day(as_of, "--as-of") or datetime.now(UTC).date()
    with get_engine().connect() as conn:
        frame = forecast_frame(conn, ws_id)
    f = make_forecast(frame, day, horizon)
    payload = {
        "workspace": workspace, "as_of": f.as_of.isoformat(), "horizon_days": f.horizon_days, "likely": f.likely,
        "best": f.best, "worst": f.worst, "confidence": f.confidence, "series_component": f.series_component,
        "pipeline_component": f.pipeline_component, "baseline_run_rate": f.baseline_run_rate,
        "baseline_weighted_pipeline": f.baseline_weighted_pipeline, "drivers": f.drivers,
        "model_version": f.model_version,
    }
    if as_json:
        typer.echo(json.dumps(payload, default=str))
        return
    console.print(f"{workspace}: bookings {f.as_of} → +{horizon} days: likely [bold]{f.likely:,.0f}[/] "
                  f"(worst {f.worst:,.0f}, best {f.best:,.0f}; confidence {f.confidence:.0%})")
    console.print(f"  baselines: run rate {f.baseline_run_rate:,.0f}, weighted pipeline {f.baseline_weighted_pipeline:,.0f}")


@app.command("backtest")
def backtest_command(
    workspace: str = typer.Option(..., "--workspace", "-w"),
    horizon: int = typer.Option(30, "--horizon", min=1, max=366),
    start: str = typer.Option(..., "--from"),
    end: str = typer.Option(..., "--to"),
    every: str = typer.Option("15d", "--every"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Forecasts at each origin, each made only with what was known then, against what was booked."""
    from vectoros_pipelines.forecasting.backtest import backtest as run_backtest
    from vectoros_pipelines.forecasting.backtest import origins_between
    from vectoros_pipelines.storage.intelligence import forecast_frame

    ws_id = _workspace_id(workspace)
    first, last = _day(start, "--from"), _day(end, "--to")
    assert first is not None and last is not None
    origins = origins_between(first, last, _every(every))
    if not origins:
        raise fail("--from is after --to: no origins")
    with get_engine().connect() as conn:
        frame = forecast_frame(conn, ws_id)
    summary = run_backtest(frame, origins, horizon)
    if as_json:
        typer.echo(json.dumps({"workspace": workspace, "horizon_days": horizon, **summary.as_dict()}, default=str))
        return
    table = Table("origin", "forecast", "worst–best", "actual", "accuracy", "run rate", "acc", "weighted pipe", "acc",
                  title=f"{workspace}: {horizon}-day bookings backtest")
    for r in summary.rows:
        table.add_row(r.origin.isoformat(), f"{r.forecast.likely:,.0f}",
                      f"{r.forecast.worst:,.0f}–{r.forecast.best:,.0f}{'' if r.covered else ' ✗'}",
                      f"{r.actual:,.0f}", f"{r.accuracy:.2f}", f"{r.forecast.baseline_run_rate:,.0f}",
                      f"{r.run_rate_accuracy:.2f}", f"{r.forecast.baseline_weighted_pipeline:,.0f}",
                      f"{r.weighted_pipeline_accuracy:.2f}")
    console.print(table)
    d = summary.as_dict()
    console.print(
        f"mean accuracy {d['mean_accuracy']:.3f} (min {d['min_accuracy']:.3f}); run rate {d['run_rate_mean_accuracy']:.3f}; "
        f"weighted pipeline {d['weighted_pipeline_mean_accuracy']:.3f}\n"
        f"MAE {d['mae']:,.0f} = {d['mae_ratio_vs_run_rate']:.2f} × run rate's {d['run_rate_mae']:,.0f}; "
        f"interval holds the actual at {d['coverage']:.0%} of origins"
    )
