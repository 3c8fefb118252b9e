"""Turns a Calendar API v3 event resource into a ParsedEvent (or a cancellation).

Keys follow ParsedEvent's contract: `uid` is the series id (recurringEventId)
for instances and the event id otherwise, and `recurrence_id` is the
instance's original start in UTC ISO. We key on Google's ids rather than
iCalUID because a deleted event comes back as only `{"id", "status"}`, and the
cancellation has to land on the row the event was stored under.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.connectors.items import EventCancellation
from vectoros_pipelines.mail.message import Participant

# Instance ids look like "<series id>_20261120T150000Z" (or "_20261120" for all-day series).
_INSTANCE_ID = re.compile(r"^(?P<series>.+)_(?P<start>\d{8}(T\d{6}Z)?)$")


def parse_google_time(value: dict[str, Any]) -> tuple[datetime, bool]:
    """`{"dateTime": RFC3339}` or `{"date": "YYYY-MM-DD"}` → (UTC datetime, all_day)."""
    if value.get("dateTime"):
        moment = datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
        if moment.tzinfo is None:  # only when the event carries a separate timeZone; treat as UTC
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC), False
    day = date.fromisoformat(str(value["date"]))
    return datetime.combine(day, time.min, tzinfo=UTC), True


def _instance_id(start: str) -> str:
    if "T" in start:
        return datetime.strptime(start, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).isoformat()
    return datetime.combine(datetime.strptime(start, "%Y%m%d").date(), time.min, tzinfo=UTC).isoformat()


def event_key(resource: dict[str, Any]) -> tuple[str, str]:
    event_id = str(resource["id"])
    series = resource.get("recurringEventId")
    original = resource.get("originalStartTime")
    if series and original:
        return str(series), parse_google_time(original)[0].isoformat()
    match = _INSTANCE_ID.match(event_id)
    if match:
        return match["series"], _instance_id(match["start"])
    return event_id, ""


def _person(entry: dict[str, Any] | None, role: str) -> Participant | None:
    if not entry or not entry.get("email"):
        return None
    return Participant(email=str(entry["email"]).lower(), name=entry.get("displayName"), role=role)


def to_event(resource: dict[str, Any]) -> ParsedEvent | EventCancellation:
    uid, recurrence_id = event_key(resource)
    status = str(resource.get("status") or "confirmed")
    if "start" not in resource:
        if status != "cancelled":
            raise ValueError(f"event {resource.get('id')!r} has no start and is not cancelled")
        return EventCancellation(uid=uid, recurrence_id=recurrence_id)
    starts_at, all_day = parse_google_time(resource["start"])
    ends_at = parse_google_time(resource["end"])[0] if resource.get("end") else None
    attendees = [
        person
        for entry in resource.get("attendees") or []
        if not entry.get("resource")  # meeting rooms are not people
        and (person := _person(entry, "optional" if entry.get("optional") else "attendee")) is not None
    ]
    updated = resource.get("updated")
    return ParsedEvent(
        uid=uid,
        recurrence_id=recurrence_id,
        summary=str(resource.get("summary") or ""),
        description=str(resource.get("description") or ""),
        location=resource.get("location"),
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        status=status,
        organizer=_person(resource.get("organizer"), "organizer"),
        attendees=attendees,
        sequence=int(resource.get("sequence") or 0),
        last_modified=datetime.fromisoformat(updated.replace("Z", "+00:00")) if updated else None,
    )
