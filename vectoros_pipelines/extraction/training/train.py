"""Train the shipped deal classifier: `python -m vectoros_pipelines.extraction.training.train`.

Deterministic: fixed scenario seeds, fixed archive samples, a solver without randomness, so the
same code writes the same model file. Never reads the evaluation scenarios (scenarios/northwind).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from vectoros_pipelines.extraction import classifier as clf
from vectoros_pipelines.extraction.message_view import email_view
from vectoros_pipelines.extraction.training.corpus import (
    LabelledMessage,
    enron_messages,
    hand_examples,
    scenario_messages,
    usrp_messages,
)

# Generated training scenarios: every industry, English-only and mixed English/German, several seeds.
SCENARIO_PLAN: tuple[tuple[str, tuple[str, ...], int], ...] = tuple(
    (industry, languages, seed)
    for industry in ("saas", "manufacturing", "logistics")
    for languages, seeds in ((("en",), (101, 102)), (("en", "de"), (201, 202)))
    for seed in seeds
)
SCENARIO_END = "2026-06-30"
# Mailboxes of Enron's traders and deal lawyers: commercial deals, too ambiguous to call negatives.
ENRON_DEALMAKERS = ("nemec-g", "shackleton-s", "jones-t", "tycholiz-b", "germany-c", "lavorato-j", "mann-k",
                    "kitchen-l", "watson-k", "taylor-m", "keavey-p")
ENRON_TRAIN_SAMPLE = 1500
# Mailboxes written by hand for this project by authors who never read its rules (benchmarks/scenarios/):
# real variety of phrasing the generator lacks. Few messages next to the generated ones, so each counts thrice.
HAND_SCENARIOS = Path(__file__).resolve().parents[3] / "benchmarks" / "scenarios"
HAND_SCENARIO_REPEAT = 3
# The ones the shipped model learns from, named so the model stays reproducible when scenarios are added.
# Later ones (ironleaf, wellenreiter) measure the model honestly; retraining on them did not help the
# held-out scenarios (benchmarks/heldout), so they stay out.
TRAINING_HAND_SCENARIOS = ("brenner", "halden", "kaltenbach")


def generated_scenarios(workdir: Path) -> list[LabelledMessage]:
    from vectoros_pipelines.demo.scenario import generate_scenario

    out: list[LabelledMessage] = []
    for industry, languages, seed in SCENARIO_PLAN:
        folder = workdir / f"{industry}-{'-'.join(languages)}-{seed}"
        generate_scenario(folder, seed=seed, n_deals=18, months=6, end=datetime.fromisoformat(SCENARIO_END).date(),
                          industry=industry, languages=languages)
        out.extend(scenario_messages(folder))
    return out


def hand_scenarios(leave_out: tuple[str, ...] = ()) -> list[LabelledMessage]:
    folders = [HAND_SCENARIOS / name for name in TRAINING_HAND_SCENARIOS if (HAND_SCENARIOS / name / "truth.json").exists()]
    out: list[LabelledMessage] = []
    for folder in folders:
        if folder.name not in leave_out:
            out += scenario_messages(folder) * HAND_SCENARIO_REPEAT
    return out


def training_set(workdir: Path, *, with_generated: bool = True, leave_out: tuple[str, ...] = ()) -> list[LabelledMessage]:
    data = hand_examples() + hand_scenarios(leave_out)
    if with_generated:
        data += generated_scenarios(workdir)
    data += usrp_messages("train")
    data += enron_messages("train", exclude_users=ENRON_DEALMAKERS, every=7, limit=ENRON_TRAIN_SAMPLE)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=clf.MODEL_PATH)
    parser.add_argument("--no-generated", action="store_true", help="hand examples and archives only")
    parser.add_argument("--leave-out", action="append", default=[], metavar="NAME",
                        help="a hand-written scenario (benchmarks/scenarios/NAME) to keep out, to measure on it")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = training_set(Path(tmp), with_generated=not args.no_generated, leave_out=tuple(args.leave_out))
    views = [email_view(item.email, item.context) for item in data]
    labels = [item.label for item in data]
    by_source = Counter(f"{item.source.split(':')[0]}:{item.label}" for item in data)
    model = clf.fit(views, labels, summary={"examples": len(data), "by_source_label": dict(sorted(by_source.items())),
                                            "scenarios": [list(map(str, p)) for p in SCENARIO_PLAN],
                                            "left_out": sorted(args.leave_out)})
    clf.save(model, args.out)
    print(f"trained on {len(data)} messages ({sum(labels)} deal-related) in {time.perf_counter() - started:.1f}s")
    print(f"by source:label {dict(sorted(by_source.items()))}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), model fingerprint {clf.fingerprint(model)}")


if __name__ == "__main__":
    main()
