"""Renders the team calendar as one iCalendar file (VEVENTs plus the VTIMEZONEs they use)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from vectoros_pipelines.demo.model import Event, Person, Workspace


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def render_calendar(workspace: Workspace, events: list[Event]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//VectorOS demo generator//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{workspace.name} - sales team")
    cal.add("x-wr-timezone", workspace.timezone)
    # DTSTAMP is "when this copy was exported": fixed to as_of so output is reproducible.
    stamp = workspace.as_of.astimezone(ZoneInfo("UTC"))
    for event in events:
        vevent = VEvent()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.start + timedelta(minutes=event.minutes))
        vevent.add("summary", event.summary)
        if event.description:
            vevent.add("description", event.description)
        if event.location:
            vevent.add("location", event.location)
        vevent.add("organizer", _address(event.organizer))
        for person in event.attendees:
            partstat = "DECLINED" if person.email in event.declined else "ACCEPTED"
            if person.email == event.organizer.email:
                partstat = "ACCEPTED"
            vevent.add(
                "attendee",
                _address(
                    person, CUTYPE="INDIVIDUAL", ROLE="REQ-PARTICIPANT", PARTSTAT=partstat, RSVP="FALSE"
                ),
            )
        if event.created is not None:
            created = event.created.astimezone(ZoneInfo("UTC"))
            vevent.add("created", created)
            modified = created + timedelta(days=1) if event.sequence else created
            vevent.add("last-modified", min(modified, stamp))
        vevent.add("sequence", event.sequence)
        vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        vevent.add("transp", "OPAQUE")
        if event.rrule:
            vevent.add("rrule", event.rrule)
        for exdate in event.exdates:
            vevent.add("exdate", exdate)
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


def as_utc(dt: datetime) -> datetime:
    return dt.astimezone(ZoneInfo("UTC"))
