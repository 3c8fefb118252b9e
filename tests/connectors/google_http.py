"""Recorded Google API responses served through googleapiclient's HttpMockSequence."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path
from typing import Any

from googleapiclient.http import HttpMockSequence

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.connectors.items import EventCancellation, RawMessage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "google"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
JSON_HEADERS = {"content-type": "application/json; charset=UTF-8"}
REASONS = {200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 410: "Gone", 429: "Too Many Requests",
           500: "Internal Server Error", 503: "Service Unavailable"}

Response = tuple[dict[str, str], str]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def ok(name: str) -> Response:
    return {"status": "200", **JSON_HEADERS}, fixture(name)


def error(name: str, status: int) -> Response:
    return {"status": str(status), **JSON_HEADERS}, fixture(name)


def message_body(message_id: str, *, as_id: str | None = None) -> str:
    """A recorded messages.get format=raw answer, optionally re-keyed to another id."""
    resource = json.loads(fixture(f"gmail/message_{message_id}.json"))
    if as_id:
        resource["id"] = as_id
    return json.dumps(resource)


def batch(parts: Sequence[tuple[str, int, str]]) -> Response:
    """A multipart/mixed batch answer as Gmail sends it: one application/http part per request id.

    Parts are (request id, HTTP status, JSON body); Content-IDs echo the request's as `<response-… + id>`.
    """
    boundary = "batch_7Lq2AhDk3xVBr0Wn_AAXEdw9c"
    chunks = []
    for request_id, status, body in parts:
        chunks.append(
            f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <response-0d6b2c1e + {request_id}>\r\n\r\n"
            f"HTTP/1.1 {status} {REASONS[status]}\r\nContent-Type: application/json; charset=UTF-8\r\n"
            f"Vary: Origin\r\nVary: X-Origin\r\n\r\n{body}\r\n"
        )
    return {"status": "200", "content-type": f"multipart/mixed; boundary={boundary}"}, "".join(chunks) + f"--{boundary}--\r\n"


def messages_batch(*message_ids: str) -> Response:
    return batch([(mid, 200, message_body(mid)) for mid in message_ids])


class RecordingHttp(HttpMockSequence):
    """HttpMockSequence that also fails loudly when the code makes more calls than recorded."""

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, redirections: int = 1,
                connection_type: Any = None) -> Any:
        if not self._iterable:
            raise AssertionError(f"unexpected extra request: {method} {uri}")
        return super().request(uri, method, body, headers, redirections, connection_type)

    @property
    def uris(self) -> list[str]:
        return [uri for uri, *_ in self.request_sequence]

    def batch_bodies(self) -> list[str]:
        return [body for uri, _m, body, _h in self.request_sequence if uri.endswith("/batch") or "/batch/" in uri]


def google_token(expired: bool = False, scopes: Sequence[str] = ("https://www.googleapis.com/auth/gmail.readonly",)
                 ) -> dict[str, Any]:
    return {
        "token": "ya29.a0AfB_byOriginalAccessToken",
        "refresh_token": "1//0gXk7R2pqZt4dCgYIARAAGBASNwF-L9IrRefreshToken",
        "token_uri": "https://oauth2.googleapis.com/token",
        "client_id": "871263540912-abc123def456.apps.googleusercontent.com",
        "client_secret": "GOCSPX-test-secret",
        "scopes": list(scopes),
        "expiry": "2020-01-01T00:00:00Z" if expired else "2099-01-01T00:00:00Z",
    }


class Counts:
    def __init__(self) -> None:
        self.new = 0
        self.updated = 0
        self.quarantined = 0


class MailSink:
    """In-memory stand-in for capture_store.store_emails: one row per Message-ID."""

    def __init__(self) -> None:
        self.rows: dict[str, RawMessage] = {}
        self.calls = 0

    def __call__(self, conn: Any, items: Sequence[RawMessage]) -> Counts:
        self.calls += 1
        counts = Counts()
        for item in items:
            key = str(message_from_bytes(item.raw)["Message-ID"]).strip("<>")
            if key in self.rows:
                counts.updated += 1
            else:
                counts.new += 1
            self.rows[key] = item
        return counts


class EventSink:
    """In-memory stand-in for capture_store.store_events: one row per (uid, recurrence_id)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], ParsedEvent] = {}
        self.cancelled_unknown: list[tuple[str, str]] = []

    def __call__(self, conn: Any, items: Sequence[ParsedEvent | EventCancellation]) -> Counts:
        counts = Counts()
        for item in items:
            key = (item.uid, item.recurrence_id)
            if isinstance(item, EventCancellation):
                if key in self.rows:
                    self.rows[key].status = "cancelled"
                    counts.updated += 1
                else:
                    self.cancelled_unknown.append(key)
                continue
            counts.updated += key in self.rows
            counts.new += key not in self.rows
            self.rows[key] = item
        return counts
