"""Scores on every labelled scenario at once: the shared one, the hand-written ones, and generated held-out ones.

Usage:
    python benchmarks/scenarios.py [FOLDER ...] [--generated 777,778 [--generated-only]] [--misses] [--json OUT]

With no FOLDER it scores ../shared/data/scenarios/*, benchmarks/heldout/* (hand-written, never trained on
or tuned to: misses not printed) and benchmarks/scenarios/* (mailboxes written
by hand for this project by authors who never read its rules: independent of the generator the
classifier trains on; the shipped classifier does train on them, so for an honest figure retrain with
`python -m vectoros_pipelines.extraction.training.train --leave-out NAME` before scoring NAME, then retrain
without it). `--generated` adds scenarios from `generate_scenario` with seeds the training
script never uses (it trains on 101, 102, 201, 202), alternating industries and en / en+de.
Each scenario runs the whole pipeline in a throw-away home (`vectoros eval scenario`) and prints one
row: capture F1 (messages, events), matching pairwise F1, duplicates, deals created for true deals,
and each field's share; then the mean over the rows. `--misses` lists every wrong field
(except for the shared scenarios, which only measure).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vectoros_pipelines.evaluation.scenario_run import ScenarioRun, evaluate_scenario  # noqa: E402
from vectoros_pipelines.evaluation.scores import FIELDS  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "scenarios"
HAND_WRITTEN = ROOT / "benchmarks" / "scenarios"
HELD_OUT = ROOT / "benchmarks" / "heldout"  # hand-written too, but never trained on nor tuned to
_INDUSTRIES = ("saas", "manufacturing", "logistics")
# The shared scenarios measure; their misses are not printed, so nobody tunes rules to them.
_MEASURE_ONLY = {p.name for base in (SHARED, HELD_OUT) if base.is_dir() for p in base.iterdir()}


def default_folders() -> list[Path]:
    found = [p for base in (SHARED, HAND_WRITTEN, HELD_OUT) if base.is_dir() for p in sorted(base.iterdir())]
    return [p for p in found if (p / "truth.json").exists()]


def generated_folders(seeds: list[int], workdir: Path) -> list[Path]:
    from vectoros_pipelines.demo.scenario import generate_scenario

    out = []
    for i, seed in enumerate(seeds):
        industry = _INDUSTRIES[i % len(_INDUSTRIES)]
        languages = ("en", "de") if i % 2 else ("en",)
        folder = workdir / f"generated-{seed}-{industry}-{'-'.join(languages)}"
        generate_scenario(folder, seed=seed, n_deals=20, months=6, industry=industry, languages=languages)
        out.append(folder)
    return out


def row(run: ScenarioRun) -> list[str]:
    s = run.score
    return [run.scenario, f"{s.message_capture.f1:.3f}", f"{s.event_capture.f1:.3f}", f"{s.matching.f1:.3f}",
            str(s.duplicate_deals), f"{s.created_deals}/{s.true_deals}", *(f"{s.fields[f]:.2f}" for f in FIELDS)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--generated", default="", help="comma-separated seeds of generated held-out scenarios")
    parser.add_argument("--generated-only", action="store_true", help="score only the --generated scenarios")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--json", type=Path, help="write every run's scores to this file")
    args = parser.parse_args()
    folders = [] if args.generated_only else list(args.folders) or default_folders()
    header = ["scenario", "msg F1", "event F1", "pair F1", "dups", "deals", *FIELDS]
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |")
    runs: list[ScenarioRun] = []
    with tempfile.TemporaryDirectory() as tmp:
        seeds = [int(s) for s in args.generated.split(",") if s.strip()]
        for folder in folders + generated_folders(seeds, Path(tmp)):
            try:
                run = evaluate_scenario(folder)
            except Exception as exc:  # one unreadable scenario must not hide the others' scores
                print(f"| {folder.name} | error: {type(exc).__name__}: {exc} |")
                continue
            runs.append(run)
            print("| " + " | ".join(row(run)) + " |", flush=True)
            if run.failures:
                print(f"  failed steps: {run.failures}")
    if runs:
        mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
        print("| **mean** | " + " | ".join([
            f"{mean([r.score.message_capture.f1 for r in runs]):.3f}", f"{mean([r.score.event_capture.f1 for r in runs]):.3f}",
            f"{mean([r.score.matching.f1 for r in runs]):.3f}", str(sum(r.score.duplicate_deals for r in runs)), "",
            *(f"{mean([r.score.fields[f] for r in runs]):.2f}" for f in FIELDS)]) + " |")
    if args.misses:
        for run in runs:
            if run.scenario in _MEASURE_ONLY:
                continue
            for miss in run.score.misses:
                print(f"{run.scenario}\t{miss.deal}\t{miss.field}\texpected {miss.expected!r}\tgot {miss.got!r}")
            for deal in run.score.unmatched_true_deals:
                print(f"{run.scenario}\t{deal}\t(no deal created)")
    if args.json:
        args.json.write_text(json.dumps([{"scenario": r.scenario, "score": r.score.as_dict(), "seconds": r.seconds}
                                         for r in runs], indent=2, default=str))


if __name__ == "__main__":
    main()
