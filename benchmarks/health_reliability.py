"""Health model on Maven: trained on deals closed before 2017-09-01, scored on those closed after.

    python benchmarks/health_reliability.py [../shared/data/crm/maven]

Each test deal is scored on the first day the trained model could have scored it:
the cutoff, or the day it opened if later. Prints the Brier score against always
predicting the training base rate (and the test's own base rate, which nobody
could have known), and a reliability table.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import numpy as np

from vectoros_pipelines.crm.parse import parse_many
from vectoros_pipelines.scoring.features import build_features, workspace_context
from vectoros_pipelines.scoring.model import train, training_rows
from vectoros_pipelines.scoring.train_prior import DEFAULT_DATA, records_from_crm

CUTOFF = datetime(2017, 9, 1)


def main(data: Path = DEFAULT_DATA) -> dict[str, float]:
    deals = records_from_crm(parse_many([data], "maven").deals)
    train_deals = [d for d in deals if d.status != "open" and d.closed_on is not None and d.closed_on < CUTOFF]
    test_deals = [d for d in deals if d.status != "open" and d.closed_on is not None and d.closed_on >= CUTOFF
                  and d.known_since is not None]
    rows, labels = training_rows(train_deals, {}, deals, CUTOFF)
    model = train(rows, labels, version="benchmark", deals=len(train_deals))
    context = workspace_context(deals, CUTOFF)  # outcomes after the cutoff are not in it
    test_rows = [build_features(d, (), max(d.known_since or CUTOFF, CUTOFF), context) for d in test_deals]
    p = model.predict(test_rows)
    y = np.array([int(d.status == "won") for d in test_deals])
    base_train = float(np.mean([d.status == "won" for d in train_deals]))
    brier = float(np.mean((p - y) ** 2))
    brier_base = float(np.mean((base_train - y) ** 2))
    brier_oracle = float(np.mean((y.mean() - y) ** 2))
    print(f"train: {len(train_deals)} deals closed before {CUTOFF:%Y-%m-%d} (win rate {base_train:.3f}); "
          f"test: {len(test_deals)} closed after (win rate {y.mean():.3f})")
    print(f"Brier model {brier:.4f} | base rate (train {base_train:.3f}) {brier_base:.4f} | "
          f"test's own base rate {brier_oracle:.4f} | model ≤ base: {brier <= brier_base}")
    print("\nreliability (deciles of predicted probability)")
    print(f"{'bin':>13} {'deals':>6} {'mean p':>7} {'won':>7}")
    edges = np.quantile(p, np.linspace(0, 1, 11))
    bins = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, 9)
    for b in range(10):
        mask = bins == b
        if mask.any():
            print(f"{edges[b]:.3f}–{edges[b + 1]:.3f} {mask.sum():>6} {p[mask].mean():>7.3f} {y[mask].mean():>7.3f}")
    return {"brier": brier, "brier_base": brier_base, "brier_test_base": brier_oracle}


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA)
