"""Google Calendar capture through Calendar API v3 `events.list` and sync tokens.

A full sync lists `singleEvents=True` (recurring series expanded into
instances) from `past_days` ago to `future_days` ahead and keeps the
`nextSyncToken`; later syncs send only the token and get every change,
cancellations included. Google answers 410 Gone when a token is no longer
valid: we drop it and list the window again. The window is fixed when the
token is issued, so a full resync also runs every `resync_days` to bring
meetings that have moved into the 90-day horizon.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from googleapiclient.errors import HttpError

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.connectors.google_event import to_event
from vectoros_pipelines.connectors.items import EventCancellation
from vectoros_pipelines.connectors.page import Cursor, Page, ProbeResult
from vectoros_pipelines.connectors.retry import RetryPolicy, call_with_retry, status_of

CalendarItem = ParsedEvent | EventCancellation


@dataclass(frozen=True)
class CalendarSettings:
    calendar_id: str = "primary"
    past_days: int = 30
    future_days: int = 90
    resync_days: int = 7
    page_size: int = 250


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class GoogleCalendarConnector:
    def __init__(
        self,
        service: Any,
        settings: CalendarSettings | None = None,
        retry: RetryPolicy | None = None,
        now: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.service = service
        self.settings = settings or CalendarSettings()
        self.retry = retry or RetryPolicy()
        self.now = now

    def probe(self, cursor: Cursor | None) -> ProbeResult:
        token = (cursor or {}).get("sync_token")
        if not token:
            return ProbeResult(True, "never synced: full window sync due")
        if self._resync_due(cursor or {}):
            return ProbeResult(True, f"window older than {self.settings.resync_days} days: full resync due")
        try:
            response = self._list(syncToken=token, maxResults=1)
        except HttpError as exc:
            if status_of(exc) == 410:
                return ProbeResult(True, "sync token expired (410 Gone): full resync due")
            raise
        if response.get("items") or response.get("nextPageToken"):
            return ProbeResult(True, "calendar has changes since the last sync token")
        return ProbeResult(False, "no change since the last sync token")

    def pages(self, cursor: Cursor | None) -> Iterator[Page[CalendarItem]]:
        token = (cursor or {}).get("sync_token")
        note = None
        if token and not self._resync_due(cursor or {}):
            try:
                yield from self._walk({"syncToken": token}, {"window_start": (cursor or {}).get("window_start"),
                                                             "window_synced_at": (cursor or {}).get("window_synced_at")},
                                      "incremental from sync token")
                return
            except HttpError as exc:
                if status_of(exc) != 410:
                    raise
                note = "sync token expired (410 Gone): cleared, full window resync"
        elif token:
            note = f"periodic full resync (window older than {self.settings.resync_days} days)"
        now = self.now()
        start = now - timedelta(days=self.settings.past_days)
        params = {
            "timeMin": _rfc3339(start),
            "timeMax": _rfc3339(now + timedelta(days=self.settings.future_days)),
        }
        yield from self._walk(params, {"window_start": start.isoformat(), "window_synced_at": now.isoformat()},
                              note or f"first sync: {self.settings.past_days} days back, {self.settings.future_days} ahead")

    def _walk(self, params: dict[str, Any], cursor_extra: dict[str, Any], note: str) -> Iterator[Page[CalendarItem]]:
        page_token: str | None = None
        first = True
        while True:
            response = self._list(pageToken=page_token, maxResults=self.settings.page_size, **params)
            items: list[CalendarItem] = []
            failures: list[str] = []
            for resource in response.get("items", []):
                try:
                    items.append(to_event(resource))
                except (KeyError, ValueError) as exc:
                    failures.append(f"event {resource.get('id')!r}: {exc}")
            page_token = response.get("nextPageToken")
            sync_token = response.get("nextSyncToken")
            # The sync token comes only with the last page; resuming mid-listing is not
            # possible (page tokens expire), so earlier pages keep the old cursor.
            cursor = {"sync_token": sync_token, **cursor_extra} if sync_token else None
            yield Page(items=items, cursor=cursor, provider_total=len(response.get("items", [])),
                       failures=failures, note=note if first else None)
            first = False
            if not page_token:
                return

    def _list(self, **params: Any) -> dict[str, Any]:
        request = self.service.events().list(
            calendarId=self.settings.calendar_id, singleEvents=True,
            **{k: v for k, v in params.items() if v is not None},
        )
        result: dict[str, Any] = call_with_retry(
            lambda: request.execute(num_retries=0), self.retry, "Google Calendar events.list"
        )
        return result

    def _resync_due(self, cursor: Cursor) -> bool:
        synced = cursor.get("window_synced_at")
        if not synced:
            return False
        return self.now() - datetime.fromisoformat(synced) > timedelta(days=self.settings.resync_days)
