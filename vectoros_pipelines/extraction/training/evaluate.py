"""Measure the LocalExtractor on a labelled scenario (message level), or on an unlabelled archive.

    python -m vectoros_pipelines.extraction.training.evaluate scenario ../shared/data/scenarios/northwind
    python -m vectoros_pipelines.extraction.training.evaluate usrp
    python -m vectoros_pipelines.extraction.training.evaluate enron [--examples 10]

Scenario figures: precision/recall/F1 of is_deal_related against truth (deal != null) and, for the
true positives, how often the message's company/domain/contact agree with its deal's truth. Never
used for training.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from vectoros_pipelines.extraction.companies import company_key
from vectoros_pipelines.extraction.local import LocalExtractor
from vectoros_pipelines.extraction.training.corpus import enron_messages, scenario_messages, usrp_messages


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate_scenario(directory: Path, extractor: LocalExtractor, *, show_errors: bool = False) -> dict[str, float]:
    truth = json.loads((directory / "truth.json").read_text())
    items = scenario_messages(directory)
    context = items[0].context
    results = extractor.extract_emails([i.email for i in items], context)
    tp = fp = fn = 0
    agree: dict[str, list[bool]] = defaultdict(list)
    for item, result in zip(items, results, strict=True):
        predicted, actual = result.is_deal_related, bool(item.label)
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        if show_errors and predicted != actual:
            print(f"{'FP' if predicted else 'FN'} {result.confidence:.2f} {item.email.subject[:70]!r} {result.reasons}")
        if predicted and actual:
            deal = truth["deals"][truth["messages"][item.email.message_key]["deal"]]
            if result.company_domain or deal.get("domain"):
                agree["domain"].append(result.company_domain == deal.get("domain"))
            agree["company"].append(company_key(result.company or "") == company_key(deal["company"]))
            agree["contact"].append(result.contact_email == deal.get("contact_email"))
            if result.amount is not None:
                agree["amount_when_stated"].append(bool(deal.get("value")) and abs(result.amount - deal["value"]) <= 0.01 * deal["value"])
                agree["currency_when_stated"].append(result.currency == deal.get("currency"))
    precision, recall, f1 = prf(tp, fp, fn)
    figures = {"messages": len(items), "positives": sum(i.label for i in items), "precision": precision,
               "recall": recall, "f1": f1}
    figures.update({f"{k}_agreement": sum(v) / len(v) for k, v in agree.items() if v})
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["scenario", "usrp", "enron"])
    parser.add_argument("directory", nargs="?", type=Path)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    extractor = LocalExtractor()
    if args.what == "scenario":
        for key, value in evaluate_scenario(args.directory, extractor, show_errors=args.errors).items():
            print(f"{key:>26}: {value:.3f}" if isinstance(value, float) else f"{key:>26}: {value}")
        return
    items = usrp_messages("all") if args.what == "usrp" else enron_messages("all")
    results = extractor.extract_emails([i.email for i in items], items[0].context)
    flagged = [(i, r) for i, r in zip(items, results, strict=True) if r.is_deal_related]
    created = [(i, r) for i, r in flagged if r.confidence >= 0.8]
    threads: dict[str, bool] = defaultdict(bool)
    for item, result in zip(items, results, strict=True):
        root = item.email.thread_root or item.email.normalized_subject or item.email.message_key
        threads[root] |= result.confidence >= 0.8
    print(f"{args.what}: {len(items)} messages; deal-related {len(flagged)} ({len(flagged) / len(items):.2%}); "
          f"confidence >= 0.8 {len(created)} ({len(created) / len(items):.2%}); threads {len(threads)}, "
          f"with a message >= 0.8: {sum(threads.values())} ({sum(threads.values()) / len(threads):.2%})")
    for item, result in sorted(flagged, key=lambda x: -x[1].confidence)[: args.examples]:
        print(f"  {result.confidence:.2f} {item.note} | {item.email.subject[:60]!r} | {result.company} "
              f"{result.amount} {result.currency} {result.stage_hint}")


if __name__ == "__main__":
    main()
