from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from tests.intelligence.helpers import MAVEN, make_workspace, write_csv
from vectoros_pipelines.crm.importer import import_crm
from vectoros_pipelines.crm.parse import parse_many
from vectoros_pipelines.storage.schema import deal_changes, deals

GOOD = [
    "006A1,Acme renewal,Acme Inc,12000,USD,Negotiation/Review,2024-01-05,2024-03-31,Ann Lee,Platform",
    "006A2,Globex pilot,Globex,5000,USD,Closed Won,2024-01-10,2024-02-20,Bo Chan,Pilot",
    "006A3,Initech,Initech,,USD,Prospecting,2024-02-01,,Ann Lee,",
]


def _count(engine: Engine, ws: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(deals).where(deals.c.workspace_id == ws)).scalar_one())


def test_bad_row_is_reported_with_file_line_and_reason_and_nothing_is_written(engine: Engine, tmp_path: Path) -> None:
    ws = make_workspace(engine, "acme")
    path = write_csv(tmp_path / "opps.csv", [*GOOD[:2], "006A3,Initech,Initech,lots,USD,Prospecting,2024-02-01,,Ann,"])
    report = import_crm(engine, ws, [path], "salesforce")
    assert not report.ok
    assert [(e.file, e.line) for e in report.errors] == [("opps.csv", 4)]
    assert "amount 'lots' is not a number" in report.errors[0].reason
    assert _count(engine, ws) == 0


def test_failed_reimport_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    ws = make_workspace(engine, "acme")
    assert import_crm(engine, ws, [write_csv(tmp_path / "a.csv", GOOD)]).created == 3
    changed = GOOD[0].replace("12000", "99000")
    broken = write_csv(tmp_path / "b.csv", [changed, "006A9,X,X,1,USD,Closed Won,2024-03-01,2024-02-01,A,"])
    report = import_crm(engine, ws, [broken])
    assert report.errors and "before created date" in report.errors[0].reason
    with engine.connect() as conn:
        value = conn.execute(select(deals.c.value).where(deals.c.external_id == "006A1")).scalar_one()
    assert value == 12000 and _count(engine, ws) == 3


def test_reimport_updates_in_place_and_never_duplicates(engine: Engine, tmp_path: Path) -> None:
    ws = make_workspace(engine, "acme")
    path = write_csv(tmp_path / "opps.csv", GOOD)
    first = import_crm(engine, ws, [path])
    again = import_crm(engine, ws, [path])
    assert (first.created, again.created, again.updated, again.unchanged) == (3, 0, 0, 3)
    write_csv(path, [GOOD[0].replace("2024-03-31", "2024-04-30"), *GOOD[1:]])
    moved = import_crm(engine, ws, [path])
    assert (moved.created, moved.updated, moved.unchanged) == (0, 1, 2)
    assert _count(engine, ws) == 3
    with engine.connect() as conn:
        row = conn.execute(select(deals).where(deals.c.external_id == "006A1")).one()
        history = conn.execute(select(deal_changes.c.field).where(deal_changes.c.deal_id == row.id)).scalars().all()
    assert (row.status, row.stage, row.source, str(row.close_date)) == ("open", "negotiation", "crm", "2024-04-30")
    assert history == ["close_date"]  # a later close date is a slip the health model and insights can see


def test_dry_run_reports_counts_without_writing(engine: Engine, tmp_path: Path) -> None:
    ws = make_workspace(engine, "acme")
    path = write_csv(tmp_path / "opps.csv", GOOD)
    dry = import_crm(engine, ws, [path], dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged, dry.written) == (3, 0, 0, False)
    assert _count(engine, ws) == 0
    import_crm(engine, ws, [path])
    write_csv(path, [GOOD[0].replace("12000", "13000"), *GOOD[1:]])
    dry = import_crm(engine, ws, [path], dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged) == (0, 1, 2)
    with engine.connect() as conn:
        assert conn.execute(select(deals.c.value).where(deals.c.external_id == "006A1")).scalar_one() == 12000


def test_hubspot_export_is_detected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hs.csv", ["101,Big deal,Hooli,2500,EUR,closedwon,01/02/2024,03/04/2024,me@x.io"],
                     header="Record ID,Deal Name,Associated Company,Amount,Currency,Deal Stage,Create Date,Close Date,Deal owner\n")
    parsed = parse_many([path])
    assert parsed.mapping == "hubspot" and not parsed.errors
    deal = parsed.deals[0]
    assert (deal.status, deal.stage, deal.value, str(deal.close_date)) == ("won", "closed_won", 2500.0, "2024-03-04")


def test_maven_four_files_join_with_list_price_for_open_deals() -> None:
    parsed = parse_many([MAVEN], "maven")
    assert (len(parsed.deals), parsed.errors) == (8800, [])
    by_id = {d.external_id: d for d in parsed.deals}
    assert by_id["1C1I7A6R"].value == 1054 and by_id["1C1I7A6R"].status == "won"
    open_deal = next(d for d in parsed.deals if d.status == "open" and d.product == "GTX Pro")
    assert open_deal.value == 4821  # list price from products.csv ("GTXPro" in the pipeline)
