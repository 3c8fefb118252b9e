"""`vectoros deals …`: look at a deal's trail, and fix what matching got wrong (merge, un-merge)."""

from __future__ import annotations

import typer
from rich.table import Table
from sqlalchemy import select

from vectoros_pipelines.cli.common import console, fail, load_workspace, user_errors
from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.deal_writes import DealNotFound
from vectoros_pipelines.storage.schema import (
    activities,
    captured_calendar_events,
    captured_emails,
    deal_changes,
    deals,
)

app = typer.Typer(help="Inspect deals and correct merges.", no_args_is_help=True)


def _actor() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


@app.command("unmerge")
def unmerge(deal_id: int = typer.Argument(..., help="The deal that was merged away."),
            workspace_key: str = typer.Option(..., "--workspace", "-w")) -> None:
    """Undo a merge: the deal's own messages go back to it, and the pair is never auto-merged again."""
    from vectoros_pipelines.matching.service import unmerge_deal  # scikit-learn et al.: only when used

    with user_errors():
        ws = load_workspace(workspace_key)
    try:
        winner = unmerge_deal(get_engine(), ws.id, deal_id, actor=_actor())
    except (DealNotFound, ValueError) as exc:
        raise fail(str(exc)) from None
    console.print(f"deal {deal_id} is separate from deal {winner} again")


@app.command("merge")
def merge(winner_id: int = typer.Argument(..., help="The deal to keep."),
          loser_id: int = typer.Argument(..., help="The deal to merge into it."),
          workspace_key: str = typer.Option(..., "--workspace", "-w")) -> None:
    """Merge deal B into deal A (undo with `vectoros deals unmerge B`)."""
    from vectoros_pipelines.matching.service import merge_deals  # scikit-learn et al.: only when used

    with user_errors():
        ws = load_workspace(workspace_key)
    try:
        merge_deals(get_engine(), ws.id, winner_id, loser_id, actor=_actor())
    except (DealNotFound, ValueError) as exc:
        raise fail(str(exc)) from None
    console.print(f"deal {loser_id} merged into deal {winner_id}")


@app.command("show")
def show(deal_id: int = typer.Argument(...), workspace_key: str = typer.Option(..., "--workspace", "-w")) -> None:
    """A deal's fields, its activities, and every change with the message that caused it."""
    with user_errors():
        ws = load_workspace(workspace_key)
    with get_engine().connect() as conn:
        deal = conn.execute(select(deals).where(deals.c.workspace_id == ws.id, deals.c.id == deal_id)).first()
        if deal is None:
            raise fail(f"no deal {deal_id} in workspace {ws.slug!r}")
        fields = Table("field", "value", title=f"deal {deal_id}: {deal.name or ''}")
        for name in ("company", "domain", "value", "currency", "stage", "status", "contact_name", "contact_email",
                     "product", "close_date", "last_activity_at", "confidence", "merged_into", "corrections"):
            fields.add_row(name, str(getattr(deal, name)))
        console.print(fields)
        trail = Table("when", "kind", "summary", "message / event", title="activities")
        rows = conn.execute(
            select(activities.c.occurred_at, activities.c.kind, activities.c.summary, captured_emails.c.message_key,
                   captured_calendar_events.c.uid)
            .select_from(activities.outerjoin(captured_emails, captured_emails.c.id == activities.c.email_id)
                         .outerjoin(captured_calendar_events,
                                    captured_calendar_events.c.id == activities.c.event_id))
            .where(activities.c.workspace_id == ws.id, activities.c.deal_id == deal_id)
            .order_by(activities.c.occurred_at))
        for row in rows:
            trail.add_row(f"{row.occurred_at:%Y-%m-%d %H:%M}", row.kind, (row.summary or "")[:60],
                          row.message_key or row.uid or "")
        console.print(trail)
        history = Table("when", "field", "old", "new", "caused by", "actor", title="changes")
        rows = conn.execute(
            select(deal_changes.c.changed_at, deal_changes.c.field, deal_changes.c.old_value,
                   deal_changes.c.new_value, deal_changes.c.actor, captured_emails.c.message_key,
                   captured_calendar_events.c.uid)
            .select_from(deal_changes.outerjoin(captured_emails, captured_emails.c.id == deal_changes.c.email_id)
                         .outerjoin(captured_calendar_events,
                                    captured_calendar_events.c.id == deal_changes.c.event_id))
            .where(deal_changes.c.workspace_id == ws.id, deal_changes.c.deal_id == deal_id)
            .order_by(deal_changes.c.id))
        for row in rows:
            history.add_row(f"{row.changed_at:%Y-%m-%d %H:%M}", row.field, str(row.old_value), str(row.new_value),
                            row.message_key or row.uid or "", row.actor)
        console.print(history)
