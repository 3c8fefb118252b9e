from __future__ import annotations

import pytest
from googleapiclient.http import HttpMockSequence

from tests.connectors.google_http import error, ok
from vectoros_pipelines.connectors.errors import RetriesExhausted
from vectoros_pipelines.connectors.quota import QuotaBudget
from vectoros_pipelines.connectors.retry import RetryPolicy, call_with_retry


def test_quota_waits_for_the_minute_to_roll_over_instead_of_overspending() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    budget = QuotaBudget(clock=lambda: now[0], sleep=sleep)
    for _ in range(60):  # 60 batches of 50 messages.get = 15,000 units
        budget.spend(250)
        now[0] += 0.5
    assert waits == []
    budget.spend(250)
    assert waits == [pytest.approx(30.0)]  # the first batch (t=0) leaves the window at t=60
    assert budget.spent_total == 15_250


def test_backoff_grows_exponentially_is_capped_and_gives_up() -> None:
    from googleapiclient.discovery import build

    responses = [error("gmail/error_429_rate_limit.json", 429)] * 4
    service = build("gmail", "v1", http=HttpMockSequence(responses), static_discovery=True)
    policy = RetryPolicy(max_attempts=4, max_delay_s=3.0, sleep=lambda s: None, random=lambda: 1.0)
    with pytest.raises(RetriesExhausted, match="429"):
        call_with_retry(lambda: service.users().getProfile(userId="me").execute(), policy, "getProfile")
    assert policy.slept == [1.0, 2.0, 3.0]


def test_retry_after_header_is_honoured() -> None:
    from googleapiclient.discovery import build

    limited = ({**error("gmail/error_429_rate_limit.json", 429)[0], "retry-after": "7"},
               error("gmail/error_429_rate_limit.json", 429)[1])
    service = build("gmail", "v1", http=HttpMockSequence([limited, ok("gmail/profile.json")]), static_discovery=True)
    policy = RetryPolicy(sleep=lambda s: None, random=lambda: 0.1)
    assert call_with_retry(lambda: service.users().getProfile(userId="me").execute(), policy, "p")["historyId"]
    assert policy.slept == [7.0]
