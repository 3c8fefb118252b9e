"""The shared .ics robustness set: valid files load, broken ones fail clearly, nothing crashes a batch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from vectoros_pipelines.calendars.parse import CalendarParseError, CalendarParseResult, parse_calendar
from vectoros_pipelines.calendars.sources import iter_calendar_items

ROBUSTNESS = SHARED_DATA / "calendar" / "ics-robustness"
ICAL4J = ROBUSTNESS / "ical4j_samples" / "src" / "test" / "resources" / "samples"
SCHEDULES = ROBUSTNESS / "real_event_schedules"
# Wide enough for the 1997 CalConnect samples and the 2024 MOCA camp alike.
WINDOW = {"window_start": datetime(1995, 1, 1, tzinfo=UTC), "window_end": datetime(2030, 1, 1, tzinfo=UTC)}

# ical4j's valid/ files whose only VEVENT has no DTSTART: they are fixtures for CATEGORIES
# and text escaping, not meetings. RFC 5545 requires DTSTART when there is no METHOD, so
# the event is reported (per-event error naming the file) while the file still loads.
VALID_WITHOUT_DTSTART = {"categories.ics", "mansour.ics"}

# ical4j's invalid/ files that its strict validator rejects (missing PRODID, lower-case
# names, bad GEO, sloppy RRULE parts…) but which still hold usable meetings; we load
# what is there on purpose, so these give events and no error.
INVALID_BUT_READABLE_MIN_EVENTS = {"CalendarDataFile.ics": 100, "OZMovies.ics": 100, "core.ics": 50, "lastfm.ics": 30}


def _files(folder: Path) -> list[Path]:
    if not folder.exists():
        pytest.skip(f"shared data missing: {folder}")
    return sorted(folder.glob("*.ics"))


def _parse(path: Path) -> CalendarParseResult:
    return parse_calendar(path.read_bytes(), source_name=path.name, **WINDOW)


@pytest.mark.parametrize("path", _files(ICAL4J / "valid"), ids=lambda p: p.name)
def test_every_valid_ical4j_file_parses(path: Path) -> None:
    result = _parse(path)  # never CalendarParseError for a valid file
    if path.name in VALID_WITHOUT_DTSTART:
        assert result.errors and all(f"'{path.name}'" in e and "DTSTART missing" in e for e in result.errors)
    else:
        assert result.errors == [], result.errors
    for event in result.events:
        assert event.uid
        assert event.starts_at.tzinfo is UTC
        assert event.ends_at is None or event.ends_at >= event.starts_at or event.ends_at.tzinfo is UTC


@pytest.mark.parametrize("path", _files(ICAL4J / "invalid"), ids=lambda p: p.name)
def test_every_invalid_ical4j_file_fails_clearly_or_loads_what_is_usable(path: Path) -> None:
    try:
        result = _parse(path)
    except CalendarParseError as error:
        assert str(error).startswith(f"cannot parse calendar '{path.name}': ")
        return
    assert all(error.startswith(f"cannot parse calendar '{path.name}': ") for error in result.errors)
    if path.name in INVALID_BUT_READABLE_MIN_EVENTS:
        assert len(result.events) >= INVALID_BUT_READABLE_MIN_EVENTS[path.name]


def test_known_broken_ical4j_files_are_reported() -> None:
    with pytest.raises(CalendarParseError, match=r"'boeing.ics': line 5: .*2006717T080000Z"):
        _parse(ICAL4J / "invalid" / "boeing.ics")  # a VFREEBUSY with 7-digit dates, no events
    for name in ("smallcluster.ics", "phpicalendar_sample.ics", "0.ics"):
        assert _parse(ICAL4J / "invalid" / name).errors, name


@pytest.mark.parametrize(
    "path", sorted((ROBUSTNESS / "python_icalendar_tests").rglob("*.ics")), ids=lambda p: p.name
)
def test_python_icalendar_suite_never_crashes(path: Path) -> None:
    """A mix of real files from bug reports and deliberately broken fuzz cases."""
    try:
        result = _parse(path)
    except CalendarParseError as error:
        # e.g. bare VALARM/VTODO fragments, fuzz cases, a UTC offset of +5744
        assert str(error).startswith(f"cannot parse calendar '{path.name}': ")
        return
    assert all(f"'{path.name}'" in error for error in result.errors)


def test_pycon_uk_2015_programme() -> None:
    result = _parse(SCHEDULES / "pyconuk2015_schedule.ics")
    assert result.errors == []
    assert len(result.events) == 162
    assert len({(e.uid, e.recurrence_id) for e in result.events}) == 162
    assert min(e.starts_at for e in result.events).date().isoformat() == "2015-09-18"


def test_moca_2024_programme_with_shared_uids_keeps_every_talk() -> None:
    """MOCA's export gives many talks one UID; each talk still becomes its own event."""
    result = _parse(SCHEDULES / "moca2024_schedule.ics")
    assert result.errors == []
    assert len(result.events) == 88
    assert len({(e.uid, e.recurrence_id) for e in result.events}) == 88
    assert any("shared by" in w for w in result.warnings)
    again = _parse(SCHEDULES / "moca2024_schedule.ics")
    assert sorted(e.uid for e in again.events) == sorted(e.uid for e in result.events)


def test_calendar_source_lists_every_ics_file_recursively() -> None:
    items = list(iter_calendar_items(ROBUSTNESS))
    assert len(items) == len(list(ROBUSTNESS.rglob("*.ics")))
    assert "real_event_schedules/moca2024_schedule.ics" in {item.locator for item in items}
    assert not any(item.locator.endswith((".jcal", ".html", ".txt")) for item in items)
