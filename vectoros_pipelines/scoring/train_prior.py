"""Trains the prior health model shipped in the package, from Maven's sample CRM.

    python -m vectoros_pipelines.scoring.train_prior [../shared/data/crm/maven]

Deterministic: the same data gives the same model. Workspaces use it until they
have enough closed deals of their own.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import joblib

from vectoros_pipelines.crm.parse import parse_many
from vectoros_pipelines.crm.rows import CrmDeal
from vectoros_pipelines.scoring.health import PRIOR_PATH
from vectoros_pipelines.scoring.model import train, training_rows
from vectoros_pipelines.scoring.records import DealRecord

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "crm" / "maven"
PRIOR_VERSION = "prior-maven-lr-v1"
IMPORTED_AT = datetime(2018, 1, 1)  # deals without a created date count as known from the end of the data


def _at(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def records_from_crm(rows: list[CrmDeal]) -> list[DealRecord]:
    return [
        DealRecord(
            id=i, status=d.status, stage=d.stage, value=d.value, opened_at=_at(d.opened_on),
            closed_at=_at(d.close_date) if d.status != "open" else None, close_date=d.close_date,
            product=d.product, company=d.company, owner=d.owner, name=d.name, external_id=d.external_id,
            source="crm", created_at=IMPORTED_AT,
        )
        for i, d in enumerate(rows)
    ]


def main(data: Path = DEFAULT_DATA) -> None:
    deals = records_from_crm(parse_many([data], "maven").deals)
    until = max(d.closed_on for d in deals if d.closed_on is not None)
    closed = [d for d in deals if d.status != "open"]
    rows, labels = training_rows(closed, {}, deals, until)
    model = train(rows, labels, version=PRIOR_VERSION, deals=len(closed))
    PRIOR_PATH.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, PRIOR_PATH, compress=3)
    print(f"prior trained on {len(closed)} closed deals ({len(rows)} snapshots) -> {PRIOR_PATH} "
          f"({PRIOR_PATH.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA)
