"""Real mail no one labelled as deals: the shipped extractor must stay quiet on a vendor's support list.

Measured on the late half of usrp-users, which training never sees (corpus.TRAIN_SHARE)."""

from collections import defaultdict

import pytest

from vectoros_pipelines.extraction.training.corpus import USRP_CONTEXT, USRP_TARBALL, usrp_messages

pytestmark = pytest.mark.skipif(not USRP_TARBALL.exists(), reason="shared data not present")


def test_usrp_users_false_positive_rate(extractor) -> None:
    items = usrp_messages("eval")
    results = extractor.extract_emails([i.email for i in items], USRP_CONTEXT)
    flagged = sum(r.is_deal_related for r in results)
    threads: dict[str, bool] = defaultdict(bool)
    for item, result in zip(items, results, strict=True):
        threads[item.email.thread_root or item.email.normalized_subject] |= result.confidence >= 0.8
    print(f"\nusrp-users (held-out half): {flagged}/{len(items)} messages deal-related ({flagged / len(items):.2%}); "
          f"{sum(threads.values())}/{len(threads)} threads with a message at confidence >= 0.8")
    assert flagged / len(items) <= 0.02
    assert sum(threads.values()) / len(threads) <= 0.01
