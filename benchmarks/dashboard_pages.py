"""How long each dashboard page takes on a large workspace in PostgreSQL.

Seeds `vectoros_bench_dashboard` (100,000 deals, 1,000,000 activities, a health
score per open deal, insights, a year of forecasts) with COPY, then renders
every page with Streamlit's AppTest — cold (query cache empty) and warm — and
prints the seconds. The budget is 2 s per page, cold.

    python benchmarks/dashboard_pages.py                 # seed (if needed) and time
    python benchmarks/dashboard_pages.py --reseed        # drop and seed again
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vectoros_bench_dashboard"
BUDGET_S = 2.0
STAGES = ("lead", "qualified", "demo", "proposal", "negotiation")
COMPANIES = ("Initech", "Globex", "Umbrella", "Hooli", "Stark", "Wayne", "Acme", "Soylent", "Tyrell", "Cyberdyne",
             "Wonka", "Vandelay", "Dunder", "Pied Piper", "Aperture", "Oscorp", "Massive Dynamic", "Gringotts")
PASSWORD = "benchmark password"


def ensure_database(url: str, reseed: bool) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if exists and reseed:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = None
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def seed(url: str, n_deals: int, n_activities: int) -> None:
    from dashboard.auth import hash_password
    from vectoros_pipelines.storage.db import get_engine
    from vectoros_pipelines.storage.schema import deals
    from vectoros_pipelines.storage.workspaces import add_user, create_workspace

    engine = get_engine(url)
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(deals)).scalar_one() >= n_deals:
            print(f"warehouse already seeded ({url.rsplit('/', 1)[1]})")
            return
    started = time.perf_counter()
    rng = random.Random(7)
    now = datetime.now(UTC)
    today = now.date()
    with engine.begin() as conn:
        bench = create_workspace(conn, "Bench", ["bench.example"])
        other = create_workspace(conn, "Other", ["other.example"])
        add_user(conn, bench.id, "admin@bench.example", "Bench Admin", "admin", hash_password(PASSWORD))
        add_user(conn, other.id, "admin@other.example", "Other Admin", "admin", hash_password(PASSWORD))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        deal_columns = ("id", "workspace_id", "name", "company", "domain", "value", "currency", "stage", "status",
                        "contact_email", "owner_email", "close_date", "opened_at", "closed_at", "last_activity_at",
                        "source", "confidence", "created_at")
        with cursor.copy(f"COPY deals ({', '.join(deal_columns)}) FROM STDIN") as copy:
            for i in range(1, n_deals + 1):
                company = f"{rng.choice(COMPANIES)} {i}"
                status = rng.choices(("open", "won", "lost"), (70, 15, 15))[0]
                created = now - timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
                closed = created + timedelta(days=rng.randint(5, 120)) if status != "open" else None
                stage = {"won": "closed_won", "lost": "closed_lost"}.get(status) or rng.choice(STAGES)
                copy.write_row((
                    i, bench.id, f"{company} deal", company, f"{company.split()[0].lower()}{i}.example",
                    float(rng.randint(1, 500) * 1000), "EUR", stage, status, f"buyer{i}@example.com",
                    f"rep{i % 40}@bench.example", today + timedelta(days=rng.randint(-30, 180)), created, closed,
                    created + timedelta(days=rng.randint(0, 60)), rng.choice(("email", "email", "calendar", "crm")),
                    round(rng.uniform(0.6, 1.0), 2), created,
                ))
        # Deal 1 is a long-running account with thousands of activities: its page must stay bounded.
        with cursor.copy("COPY activities (workspace_id, deal_id, kind, occurred_at, summary) FROM STDIN") as copy:
            for j in range(n_activities):
                deal_id = 1 if j < 5000 else rng.randint(1, n_deals)
                copy.write_row((bench.id, deal_id, rng.choice(("email_in", "email_out", "meeting", "crm")),
                                now - timedelta(minutes=rng.randint(0, 700 * 1440)), f"Activity {j}"))
        with cursor.copy("COPY deal_health_scores (workspace_id, deal_id, as_of, score, win_probability, drivers, "
                         "model_version) FROM STDIN") as copy:
            drivers = '[{"feature": "recent reply", "impact": 0.1}, {"feature": "no meeting in 30 days", "impact": -0.2}]'
            for i in range(1, n_deals + 1):
                for back in (0, 7):
                    p = rng.random()
                    copy.write_row((bench.id, i, today - timedelta(days=back), round(p * 100, 1), p, drivers, "bench"))
        with cursor.copy("COPY insights (workspace_id, deal_id, kind, title, priority, status, owner_email, "
                         "detected_at, evidence) FROM STDIN") as copy:
            for k in range(20_000):
                deal_id = rng.randint(1, n_deals)
                copy.write_row((bench.id, deal_id, rng.choice(("stale_deal", "at_risk", "upsell", "single_threaded")),
                                f"Deal {deal_id} needs attention", rng.choice(("high", "medium", "low")),
                                rng.choice(("open", "open", "acknowledged", "dismissed", "resolved")),
                                f"rep{k % 40}@bench.example", now - timedelta(hours=rng.randint(0, 2000)),
                                '{"days_silent": 12}'))
        with cursor.copy("COPY revenue_forecasts (workspace_id, as_of, horizon_days, currency, likely, best, worst, "
                         "actual, baseline_run_rate, baseline_weighted_pipeline) FROM STDIN") as copy:
            for back in range(365):
                as_of = today - timedelta(days=back)
                for horizon in (30, 60, 90):
                    likely = 1e6 * horizon / 30 * rng.uniform(0.9, 1.1)
                    actual = likely * rng.uniform(0.8, 1.2) if as_of + timedelta(days=horizon) <= today else None
                    copy.write_row((bench.id, as_of, horizon, "EUR", likely, likely * 1.3, likely * 0.7, actual,
                                    likely * 0.95, likely * 1.5))
        cursor.execute("SELECT setval(pg_get_serial_sequence('deals', 'id'), (SELECT max(id) FROM deals))")
        raw.commit()
        driver = raw.driver_connection
        assert driver is not None
        driver.autocommit = True  # VACUUM cannot run in a transaction
        driver.execute("VACUUM ANALYZE")
    finally:
        raw.close()
    print(f"seeded {n_deals:,} deals and {n_activities:,} activities in {time.perf_counter() - started:.1f} s")


def time_pages() -> list[tuple[str, float, float]]:
    from streamlit.testing.v1 import AppTest

    from dashboard import auth, session
    from vectoros_pipelines.storage.db import get_engine

    with get_engine().connect() as conn:
        principals = auth.sign_in(conn, "admin@bench.example", PASSWORD)
    app = str(ROOT / "dashboard" / "app.py")

    def page(path: str | None, **params: str) -> Callable[[], AppTest]:
        def open_page() -> AppTest:
            at = AppTest.from_file(app, default_timeout=120)
            at.session_state[session.PRINCIPAL] = principals[0]
            at.session_state[session.ALLOWED] = [p.user_id for p in principals]
            for key, value in params.items():
                at.query_params[key] = value
            if path:
                at.switch_page(path)
            return at.run()
        return open_page

    def then(first: Callable[[], AppTest], step: Callable[[AppTest], object]) -> Callable[[], AppTest]:
        prepared: dict[str, AppTest] = {}

        def run() -> AppTest:
            at = prepared.pop("at", None) or first()
            step(at)
            return at.run()

        def prepare() -> None:
            prepared["at"] = first()

        run.prepare = prepare  # type: ignore[attr-defined]
        return run

    deals_page = page("app_pages/deals.py")
    cases: list[tuple[str, Callable[[], AppTest]]] = [
        ("command center", page(None)),
        ("forecast", page("app_pages/forecast.py")),
        ("insights", page("app_pages/insights.py")),
        ("deals (first page, by value)", deals_page),
        ("deals: search 'hooli 12'", then(deals_page, lambda at: at.text_input(key="deal_search").input("hooli 12"))),
        ("deals: sort by company", then(deals_page, lambda at: at.selectbox(key="deal_sort").select("company"))),
        ("deals: page 2", then(deals_page, lambda at: at.button(key="deal_next").click())),
        ("deal 1 (5,000 activities)", page("app_pages/deal.py", deal="1")),
        ("deal 77777", page("app_pages/deal.py", deal="77777")),
        ("integrations", page("app_pages/integrations.py")),
        ("workspaces & people", page("app_pages/people.py")),
    ]
    # Imports (Streamlit, Altair, pandas…) happen once per server process, not per page view:
    # render every page once before timing, then empty the query cache so "cold" means cold data.
    for _, run in cases:
        run.prepare() if hasattr(run, "prepare") else run()  # type: ignore[attr-defined]
    results = []
    for name, run in cases:
        session.clear_cache()
        if hasattr(run, "prepare"):
            run.prepare()  # the page before the interaction is not what is timed
            session.clear_cache()
        started = time.perf_counter()
        at = run()
        cold = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception}")
        warm = _warm(run)  # same page again with the query cache filled
        results.append((name, cold, warm))
    return results


def _warm(run: Callable[[], object]) -> float:
    if hasattr(run, "prepare"):
        run.prepare()  # type: ignore[attr-defined]
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("VECTOROS_BENCH_DASHBOARD_URL", DEFAULT_URL))
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()

    os.environ["VECTOROS_DATABASE_URL"] = args.url
    os.environ.setdefault("VECTOROS_HOME", tempfile.mkdtemp(prefix="vectoros-bench-"))
    ensure_database(args.url, args.reseed)
    seed(args.url, args.deals, args.activities)

    results = time_pages()
    print(f"\n{'page':38} {'cold s':>8} {'warm s':>8}")
    for name, cold, warm in results:
        flag = "" if cold < BUDGET_S else f"  OVER {BUDGET_S:.0f} s"
        print(f"{name:38} {cold:8.3f} {warm:8.3f}{flag}")
    slowest = max(cold for _, cold, _ in results)
    print(f"\nslowest page (cold): {slowest:.3f} s — budget {BUDGET_S:.0f} s: {'OK' if slowest < BUDGET_S else 'FAIL'}")
    if slowest >= BUDGET_S:
        sys.exit(1)


if __name__ == "__main__":
    main()
