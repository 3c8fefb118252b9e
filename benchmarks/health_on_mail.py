"""Deal health on captured mail: do won deals score above lost ones before they close?

    python benchmarks/health_on_mail.py [--seeds 901 902 903] [--industry saas] [--days-before 14] [--no-rows]

Two scenarios go through the real pipeline (scenario.load_scenario, then runner.run_workspace as of the
scenario's date) in a throw-away VECTOROS_HOME:

  (a) generated demo companies whose seeds are not among the prior's training seeds (train_prior.TRAIN_SEEDS),
      each on its own and pooled (one company has only ~20 closed deals: its AUC alone is noisy);
  (b) the hand-labelled scenario ../shared/data/scenarios/northwind — measured only, never trained or tuned on.

Every captured deal that truth.json says ended won or lost is scored on the day `--days-before` days before it
closed (or its first captured day, if younger), from what was known on that day: activities up to it, meetings
after it only if their invitation existed (CREATED in calendar.ics), the amount last stated by then, other deals'
outcomes by then. Pipeline deals are matched to truth deals by the messages linked to them. Labels come from
truth.json, not from the pipeline's reading of the outcome.

Printed for the shipped prior and for the old Maven-only prior (commit LEGACY_COMMIT, with the features of the
time): mean health of won and lost deals, AUC, and one row per deal.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
NORTHWIND = ROOT.parent / "shared" / "data" / "scenarios" / "northwind"
LEGACY_COMMIT = "7d5500451e76626f27bd9e8c5bb8c4f3ea007539"  # last commit of the Maven-only prior
LEGACY_PRIOR = "vectoros_pipelines/scoring/models/prior.joblib"
LEGACY_NUMERIC = (
    "days_since_last_activity", "activities_7d", "activities_30d", "inbound_30d", "outbound_30d",
    "inbound_share_30d", "distinct_contacts", "meetings_held", "meetings_booked", "stage_age_days",
    "close_date_slips", "log_value_vs_median", "deal_age_days", "owner_win_rate", "has_company",
)


@dataclass
class Scored:
    truth_id: str
    deal_id: int
    label: int
    as_of: datetime
    closed: date
    activities: int
    new: float
    old: float
    drivers: list[str]


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Probability a won deal outscores a lost one (ties count half)."""
    won = [s for y, s in zip(labels, scores, strict=True) if y]
    lost = [s for y, s in zip(labels, scores, strict=True) if not y]
    if not won or not lost:
        return float("nan")
    pairs = [(w > x) + 0.5 * (w == x) for w in won for x in lost]
    return float(np.mean(pairs))


def booked_on(calendar: Path) -> dict[str, datetime]:
    """UID -> when the invitation was created, from the scenario's calendar.ics (the warehouse does not keep it)."""
    from icalendar import Calendar

    if not calendar.exists():
        return {}
    out: dict[str, datetime] = {}
    for event in Calendar.from_ical(calendar.read_bytes()).walk("VEVENT"):
        created = event.get("CREATED")
        if created is not None:
            moment = _utc(created.dt if isinstance(created.dt, datetime) else datetime.combine(created.dt, datetime.min.time()))
            if moment is not None:
                out[str(event.get("UID"))] = moment
    return out


# ---------------------------------------------------------------- the old prior, as it was shipped


def legacy_prior() -> Any:
    blob = subprocess.run(["git", "-C", str(ROOT), "show", f"{LEGACY_COMMIT}:{LEGACY_PRIOR}"],
                          check=True, capture_output=True).stdout
    return joblib.load(io.BytesIO(blob))


def legacy_features(deal: Any, acts: Sequence[Any], as_of: datetime, context: Any) -> dict[str, float | str]:
    """features.build_features as of LEGACY_COMMIT (no-activity deals counted as silent since opening)."""
    past = [a for a in acts if a.occurred_at <= as_of]
    booked = [a for a in acts if a.kind == "meeting" and as_of < a.occurred_at <= as_of + timedelta(days=30)]
    opened = deal.known_since or as_of
    last = max((a.occurred_at for a in past), default=opened)
    recent = [a for a in past if a.occurred_at > as_of - timedelta(days=30)]
    inbound = sum(a.kind == "email_in" for a in recent)
    outbound = sum(a.kind == "email_out" for a in recent)
    value = deal.value if deal.value else context.median_value
    ratio = (value / context.median_value) if context.median_value and value else 1.0
    return {
        "days_since_last_activity": max((as_of - last).days, 0),
        "activities_7d": sum(a.occurred_at > as_of - timedelta(days=7) for a in past),
        "activities_30d": len(recent), "inbound_30d": inbound, "outbound_30d": outbound,
        "inbound_share_30d": inbound / (inbound + outbound) if inbound + outbound else 0.5,
        "distinct_contacts": len({p.lower() for a in past for p in a.participants}),
        "meetings_held": sum(a.kind == "meeting" for a in past), "meetings_booked": len(booked),
        "stage_age_days": max((as_of - (deal.stage_changed_at or opened)).days, 0),
        "close_date_slips": deal.close_date_slips, "log_value_vs_median": float(np.log(max(ratio, 1e-3))),
        "deal_age_days": max((as_of - opened).days, 0), "owner_win_rate": context.owner_win_rate(deal.owner),
        "has_company": float(bool(deal.company)), "product": deal.product or "unknown",
    }


# ---------------------------------------------------------------- one scenario


def measure(folder: Path, days_before: int, old_model: Any) -> list[Scored]:
    from sqlalchemy import select

    from vectoros_pipelines.runner import run_workspace
    from vectoros_pipelines.scenario import load_scenario
    from vectoros_pipelines.scoring.features import workspace_context
    from vectoros_pipelines.scoring.health import model_for, score_deals
    from vectoros_pipelines.scoring.records import ActivityRecord
    from vectoros_pipelines.storage.db import get_engine
    from vectoros_pipelines.storage.deals import export_deals
    from vectoros_pipelines.storage.intelligence import _emails, end_of, load_deals
    from vectoros_pipelines.storage.schema import activities, captured_calendar_events, captured_emails

    truth = json.loads((folder / "truth.json").read_text())
    engine = get_engine()
    loaded = load_scenario(engine, folder)
    summary = run_workspace(loaded.workspace.slug, as_of=loaded.spec.as_of)
    if summary.failures:
        print(f"  pipeline failures: {summary.failures}", file=sys.stderr)
    ws = loaded.workspace.id
    booked = booked_on(folder / "calendar.ics")
    with engine.connect() as conn:
        exported = export_deals(conn, ws)
        log: dict[int, list[tuple[ActivityRecord, datetime]]] = {}
        q = (select(activities.c.deal_id, activities.c.kind, activities.c.occurred_at, activities.c.participants,
                    captured_calendar_events.c.uid)
             .select_from(activities.outerjoin(captured_calendar_events,
                                               captured_calendar_events.c.id == activities.c.event_id))
             .where(activities.c.workspace_id == ws).order_by(activities.c.occurred_at))
        for r in conn.execute(q):
            when = _utc(r.occurred_at) or datetime.min
            known = min(booked.get(r.uid, when), when) if r.kind == "meeting" else when
            log.setdefault(r.deal_id, []).append((ActivityRecord(r.deal_id, r.kind, when, _emails(r.participants)),
                                                  known))
        amounts: dict[int, list[tuple[datetime, float]]] = {}
        for e in conn.execute(select(captured_emails.c.deal_id, captured_emails.c.sent_at, captured_emails.c.extracted_data)
                              .where(captured_emails.c.workspace_id == ws, captured_emails.c.deal_id.is_not(None))):
            amount = (e.extracted_data or {}).get("amount") if isinstance(e.extracted_data, dict) else None
            if amount and e.sent_at is not None:
                amounts.setdefault(e.deal_id, []).append((_utc(e.sent_at) or datetime.min, float(amount)))

        # Which truth deal each pipeline deal is: the one most of its linked messages belong to.
        message_deal = {k: v["deal"] for k, v in truth["messages"].items()}
        matched: dict[str, tuple[int, int]] = {}  # truth deal -> (pipeline deal, messages agreeing)
        for item in exported:
            votes = Counter(t for m in item["messages"]
                            if (t := message_deal.get(m.strip("<>")) or message_deal.get(m)) is not None)
            if votes:
                truth_id, n = votes.most_common(1)[0]
                best = matched.get(truth_id)
                if best is None or n > best[1]:  # a truth deal split in two is scored once, on its bigger part
                    matched[truth_id] = (item["id"], n)

        def known_then(day: datetime) -> tuple[list[Any], dict[int, list[ActivityRecord]]]:
            records = []
            for d in load_deals(conn, ws, day.date()):
                stated = [v for t, v in sorted(amounts.get(d.id, [])) if t <= day]
                records.append(replace(d, value=stated[-1] if stated else None))
            acts = {k: [a for a, known in v if known <= day] for k, v in log.items()}
            return records, acts

        out = []
        for truth_id, spec in sorted(truth["deals"].items()):
            if spec["status"] not in ("won", "lost") or truth_id not in matched or not spec.get("close_date"):
                continue
            deal_id = matched[truth_id][0]
            closed = date.fromisoformat(spec["close_date"])
            first = min((a.occurred_at for a, _ in log.get(deal_id, [])), default=None)
            day = end_of(closed - timedelta(days=days_before))
            if first is not None and first > day:
                day = end_of(first.date())  # a deal younger than that is scored on its first day
            records, acts = known_then(day)
            # Other deals count as open again where they had not closed by then; own status is never a feature.
            records = [r if (r.closed_on is None or r.closed_on <= day) else replace(r, status="open", closed_at=None)
                       for r in records]
            target = next(r for r in records if r.id == deal_id)
            model = model_for(records, acts, day)
            new = score_deals(model, records, [target], acts, day)[0]
            context = workspace_context(records, day)
            old_row = legacy_features(target, acts.get(deal_id, ()), day, context)
            old = float(old_model.calibrated.predict_proba(
                pd.DataFrame([old_row], columns=[*LEGACY_NUMERIC, "product"]))[:, 1][0])
            out.append(Scored(truth_id, deal_id, int(spec["status"] == "won"), day, closed,
                              len(acts.get(deal_id, ())), new.score, round(100 * old, 1),
                              [d.text for d in new.drivers]))
    engine.dispose()
    return out


def report(name: str, scored: Sequence[Scored], model_version: str, show_rows: bool = True) -> dict[str, float]:
    y = [s.label for s in scored]
    result: dict[str, float] = {}
    print(f"\n== {name}: {sum(y)} won, {len(y) - sum(y)} lost scored")
    print(f"{'model':<34} {'mean won':>9} {'mean lost':>10} {'AUC':>6}")
    for label, pick in (("prior " + model_version, lambda s: s.new), ("old Maven-only prior", lambda s: s.old)):
        won = [pick(s) for s in scored if s.label]
        lost = [pick(s) for s in scored if not s.label]
        a = auc(y, [pick(s) for s in scored])
        print(f"{label:<34} {np.mean(won):>9.1f} {np.mean(lost):>10.1f} {a:>6.3f}")
        result[label.split()[0] + "_auc"] = a
    if show_rows:
        print(f"\n{'deal':<6} {'outcome':<7} {'closed':<10} {'scored on':<10} {'acts':>4} {'new':>6} {'old':>6}  top drivers (new)")
        for s in sorted(scored, key=lambda s: -s.new):
            print(f"{s.truth_id:<6} {'won' if s.label else 'lost':<7} {s.closed.isoformat():<10} "
                  f"{s.as_of.date().isoformat():<10} {s.activities:>4} {s.new:>6.1f} {s.old:>6.1f}  {'; '.join(s.drivers)}")
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[901, 902, 903])
    parser.add_argument("--industry", default="saas")
    parser.add_argument("--deals", type=int, default=40)
    parser.add_argument("--days-before", type=int, default=14)
    parser.add_argument("--no-rows", action="store_true", help="Only the summary lines.")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vectoros-health-") as tmp:
        home = Path(tmp)
        # The pipeline reads its home when first imported: set it before any vectoros_pipelines import.
        os.environ["VECTOROS_HOME"] = str(home / "home")
        os.environ["DAGSTER_HOME"] = str(home / "home" / "dagster")
        (home / "home" / "dagster").mkdir(parents=True)
        os.environ.pop("VECTOROS_DATABASE_URL", None)
        os.environ.pop("QDRANT_URL", None)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")

        from vectoros_pipelines.demo import generate_scenario
        from vectoros_pipelines.scoring.health import load_prior
        from vectoros_pipelines.scoring.train_prior import TRAIN_SEEDS

        used = sorted(set(args.seeds) & set(TRAIN_SEEDS))
        if used:
            parser.error(f"seeds {used} are ones the prior was trained on; pick others (training: {TRAIN_SEEDS})")
        version = load_prior().version
        old_model = legacy_prior()
        print(f"health {args.days_before} days before close; prior {version} vs old Maven-only prior "
              f"({LEGACY_COMMIT[:7]})")
        pooled: list[Scored] = []
        for seed in args.seeds:
            demo = generate_scenario(home / f"demo-{seed}", seed=seed, n_deals=args.deals, industry=args.industry)
            scored = measure(demo.out_dir, args.days_before, old_model)
            pooled += scored
            report(f"generated {args.industry} seed {seed} ({args.deals} deals)", scored, version,
                   show_rows=not args.no_rows)
        if len(args.seeds) > 1:
            report(f"generated, seeds {args.seeds} pooled", pooled, version, show_rows=False)
        if NORTHWIND.exists():
            report("northwind (labelled, never trained on)", measure(NORTHWIND, args.days_before, old_model), version,
                   show_rows=not args.no_rows)


if __name__ == "__main__":
    main()
