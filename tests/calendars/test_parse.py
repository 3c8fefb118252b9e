from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from vectoros_pipelines.calendars.parse import CalendarParseError, parse_calendar
from vectoros_pipelines.mail.message import Participant

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendar"
MARCH_2025 = {"window_start": datetime(2025, 3, 1, tzinfo=UTC), "window_end": datetime(2025, 5, 1, tzinfo=UTC)}


def _parse(name: str, **window: datetime):
    return parse_calendar((FIXTURES / name).read_bytes(), source_name=name, **(window or MARCH_2025))


def test_weekly_series_is_expanded_with_exdate_and_override() -> None:
    result = _parse("weekly_standup.ics")
    assert result.errors == []
    events = sorted(result.events, key=lambda e: e.starts_at)
    # COUNT=6 from 3 March, minus the EXDATE on 17 March; 24 March moved to 15:00.
    assert [e.starts_at for e in events] == [
        datetime(2025, 3, 3, 8, 30, tzinfo=UTC),
        datetime(2025, 3, 10, 8, 30, tzinfo=UTC),
        datetime(2025, 3, 24, 14, 0, tzinfo=UTC),
        datetime(2025, 3, 31, 7, 30, tzinfo=UTC),  # Berlin is on summer time from 30 March
        datetime(2025, 4, 7, 7, 30, tzinfo=UTC),
    ]
    assert {e.uid for e in events} == {"standup-42@vectoros.test"}
    # Each occurrence is keyed by its original start, so the moved one keeps its 09:30 slot as key.
    assert [e.recurrence_id for e in events] == [
        "2025-03-03T08:30:00+00:00",
        "2025-03-10T08:30:00+00:00",
        "2025-03-24T08:30:00+00:00",
        "2025-03-31T07:30:00+00:00",
        "2025-04-07T07:30:00+00:00",
    ]
    moved = events[2]
    assert moved.summary == "Weekly pipeline review (moved to the afternoon)"
    assert moved.ends_at == datetime(2025, 3, 24, 14, 30, tzinfo=UTC)
    assert moved.sequence == 1
    first = events[0]
    assert first.organizer == Participant(email="dana.seller@example.com", name="Dana Seller", role="organizer")
    assert first.attendees == [
        Participant(email="sam@customer.test", name="Sam Buyer", role="attendee"),
        Participant(email="lee@customer.test", name="Lee", role="attendee"),
    ]
    assert first.location == "Room 4" and first.status == "confirmed" and not first.all_day


def test_window_limits_the_occurrences() -> None:
    result = _parse("weekly_standup.ics", window_start=datetime(2025, 3, 9, tzinfo=UTC),
                    window_end=datetime(2025, 3, 25, tzinfo=UTC))
    assert len(result.events) == 2


def test_cancelled_all_day_floating_and_uidless_events() -> None:
    result = _parse("cancelled_and_all_day.ics")
    assert result.errors == []
    by_summary = {e.summary: e for e in result.events}
    assert by_summary["Demo call with Acme"].status == "cancelled"
    offsite = by_summary["Sales offsite"]
    assert offsite.all_day is True
    assert offsite.starts_at == datetime(2025, 3, 10, tzinfo=UTC)
    assert offsite.ends_at == datetime(2025, 3, 12, tzinfo=UTC)
    assert offsite.recurrence_id == ""
    lunch = by_summary["Lunch (floating time)"]
    assert lunch.starts_at == datetime(2025, 3, 6, 12, tzinfo=UTC)  # floating read as UTC by default
    assert lunch.ends_at == datetime(2025, 3, 6, 13, tzinfo=UTC)
    uidless = by_summary["Event without a UID"]
    assert uidless.uid.startswith("derived-")
    assert _parse("cancelled_and_all_day.ics").events[-1].uid == uidless.uid  # stable across parses
    assert all(e.starts_at.tzinfo is UTC for e in result.events)


def test_floating_times_can_be_read_in_the_owners_zone() -> None:
    from zoneinfo import ZoneInfo

    data = (FIXTURES / "cancelled_and_all_day.ics").read_bytes()
    result = parse_calendar(data, source_name="x.ics", floating_tz=ZoneInfo("America/New_York"), **MARCH_2025)
    lunch = next(e for e in result.events if e.summary.startswith("Lunch"))
    assert lunch.starts_at == datetime(2025, 3, 6, 17, tzinfo=UTC)


def test_event_missing_dtstart_is_skipped_with_an_error_naming_file_and_line() -> None:
    result = _parse("missing_dtstart.ics")
    assert [e.uid for e in result.events] == ["good@vectoros.test"]
    assert result.errors == [
        "cannot parse calendar 'missing_dtstart.ics': line 10: event 'broken@vectoros.test' skipped: DTSTART missing"
    ]


def test_a_broken_value_in_one_event_does_not_lose_the_others() -> None:
    data = (FIXTURES / "missing_dtstart.ics").read_text().replace(
        "DTEND:20250304T100000Z", "DTSTART:2025-13-45\nDTEND:20250304T100000Z"
    )
    result = parse_calendar(data.encode(), source_name="team.ics", **MARCH_2025)
    assert [e.uid for e in result.events] == ["good@vectoros.test"]
    assert len(result.errors) == 1
    assert result.errors[0].startswith("cannot parse calendar 'team.ics': line 10: event 'broken@vectoros.test'")
    assert "DTSTART" in result.errors[0]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"<html><body>not a calendar</body></html>", "no BEGIN:VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nX\r\nEND:VCALENDAR\r\n", "team.ics"),
    ],
)
def test_unreadable_file_raises_naming_file_and_problem(data: bytes, problem: str) -> None:
    with pytest.raises(CalendarParseError, match=problem) as caught:
        parse_calendar(data, source_name="team.ics", **MARCH_2025)
    assert str(caught.value).startswith("cannot parse calendar 'team.ics': ")


def test_runaway_rule_is_capped() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:tick\r\nDTSTART:20250301T000000Z\r\n"
        b"RRULE:FREQ=MINUTELY\r\nSUMMARY:tick\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = parse_calendar(data, source_name="tick.ics", **MARCH_2025)
    assert len(result.events) == 5_000
    assert any("only the first" in w for w in result.warnings)
