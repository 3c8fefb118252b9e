"""Exponential backoff with full jitter for Google API calls.

Google asks clients to retry 429, 5xx and 403 rate-limit answers with
exponential backoff; jitter keeps many workspaces from retrying in lockstep.
`sleep` and `random` are injectable so tests run instantly and deterministically.
"""

from __future__ import annotations

import json
import random as _random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httplib2
from google.auth.exceptions import RefreshError
from googleapiclient.errors import HttpError

from vectoros_pipelines.connectors.errors import ReauthRequired, RetriesExhausted

R = TypeVar("R")

RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "backendError"})
# These 403 reasons mean "your grant does not allow this", which waiting will not fix.
AUTH_REASONS = frozenset({"insufficientPermissions", "authError", "forbidden"})


@dataclass
class RetryPolicy:
    max_attempts: int = 6
    base_delay_s: float = 1.0
    max_delay_s: float = 64.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = _random.random
    slept: list[float] = field(default_factory=list)  # what we waited, for sync metadata and tests

    def delay(self, attempt: int, retry_after_s: float | None = None) -> float:
        """Full jitter: uniform in [0, min(cap, base·2^attempt)], but never less than Retry-After."""
        ceiling = min(self.max_delay_s, self.base_delay_s * (2**attempt))
        wait = ceiling * self.random()
        return max(wait, retry_after_s or 0.0)

    def wait(self, attempt: int, retry_after_s: float | None = None) -> None:
        seconds = self.delay(attempt, retry_after_s)
        self.slept.append(seconds)
        self.sleep(seconds)


def error_reason(error: HttpError) -> str:
    """The first `errors[].reason` (or `status`) of a Google error body, '' if there is none."""
    try:
        body = json.loads(error.content.decode("utf-8") if isinstance(error.content, bytes) else error.content)
    except (ValueError, AttributeError):
        return ""
    detail = body.get("error") if isinstance(body, dict) else None
    if not isinstance(detail, dict):
        return ""
    errors = detail.get("errors") or []
    if errors and isinstance(errors[0], dict) and errors[0].get("reason"):
        return str(errors[0]["reason"])
    return str(detail.get("status") or "")


def status_of(error: HttpError) -> int:
    return int(error.resp.status)


def is_retryable(error: BaseException) -> bool:
    if isinstance(error, HttpError):
        status = status_of(error)
        if status == 429 or status >= 500:
            return True
        return status == 403 and error_reason(error) in RATE_LIMIT_REASONS
    return isinstance(error, (socket.timeout, ConnectionError, httplib2.HttpLib2Error, TimeoutError))


def is_auth_failure(error: BaseException) -> bool:
    if isinstance(error, RefreshError):
        return True
    if isinstance(error, HttpError):
        status = status_of(error)
        return status == 401 or (status == 403 and error_reason(error) in AUTH_REASONS)
    return False


def retry_after_seconds(error: BaseException) -> float | None:
    if isinstance(error, HttpError):
        value = error.resp.get("retry-after")
        if value and str(value).isdigit():
            return float(value)
    return None


def call_with_retry(call: Callable[[], R], policy: RetryPolicy, what: str) -> R:
    """Runs `call`, retrying transient failures; auth failures become ReauthRequired at once."""
    for attempt in range(policy.max_attempts):
        try:
            return call()
        except Exception as exc:
            if is_auth_failure(exc):
                raise ReauthRequired(f"{what}: {describe(exc)}") from exc
            if not is_retryable(exc) or attempt == policy.max_attempts - 1:
                if is_retryable(exc):
                    raise RetriesExhausted(f"{what}: gave up after {policy.max_attempts} attempts: {describe(exc)}") from exc
                raise
            policy.wait(attempt, retry_after_seconds(exc))
    raise AssertionError("unreachable")  # the loop either returns or raises


def describe(error: BaseException) -> str:
    if isinstance(error, HttpError):
        reason = error_reason(error)
        return f"HTTP {status_of(error)}{' ' + reason if reason else ''}: {error._get_reason()}"
    return f"{type(error).__name__}: {error}"
