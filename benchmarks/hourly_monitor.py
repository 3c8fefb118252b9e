"""Health + insights for one big workspace: 10,000 open deals, 2,000 closed, 200,000 activities (SQLite).

    python benchmarks/hourly_monitor.py [open_deals] [activities]

Issue 4 target: the hourly monitor for such a workspace finishes in under a minute.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np

from vectoros_pipelines.storage.db import get_engine
from vectoros_pipelines.storage.intelligence import refresh_insights, score_workspace
from vectoros_pipelines.storage.schema import activities, deals, workspaces

AS_OF = date(2025, 6, 1)


def main(open_deals: int = 10_000, n_activities: int = 200_000, closed_deals: int = 2_000) -> None:
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        engine = get_engine(f"sqlite:///{tmp}/bench.db")
        start = datetime(2024, 6, 1, tzinfo=UTC)
        with engine.begin() as conn:
            key = conn.execute(workspaces.insert().values(slug="big", name="Big", domains=["big.example"])
                               ).inserted_primary_key
            assert key is not None
            ws = int(key[0])
            rows = []
            for i in range(open_deals + closed_deals):
                opened = start + timedelta(days=int(rng.integers(0, 360)))
                closed = i >= open_deals
                won = closed and rng.random() < 0.55
                rows.append({
                    "workspace_id": ws, "name": f"Deal {i}", "company": f"Company {i % 3000}",
                    "value": float(rng.lognormal(9, 1)), "stage": "closed_won" if won else ("closed_lost" if closed else "proposal"),
                    "status": "won" if won else ("lost" if closed else "open"), "product": f"P{i % 7}",
                    "opened_at": opened, "closed_at": opened + timedelta(days=int(rng.integers(10, 120))) if closed else None,
                    "source": "email",
                })
            conn.execute(deals.insert(), rows)
            ids = [r[0] for r in conn.execute(deals.select().with_only_columns(deals.c.id).where(deals.c.workspace_id == ws))]
            kinds = np.array(["email_in", "email_out", "meeting"])
            acts = [{
                "workspace_id": ws, "deal_id": int(ids[int(rng.integers(0, len(ids)))]), "kind": str(kinds[int(rng.integers(0, 3))]),
                "occurred_at": start + timedelta(hours=int(rng.integers(0, 365 * 24))),
                "participants": [f"p{int(rng.integers(0, 4))}@c.example"],
            } for _ in range(n_activities)]
            for s in range(0, len(acts), 20_000):
                conn.execute(activities.insert(), acts[s:s + 20_000])
        t0 = time.perf_counter()
        health = score_workspace(engine, ws, AS_OF)
        t1 = time.perf_counter()
        ins = refresh_insights(engine, ws, AS_OF)
        t2 = time.perf_counter()
        again = refresh_insights(engine, ws, AS_OF)
        t3 = time.perf_counter()
        engine.dispose()
    print(f"{open_deals} open + {closed_deals} closed deals, {n_activities} activities")
    print(f"health: {health.scored} scored with {health.model_version} in {t1 - t0:.1f}s")
    print(f"insights: {ins.opened} opened in {t2 - t1:.1f}s; second run {again.updated} updated, "
          f"{again.resolved} resolved in {t3 - t2:.1f}s")
    print(f"hourly monitor (health + insights): {t2 - t0:.1f}s (target < 60s)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
