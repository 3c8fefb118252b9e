"""`vectoros eval scenario DIR`: how well the pipeline does on a labelled mailbox."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.table import Table

from vectoros_pipelines.cli.common import console, fail, user_errors
from vectoros_pipelines.evaluation.scenario_run import ScenarioRun, evaluate_scenario

app = typer.Typer(help="Score the pipeline on labelled scenarios.", no_args_is_help=True)


@app.callback()
def evaluate() -> None:
    """Score the pipeline on labelled scenarios (keeps `scenario` a sub-command as more evaluations arrive)."""


def _table(run: ScenarioRun) -> Table:
    s = run.score
    table = Table("score", "value", "detail", title=f"scenario {run.scenario} ({run.seconds:.0f} s)")
    for name, prf in (("message capture F1", s.message_capture), ("event capture F1", s.event_capture),
                      ("matching pairwise F1", s.matching)):
        table.add_row(name, f"{prf.f1:.3f}", f"P {prf.precision:.3f}  R {prf.recall:.3f}  "
                                              f"(tp {prf.tp}, fp {prf.fp}, fn {prf.fn})")
    table.add_row("duplicate deals", str(s.duplicate_deals), f"{s.created_deals} created for {s.true_deals} true")
    for name, share in s.fields.items():
        table.add_row(f"field {name}", f"{share:.3f}", "")
    return table


@app.command("scenario")
def scenario(
    folder: Path = typer.Argument(..., exists=True, file_okay=False, help="A scenario folder (workspace.json, mailbox/, calendar.ics, truth.json)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    show_misses: bool = typer.Option(False, "--misses", help="List every wrong deal field."),
) -> None:
    """Import a scenario into a temporary workspace, run the pipeline as of its date, and score the deals."""
    with user_errors():
        run = evaluate_scenario(folder)
    if as_json:
        typer.echo(json.dumps(asdict(run), indent=2, default=str))
    else:
        console.print(_table(run))
        if show_misses:
            misses = Table("deal", "field", "expected", "got")
            for miss in run.score.misses:
                misses.add_row(miss.deal, miss.field, str(miss.expected), str(miss.got))
            console.print(misses)
        for failure in run.failures:
            console.print(f"[red]failed step[/] {failure}")
    if run.failures:
        raise fail("the pipeline run had failures; scores cover what completed")
