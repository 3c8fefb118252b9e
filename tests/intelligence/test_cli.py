from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.intelligence.helpers import make_workspace, write_csv
from vectoros_pipelines.cli.intelligence import app

ROWS = [f"{i},D{i},Acme,{1000 + i},USD,Closed Won,2024-01-{1 + i % 20:02d},2024-02-{1 + i % 25:02d},a@x.io,P"
        for i in range(30)] + ["99,Open,Acme,500,USD,Proposal,2024-02-20,2024-04-01,a@x.io,P"]


def test_import_forecast_and_backtest_commands(engine: Engine, tmp_path: Path) -> None:
    make_workspace(engine, "acme")
    path = write_csv(tmp_path / "opps.csv", ROWS)
    runner = CliRunner()
    dry = runner.invoke(app, ["import-crm", "--workspace", "acme", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "31 would be created" in dry.output.replace("31 opportunities (salesforce): ", "")
    assert runner.invoke(app, ["import-crm", "--workspace", "acme", str(path)]).exit_code == 0

    bad = write_csv(tmp_path / "bad.csv", ["7,X,Acme,abc,USD,Proposal,2024-01-01,,a@x.io,P"])
    failed = runner.invoke(app, ["import-crm", "--workspace", "acme", str(bad)])
    assert failed.exit_code == 1 and "bad.csv: line 2: amount 'abc' is not a number" in failed.output

    out = runner.invoke(app, ["forecast", "--workspace", "acme", "--as-of", "2024-03-01", "--horizon", "30", "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload["as_of"] == "2024-03-01" and payload["worst"] <= payload["likely"] <= payload["best"]

    bt = runner.invoke(app, ["backtest", "--workspace", "acme", "--horizon", "30", "--from", "2024-02-01",
                             "--to", "2024-03-01", "--every", "14d", "--json"])
    assert bt.exit_code == 0, bt.output
    assert len(json.loads(bt.stdout)["origins"]) == 3

    unknown = runner.invoke(app, ["forecast", "--workspace", "nope"])
    assert unknown.exit_code == 1 and "no workspace 'nope'" in unknown.output
