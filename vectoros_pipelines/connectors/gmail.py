"""Gmail capture through the Gmail API v1: a time window first, then history-based increments.

First sync lists the last `window_days` with `messages.list q=after:<epoch>`
and remembers the mailbox `historyId` read *before* listing, so mail arriving
during a long first sync is picked up by the next increment. Later syncs read
`users.history.list` from that id; Gmail keeps history for about a week and
answers 404 for an older id, in which case we redo the window (the store is
idempotent, so overlap costs quota, not duplicates).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from googleapiclient.errors import HttpError

from vectoros_pipelines.connectors.errors import ReauthRequired, RetriesExhausted
from vectoros_pipelines.connectors.items import RawMessage
from vectoros_pipelines.connectors.page import Cursor, Page, ProbeResult
from vectoros_pipelines.connectors.quota import GMAIL_UNITS, QuotaBudget
from vectoros_pipelines.connectors.retry import (
    RetryPolicy,
    call_with_retry,
    describe,
    is_auth_failure,
    is_retryable,
    retry_after_seconds,
    status_of,
)

MAX_BATCH = 50  # Gmail recommends ≤ 50 requests per batch; larger batches get rate-limited


@dataclass(frozen=True)
class GmailSettings:
    window_days: int = 30
    batch_size: int = MAX_BATCH
    list_page_size: int = 500
    user_id: str = "me"
    # Drafts are not activity yet; spam and trash are not business mail.
    skip_labels: frozenset[str] = field(default_factory=lambda: frozenset({"DRAFT", "SPAM", "TRASH"}))


def _utcnow() -> datetime:
    return datetime.now(UTC)


def decode_raw(value: str) -> bytes:
    """Gmail's `raw` is base64url, sometimes without padding."""
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _raw_message(resource: dict[str, Any]) -> RawMessage:
    internal = resource.get("internalDate")
    return RawMessage(
        source_id=str(resource["id"]),
        raw=decode_raw(resource["raw"]),
        labels=tuple(resource.get("labelIds") or ()),
        thread_id=resource.get("threadId"),
        received_at=datetime.fromtimestamp(int(internal) / 1000, UTC) if internal else None,
    )


@dataclass
class _Fetched:
    messages: list[RawMessage]
    vanished: int
    skipped: int
    failures: list[str]


class GmailConnector:
    """Yields pages of raw Gmail messages (≤ batch_size each) and the historyId to resume from."""

    def __init__(
        self,
        service: Any,
        settings: GmailSettings | None = None,
        retry: RetryPolicy | None = None,
        quota: QuotaBudget | None = None,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.service = service
        self.settings = settings or GmailSettings()
        if not 1 <= self.settings.batch_size <= MAX_BATCH:
            raise ValueError(f"Gmail batch size must be 1..{MAX_BATCH}, got {self.settings.batch_size}")
        self.retry = retry or RetryPolicy()
        self.quota = quota or QuotaBudget()
        self.now = now

    # -- cheap check for sensors -------------------------------------------------

    def probe(self, cursor: Cursor | None) -> ProbeResult:
        known = (cursor or {}).get("history_id")
        if not known:
            return ProbeResult(True, "never synced: first window sync due")
        current = self._profile()["historyId"]
        if int(current) <= int(known):
            return ProbeResult(False, f"history id unchanged ({known})")
        try:
            response = self._execute(
                "users.history.list",
                self.service.users().history().list(
                    userId=self.settings.user_id, startHistoryId=known, historyTypes=["messageAdded"], maxResults=1
                ),
            )
        except HttpError as exc:
            if status_of(exc) == 404:
                return ProbeResult(True, f"history id {known} expired: full window resync due")
            raise
        if response.get("history"):
            return ProbeResult(True, f"new messages since history id {known}")
        return ProbeResult(False, f"mailbox changed ({known} → {current}) but no message was added")

    def account_address(self) -> str:
        return str(self._profile()["emailAddress"])

    # -- sync -------------------------------------------------------------------

    def pages(self, cursor: Cursor | None) -> Iterator[Page[RawMessage]]:
        known = (cursor or {}).get("history_id")
        note = None
        if known:
            try:
                yield from self._incremental(str(known))
                return
            except HttpError as exc:
                if status_of(exc) != 404:
                    raise
                note = f"history id {known} expired (Gmail answered 404): full {self.settings.window_days}-day resync"
        yield from self._window(note)

    def _window(self, note: str | None) -> Iterator[Page[RawMessage]]:
        # Read the history id first: anything that arrives while we list is after it.
        history_id = str(self._profile()["historyId"])
        since = self.now() - timedelta(days=self.settings.window_days)
        query = f"after:{int(since.timestamp())} -in:drafts"
        ids: list[str] = []
        token: str | None = None
        while True:
            response = self._execute(
                "users.messages.list",
                self.service.users().messages().list(
                    userId=self.settings.user_id, q=query, maxResults=self.settings.list_page_size, pageToken=token
                ),
            )
            ids.extend(m["id"] for m in response.get("messages", []))
            token = response.get("nextPageToken")
            if not token:
                break
        cursor = {"history_id": history_id, "window_synced_at": self.now().isoformat()}
        yield from self._fetch_pages(_unique(ids), cursor, note or f"first sync: last {self.settings.window_days} days")

    def _incremental(self, start: str) -> Iterator[Page[RawMessage]]:
        ids: list[str] = []
        skipped_early = 0
        token: str | None = None
        latest = start
        while True:
            response = self._execute(
                "users.history.list",
                self.service.users().history().list(
                    userId=self.settings.user_id, startHistoryId=start, historyTypes=["messageAdded"],
                    pageToken=token,
                ),
            )
            for record in response.get("history", []):
                for added in record.get("messagesAdded", []):
                    message = added["message"]
                    if self.settings.skip_labels & set(message.get("labelIds") or ()):
                        skipped_early += 1
                        continue
                    ids.append(message["id"])
            latest = str(response.get("historyId") or latest)
            token = response.get("nextPageToken")
            if not token:
                break
        cursor = {"history_id": latest}
        yield from self._fetch_pages(_unique(ids), cursor, f"incremental from history id {start}")

    def _fetch_pages(self, ids: list[str], cursor: Cursor, note: str) -> Iterator[Page[RawMessage]]:
        chunks = [ids[i : i + self.settings.batch_size] for i in range(0, len(ids), self.settings.batch_size)]
        if not chunks:
            yield Page(items=[], cursor=cursor, note=note)
            return
        for index, chunk in enumerate(chunks):
            fetched = self.fetch_raw(chunk)
            last = index == len(chunks) - 1
            yield Page(
                items=fetched.messages,
                cursor=cursor if last else None,
                # Skipped drafts/spam are not something we promised to capture.
                provider_total=len(chunk) - fetched.skipped,
                vanished=fetched.vanished,
                failures=fetched.failures,
                note=note if index == 0 else None,
            )

    def fetch_raw(self, ids: Sequence[str]) -> _Fetched:
        """messages.get format=raw for up to `batch_size` ids in one batch request.

        Parts that fail with a rate-limit or 5xx are retried in a smaller batch after
        a backoff; a 404 means the message was deleted after it was listed.
        """
        if len(ids) > self.settings.batch_size:
            raise ValueError(f"at most {self.settings.batch_size} ids per batch, got {len(ids)}")
        done: dict[str, RawMessage] = {}
        vanished = skipped = 0
        failures: list[str] = []
        pending = list(ids)
        for attempt in range(self.retry.max_attempts):
            errors: dict[str, HttpError] = {}

            def collect(request_id: str, response: Any, exception: HttpError | None,
                        errors: dict[str, HttpError] = errors) -> None:
                if exception is not None:
                    errors[request_id] = exception
                else:
                    done[request_id] = _raw_message(response)

            batch = self.service.new_batch_http_request(callback=collect)
            for message_id in pending:
                batch.add(
                    self.service.users().messages().get(userId=self.settings.user_id, id=message_id, format="raw"),
                    request_id=message_id,
                )
            self.quota.spend(GMAIL_UNITS["users.messages.get"] * len(pending))
            call_with_retry(batch.execute, self.retry, f"Gmail batch of {len(pending)} messages.get")
            retry_ids: list[str] = []
            retry_after: float | None = None
            for message_id, error in errors.items():
                if is_auth_failure(error):
                    raise ReauthRequired(f"Gmail messages.get {message_id}: {describe(error)}") from error
                if status_of(error) == 404:
                    vanished += 1
                elif is_retryable(error):
                    retry_ids.append(message_id)
                    retry_after = max(retry_after or 0.0, retry_after_seconds(error) or 0.0) or None
                else:
                    failures.append(f"{message_id}: {describe(error)}")
            if not retry_ids:
                break
            if attempt == self.retry.max_attempts - 1:
                raise RetriesExhausted(
                    f"Gmail messages.get still rate-limited after {self.retry.max_attempts} attempts "
                    f"for {len(retry_ids)} messages"
                )
            self.retry.wait(attempt, retry_after)
            pending = retry_ids
        messages = []
        for message_id in ids:
            message = done.get(message_id)
            if message is None:
                continue
            if self.settings.skip_labels & set(message.labels):
                skipped += 1
                continue
            messages.append(message)
        return _Fetched(messages=messages, vanished=vanished, skipped=skipped, failures=failures)

    # -- plumbing ---------------------------------------------------------------

    def _profile(self) -> dict[str, Any]:
        return self._execute("users.getProfile", self.service.users().getProfile(userId=self.settings.user_id))

    def _execute(self, method: str, request: Any) -> dict[str, Any]:
        self.quota.spend(GMAIL_UNITS[method])
        result: dict[str, Any] = call_with_retry(lambda: request.execute(num_retries=0), self.retry, f"Gmail {method}")
        return result


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))
