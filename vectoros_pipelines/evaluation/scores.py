"""The scenario scores, exactly as the scenarios README defines them.

* capture: precision / recall / F1 of "linked to some deal", messages and events separately;
* matching: pairwise F1 of the grouping of messages and events into deals, and the number of
  duplicate deals (several created for one true deal);
* fields: for each true deal, the created deal holding most of its messages and events; share of
  exact company (case-insensitive, legal suffix ignored), domain, value (within 1 %), currency,
  stage, status and contact email.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from math import comb
from typing import Any

from vectoros_pipelines.extraction.companies import company_key

FIELDS = ("company", "domain", "value", "currency", "stage", "status", "contact")
Item = tuple[str, str]  # ("message", Message-ID) | ("event", UID)


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> PRF:
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(round(precision, 4), round(recall, 4), round(f1, 4), tp, fp, fn)


@dataclass(frozen=True)
class FieldMiss:
    deal: str
    field: str
    expected: Any
    got: Any


@dataclass
class ScenarioScore:
    message_capture: PRF
    event_capture: PRF
    matching: PRF
    duplicate_deals: int
    fields: dict[str, float]
    true_deals: int
    created_deals: int
    unmatched_true_deals: list[str] = field(default_factory=list)
    misses: list[FieldMiss] = field(default_factory=list)
    unlabelled_linked: int = 0  # linked items the truth does not list (not scored)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _normalise_key(key: str) -> str:
    return key.strip().strip("<>")


def predicted_assignment(exported: Sequence[Mapping[str, Any]]) -> dict[Item, int]:
    """Item → the exported deal it is linked to (the first, if a recurring event's occurrences split)."""
    out: dict[Item, int] = {}
    for deal in exported:
        for key in deal.get("messages", []):
            out.setdefault(("message", _normalise_key(key)), int(deal["id"]))
        for uid in deal.get("events", []):
            out.setdefault(("event", uid), int(deal["id"]))
    return out


def true_assignment(truth: Mapping[str, Any]) -> dict[Item, str | None]:
    out: dict[Item, str | None] = {}
    for key, label in truth.get("messages", {}).items():
        out[("message", _normalise_key(key))] = label.get("deal")
    for uid, label in truth.get("events", {}).items():
        out[("event", uid)] = label.get("deal")
    return out


def capture_score(kind: str, truth: Mapping[Item, str | None], predicted: Mapping[Item, int]) -> PRF:
    tp = fp = fn = 0
    for item, deal in truth.items():
        if item[0] != kind:
            continue
        linked = item in predicted
        tp += bool(deal) and linked
        fp += (not deal) and linked
        fn += bool(deal) and not linked
    return PRF.of(tp, fp, fn)


def pairwise_score(truth: Mapping[Item, str | None], predicted: Mapping[Item, int]) -> PRF:
    """Pairs of labelled items grouped together: by the truth, by the run, by both."""
    true_sizes: Counter[str] = Counter()
    pred_sizes: Counter[int] = Counter()
    both: Counter[tuple[str, int]] = Counter()
    for item, deal in truth.items():
        got = predicted.get(item)
        if deal:
            true_sizes[deal] += 1
        if got is not None:
            pred_sizes[got] += 1
        if deal and got is not None:
            both[(deal, got)] += 1
    tp = sum(comb(n, 2) for n in both.values())
    true_pairs = sum(comb(n, 2) for n in true_sizes.values())
    pred_pairs = sum(comb(n, 2) for n in pred_sizes.values())
    return PRF.of(tp, pred_pairs - tp, true_pairs - tp)


def _majorities(truth: Mapping[Item, str | None], predicted: Mapping[Item, int]) -> tuple[
        dict[int, str], dict[str, int]]:
    """Each created deal's majority true deal, and each true deal's best-holding created deal."""
    cells: Counter[tuple[str, int]] = Counter()
    for item, deal in truth.items():
        got = predicted.get(item)
        if deal and got is not None:
            cells[(deal, got)] += 1
    majority: dict[int, str] = {}
    holder: dict[str, int] = {}
    for (deal, got), _n in sorted(cells.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        majority.setdefault(got, deal)
        holder.setdefault(deal, got)
    return majority, holder


def _field_equal(name: str, expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and (got is None or got == "")
    if name == "company":
        return company_key(str(expected)) == company_key(str(got))
    if name == "value":
        return abs(float(got) - float(expected)) <= 0.01 * abs(float(expected))
    return str(expected).strip().lower() == str(got).strip().lower()


def _got(deal: Mapping[str, Any], name: str) -> Any:
    return deal.get("contact_email") if name == "contact" else deal.get(name)


def _expected(deal: Mapping[str, Any], name: str) -> Any:
    return deal.get("contact_email") if name == "contact" else deal.get(name)


def score_scenario(truth: Mapping[str, Any], exported: Sequence[Mapping[str, Any]]) -> ScenarioScore:
    """Scores `export_deals` output against a scenario's truth.json."""
    true_items = true_assignment(truth)
    predicted = predicted_assignment(exported)
    majority, holder = _majorities(true_items, predicted)
    per_true = Counter(majority.values())
    duplicates = sum(n - 1 for n in per_true.values() if n > 1)
    by_id = {int(d["id"]): d for d in exported}
    true_deals: Mapping[str, Mapping[str, Any]] = truth.get("deals", {})
    correct = Counter[str]()
    misses: list[FieldMiss] = []
    unmatched: list[str] = []
    for name, expected in sorted(true_deals.items()):
        got = by_id.get(holder.get(name, -1))
        if got is None:
            unmatched.append(name)
            continue
        for field_name in FIELDS:
            want, have = _expected(expected, field_name), _got(got, field_name)
            if _field_equal(field_name, want, have):
                correct[field_name] += 1
            else:
                misses.append(FieldMiss(name, field_name, want, have))
    total = len(true_deals) or 1
    return ScenarioScore(
        message_capture=capture_score("message", true_items, predicted),
        event_capture=capture_score("event", true_items, predicted),
        matching=pairwise_score(true_items, predicted),
        duplicate_deals=duplicates,
        fields={name: round(correct[name] / total, 4) for name in FIELDS},
        true_deals=len(true_deals),
        created_deals=len(exported),
        unmatched_true_deals=unmatched,
        misses=misses,
        unlabelled_linked=sum(1 for item in predicted if item not in true_items),
    )
