"""`vectoros import mail|calendar`: register a file source and load it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from vectoros_pipelines.capture.calendar_capture import import_calendar_source
from vectoros_pipelines.capture.mail_capture import import_mail_source
from vectoros_pipelines.capture.sources import CaptureReport
from vectoros_pipelines.cli.common import console, load_workspace, user_errors
from vectoros_pipelines.storage.db import get_engine

app = typer.Typer(help="Import mail, calendars and CRM exports from files.", no_args_is_help=True)


def _print_report(kind: str, report: CaptureReport) -> None:
    c = report.counts
    console.print(
        f"{kind}: {report.items} item(s) read in {report.seconds:.1f}s — {c.new} new, {c.updated} updated, "
        f"{c.unchanged} unchanged, {c.quarantined} quarantined, across {len(report.months)} month(s)"
    )
    for error in c.errors[:10]:
        console.print(f"  [yellow]quarantined[/] {error}")
    if c.quarantined > 10:
        console.print("  … and more: `vectoros status --workspace …` lists them all")


@app.command("mail")
def import_mail(
    path: Path = typer.Argument(..., help="A Maildir, an mbox file (e.g. Google Takeout) or a folder of RFC 822 files."),
    workspace: str = typer.Option(..., "--workspace", "-w"),
) -> None:
    """Register a mail source and capture every message in it (re-importing changes nothing)."""
    with user_errors():
        ws = load_workspace(workspace)
        with Progress(TextColumn("capturing mail"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task("mail", total=None)
            report = import_mail_source(get_engine(), ws, path, progress=lambda n: bar.advance(task, n))
    _print_report("mail", report)


@app.command("calendar")
def import_calendar(
    path: Path = typer.Argument(..., help="An .ics file or a folder of them."),
    workspace: str = typer.Option(..., "--workspace", "-w"),
) -> None:
    """Register a calendar source and capture every event in it (recurring series expanded)."""
    with user_errors():
        ws = load_workspace(workspace)
        report = import_calendar_source(get_engine(), ws, path)
    _print_report("calendar", report)
