"""Extractor-only throughput on real mail: LocalExtractor over Enron inbox messages (parsing not timed).

    python benchmarks/extract_speed.py [--messages 5000] [--batch 500]
"""

from __future__ import annotations

import argparse
import time

from vectoros_pipelines.extraction.local import LocalExtractor
from vectoros_pipelines.extraction.training.corpus import ENRON_CONTEXT, enron_messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    emails = [item.email for item in enron_messages("all", every=4, limit=args.messages)]
    extractor = LocalExtractor()
    extractor.extract_emails(emails[:50], ENRON_CONTEXT)  # warm caches and lazy imports
    started = time.perf_counter()
    flagged = 0
    for i in range(0, len(emails), args.batch):
        flagged += sum(r.is_deal_related for r in extractor.extract_emails(emails[i: i + args.batch], ENRON_CONTEXT))
    elapsed = time.perf_counter() - started
    body_kb = sum(len(e.body_text) for e in emails) / len(emails) / 1000
    print(f"LocalExtractor {extractor.version}: {len(emails)} Enron messages (mean body {body_kb:.1f} kB) "
          f"in {elapsed:.2f}s = {len(emails) / elapsed:.0f} msgs/s; deal-related {flagged} ({flagged / len(emails):.1%})")
    one = emails[0]
    started = time.perf_counter()
    for _ in range(200):
        extractor.extract_email(one, ENRON_CONTEXT)
    print(f"one at a time: {200 / (time.perf_counter() - started):.0f} msgs/s")


if __name__ == "__main__":
    main()
