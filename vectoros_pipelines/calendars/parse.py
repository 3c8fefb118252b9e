""".ics bytes → event occurrences within a time window.

Calendar exports are often damaged in one place: a bad date in one event, a blank
TZID, a stray line. One bad VEVENT is skipped with an error naming the file, the
line and the problem; only a file that is not a calendar at all (or where nothing
can be salvaged) raises CalendarParseError.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import icalendar
import recurring_ical_events

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.mail.message import Participant

# A FREQ=MINUTELY rule over a multi-year window would otherwise produce millions of rows.
MAX_OCCURRENCES_PER_SERIES = 5_000

# Properties without which an event cannot be placed in time; other broken properties
# are dropped and the event kept.
_ESSENTIAL = frozenset({"DTSTART", "RRULE", "RECURRENCE-ID", "UID"})
_STATUSES = {"CONFIRMED": "confirmed", "TENTATIVE": "tentative", "CANCELLED": "cancelled", "CANCELED": "cancelled"}
_BEGIN = re.compile(r"^BEGIN:(\w[\w-]*)\s*$", re.I)
_END = re.compile(r"^END:(\w[\w-]*)\s*$", re.I)
_BARE_CALENDAR = re.compile(r"^BEGIN:VCALENDAR\s*$", re.I | re.M)
_BARE_COMPONENT = re.compile(r"\A\s*BEGIN:(?:VEVENT|VTIMEZONE|VTODO|VJOURNAL|VFREEBUSY|VAVAILABILITY)\s*$", re.I | re.M)
# iTIP messages that talk about an event rather than carry it: no DTSTART is normal there.
_ITIP_WITHOUT_EVENT = frozenset({"REPLY", "REFRESH", "COUNTER", "DECLINECOUNTER", "CANCEL"})
_TOKEN = re.compile(r"(?:got:?|format:|found:?|:)\s*'?([^'\s][^']*?)'?\s*$", re.I)


class CalendarParseError(ValueError):
    """The file as a whole is not a readable calendar; the message names file and problem."""


@dataclass(slots=True)
class CalendarParseResult:
    """Occurrences that parsed, plus one message per event that had to be skipped.

    `warnings` are defects worked around without losing an event (a broken GEO, a
    guessed time zone); `errors` each stand for an event that was not loaded.
    """

    events: list[ParsedEvent]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Block:
    """One VEVENT as found in the file, with where it starts for error messages."""

    component: icalendar.Component
    line: int | None
    method: str = ""  # the iTIP METHOD of the enclosing VCALENDAR (REQUEST, REPLY, CANCEL…)


def parse_calendar(
    data: bytes,
    *,
    source_name: str,
    window_start: datetime,
    window_end: datetime,
    floating_tz: tzinfo = UTC,
) -> CalendarParseResult:
    """Events of one .ics file occurring in [window_start, window_end), recurring series expanded.

    Floating times (no zone) are read in `floating_tz` (UTC unless the caller knows the
    calendar owner's zone). Raises CalendarParseError only for an unreadable file.
    """
    problems = _Problems(source_name)
    text = _decode(data, problems)
    if not _BARE_CALENDAR.search(text):
        if not _BARE_COMPONENT.search(text):
            raise problems.fatal(None, "not an iCalendar file (no BEGIN:VCALENDAR)")
        # Some tools save a lone VEVENT (or VTIMEZONE + VEVENT) without the VCALENDAR wrapper.
        problems.warn(None, "no VCALENDAR wrapper; read as one calendar")
        text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//VectorOS//wrapped//EN\r\n{text.strip()}\r\nEND:VCALENDAR\r\n"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        blocks = _read_blocks(text, problems)
        events = list(_occurrences(blocks, window_start, window_end, floating_tz, problems))
    for warning in caught:
        problems.warn(None, str(warning.message))
    return CalendarParseResult(events=events, errors=problems.errors, warnings=list(dict.fromkeys(problems.warnings)))


# --- reading -------------------------------------------------------------------------


class _Problems:
    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def _format(self, lead: str, line: int | None, message: str) -> str:
        where = f"line {line}: " if line else ""
        return f"{lead} {self.source_name!r}: {where}{message}"

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(self._format("cannot parse calendar", line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(self._format("calendar", line, message))

    def fatal(self, line: int | None, message: str) -> CalendarParseError:
        return CalendarParseError(self._format("cannot parse calendar", line, message))


def _decode(data: bytes, problems: _Problems) -> str:
    if not data.strip():
        raise problems.fatal(None, "empty file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # RFC 5545 mandates UTF-8; older Outlook and Lotus exports are windows-1252.
        problems.warn(None, "not UTF-8, read as windows-1252")
        return data.decode("cp1252", "replace")


def _read_blocks(text: str, problems: _Problems) -> list[_Block]:
    """Every VEVENT of the file; falls back to one event at a time when the whole file fails."""
    event_lines = _component_lines(text, "VEVENT")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises ValueError, KeyError, IndexError… on junk
        return _salvage(text, exc, problems)
    events = [(event, _method(calendar)) for calendar in calendars for event in calendar.walk("VEVENT")]
    lines: list[int | None] = list(event_lines) if len(event_lines) == len(events) else [None] * len(events)
    return [_Block(event, line, method) for (event, method), line in zip(events, lines, strict=True)]


def _method(calendar: icalendar.Component) -> str:
    return str(calendar.get("METHOD", "")).strip().upper()


def _salvage(text: str, whole_file_error: Exception, problems: _Problems) -> list[_Block]:
    """Parse the time zones and events one by one, keeping every one that parses."""
    lines = text.splitlines()
    header = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//VectorOS//salvage//EN"]
    timezones: list[str] = []
    for start, end in _component_spans(lines, "VTIMEZONE"):
        block = "\r\n".join(lines[start:end])
        try:
            icalendar.Calendar.from_ical("\r\n".join([*header, block, "END:VCALENDAR"]))
        except Exception as exc:  # noqa: BLE001 - a broken zone is dropped; its events fall back to UTC
            problems.warn(start + 1, f"time zone skipped: {exc}")
            continue
        timezones.append(block)

    spans = list(_component_spans(lines, "VEVENT"))
    if not spans:
        line = _locate(lines, str(whole_file_error))
        raise problems.fatal(line, str(whole_file_error) or type(whole_file_error).__name__)

    found = re.search(r"^METHOD:\s*(\S+)\s*$", text, re.I | re.M)
    method = found.group(1).upper() if found else ""
    blocks: list[_Block] = []
    for start, end in spans:
        wrapped = "\r\n".join([*header, *timezones, *lines[start:end], "END:VCALENDAR"])
        try:
            calendar = icalendar.Calendar.from_ical(wrapped)
        except Exception as exc:  # noqa: BLE001 - this event is lost, the others are not
            problems.error(_locate(lines[start:end], str(exc), offset=start) or start + 1, f"event skipped: {exc}")
            continue
        blocks.extend(_Block(event, start + 1, method) for event in calendar.walk("VEVENT"))
    return blocks


def _component_spans(lines: list[str], name: str) -> Iterator[tuple[int, int]]:
    """(first, past-last) line indexes of each top-level `name` component."""
    start: int | None = None
    depth = 0
    for index, line in enumerate(lines):
        begin = _BEGIN.match(line)
        if begin:
            if start is None and begin.group(1).upper() == name:
                start, depth = index, 0
            if start is not None:
                depth += 1
            continue
        end = _END.match(line)
        if end and start is not None:
            depth -= 1
            if depth == 0:
                yield start, index + 1
                start = None


def _component_lines(text: str, name: str) -> list[int]:
    return [start + 1 for start, _ in _component_spans(text.splitlines(), name)]


def _locate(lines: list[str], message: str, offset: int = 0) -> int | None:
    """Line number of the value a library message complains about, when it quotes one."""
    match = _TOKEN.search(message)
    if not match or len(match.group(1)) < 3:
        return None
    token = match.group(1)
    for index, line in enumerate(lines):
        if token in line:
            return offset + index + 1
    return None


# --- occurrences ------------------------------------------------------------------


def _occurrences(
    blocks: list[_Block],
    window_start: datetime,
    window_end: datetime,
    floating_tz: tzinfo,
    problems: _Problems,
) -> Iterator[ParsedEvent]:
    seen: dict[tuple[str, str], ParsedEvent] = {}
    for uid, group in _series(blocks, problems).items():
        components = [block.component for block in group]
        recurring = any("RRULE" in c or "RDATE" in c or "RECURRENCE-ID" in c for c in components)
        try:
            # One Series per UID (the library's own grouping), so a bad RRULE loses only
            # its own series, and its occurrences stream lazily so a FREQ=MINUTELY rule
            # can be cut off instead of filling memory.
            series = recurring_ical_events.Series([recurring_ical_events.EventAdapter(c) for c in components])
            for count, occurrence in enumerate(series.between(window_start, window_end)):
                if count >= MAX_OCCURRENCES_PER_SERIES:
                    problems.warn(group[0].line, f"event {uid!r}: only the first {count} occurrences kept")
                    break
                event = _to_event(occurrence.as_component(False), uid, recurring, group[0].method, floating_tz)
                key = (event.uid, event.recurrence_id)
                if key not in seen or event.sequence >= seen[key].sequence:
                    seen[key] = event
        except Exception as exc:  # noqa: BLE001 - one bad series must not lose the file
            problems.error(group[0].line, f"event {uid!r} skipped: {exc}")
    yield from seen.values()


def _series(blocks: Iterable[_Block], problems: _Problems) -> dict[str, list[_Block]]:
    """Usable VEVENTs grouped by the UID they are stored under."""
    by_uid: dict[str, list[_Block]] = defaultdict(list)
    for block in blocks:
        component = block.component
        if not _usable(block, problems):
            continue
        uid = str(component.get("UID", "")).strip()
        if not uid:
            uid = _derived_uid(component)
            component["UID"] = uid
        by_uid[uid].append(block)

    series: dict[str, list[_Block]] = {}
    for uid, group in by_uid.items():
        masters = [b for b in group if "RECURRENCE-ID" not in b.component]
        if len(masters) <= 1:
            series[uid] = group
            continue
        # Several masters under one UID: either re-sent versions of one event (keep the
        # highest SEQUENCE) or a sloppy export reusing one UID for different events
        # (MOCA 2024 gives every talk the same UID). The latter get derived UIDs.
        top = max(_sequence(b.component) for b in masters)
        latest = [b for b in masters if _sequence(b.component) == top]
        overrides = [b for b in group if "RECURRENCE-ID" in b.component]
        if len(latest) == 1:
            series[uid] = latest + overrides
            continue
        problems.warn(latest[0].line, f"UID {uid!r} is shared by {len(latest)} different events; each keyed separately")
        for block in latest:
            derived = f"{uid}#{_derived_uid(block.component).removeprefix('derived-')[:16]}"
            block.component["UID"] = derived
            series.setdefault(derived, []).append(block)
        if overrides:
            series[uid] = overrides
    return series


def _usable(block: _Block, problems: _Problems) -> bool:
    component = block.component
    label = _label(component)
    fatal = [f"{name}: {message}" for name, message in component.errors if name in _ESSENTIAL]
    if fatal:
        problems.error(block.line, f"event {label} skipped: {'; '.join(fatal)}")
        return False
    if "DTSTART" not in component:
        if block.method in _ITIP_WITHOUT_EVENT:
            problems.warn(block.line, f"event {label}: iTIP {block.method} without DTSTART ignored")
        else:
            problems.error(block.line, f"event {label} skipped: DTSTART missing")
        return False
    if isinstance(component["DTSTART"], list):
        problems.error(block.line, f"event {label} skipped: DTSTART given {len(component['DTSTART'])} times")
        return False
    for name, message in component.errors:
        # A broken DTEND, GEO or EXDATE is dropped rather than losing the meeting itself.
        if name and name in component:
            del component[name]
        problems.warn(block.line, f"event {label}: {name or 'content line'} ignored: {message}")
    return True


def _label(component: icalendar.Component) -> str:
    uid = str(component.get("UID", "")).strip()
    summary = str(component.get("SUMMARY", "")).strip()
    return repr(uid or summary or "without UID")


def _derived_uid(component: icalendar.Component) -> str:
    """A stable stand-in for a missing UID: the same event in a re-export gets the same key."""
    parts = []
    for name in ("DTSTART", "SUMMARY", "ORGANIZER"):
        value = component.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None:
            parts.append("")
        elif hasattr(value, "to_ical"):
            tzid = getattr(value, "params", {}).get("TZID", "")
            raw = value.to_ical()
            parts.append(f"{tzid}:{raw.decode() if isinstance(raw, bytes) else raw}")
        else:
            parts.append(str(value))
    return "derived-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _sequence(component: icalendar.Component) -> int:
    try:
        return int(str(component.get("SEQUENCE", 0)).strip() or 0)
    except ValueError:
        return 0


# --- conversion ---------------------------------------------------------------------


def _to_event(
    component: icalendar.Component, uid: str, recurring: bool, method: str, floating_tz: tzinfo
) -> ParsedEvent:
    # icalendar types property values as a wide union; DTSTART and RECURRENCE-ID are
    # date-time properties here (broken ones were dropped by _usable).
    dtstart: Any = component["DTSTART"]
    start_value: date = dtstart.dt
    all_day = isinstance(start_value, date) and not isinstance(start_value, datetime)
    starts_at = _utc(start_value, floating_tz)
    recurrence_id = ""
    if recurring and "RECURRENCE-ID" in component:
        original_start: Any = component["RECURRENCE-ID"]
        recurrence_id = _utc(original_start.dt, floating_tz).isoformat()
    status = _STATUSES.get(str(component.get("STATUS", "")).strip().upper(), "confirmed")
    if method == "CANCEL":
        status = "cancelled"
    last_modified = component.get("LAST-MODIFIED")
    return ParsedEvent(
        uid=uid,
        recurrence_id=recurrence_id,
        summary=_text(component.get("SUMMARY")),
        description=_text(component.get("DESCRIPTION")),
        location=_text(component.get("LOCATION")) or None,
        starts_at=starts_at,
        ends_at=_ends_at(component, start_value, all_day, floating_tz),
        all_day=all_day,
        status=status,
        organizer=_person(component.get("ORGANIZER"), "organizer"),
        attendees=_attendees(component.get("ATTENDEE")),
        sequence=_sequence(component),
        last_modified=_utc(last_modified.dt, floating_tz) if hasattr(last_modified, "dt") else None,
    )


def _ends_at(component: icalendar.Component, start: date, all_day: bool, floating_tz: tzinfo) -> datetime | None:
    end = component.get("DTEND")
    if end is not None and hasattr(end, "dt"):
        return _utc(end.dt, floating_tz)
    duration = component.get("DURATION")
    if duration is not None and isinstance(getattr(duration, "dt", None), timedelta):
        return _utc(start, floating_tz) + duration.dt
    # RFC 5545 §3.6.1: a day-long event when DTSTART is a date, otherwise a point in time.
    return _utc(start, floating_tz) + (timedelta(days=1) if all_day else timedelta(0))


def _utc(value: date | datetime, floating_tz: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=floating_tz)
    return value.astimezone(UTC)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _person(value: Any, role: str) -> Participant | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    email = str(value).strip()
    if email.lower().startswith("mailto:"):
        email = email[7:]
    email = email.strip().strip("<>").lower()
    if "@" not in email:
        return None
    params = getattr(value, "params", {})
    name = str(params.get("CN", "")).strip().strip('"') or None
    return Participant(email=email, name=name, role=role)


def _attendees(value: Any) -> list[Participant]:
    values = value if isinstance(value, list) else [value] if value is not None else []
    people: dict[str, Participant] = {}
    for item in values:
        person = _person(item, "attendee")
        if person and person.email not in people:
            people[person.email] = person
    return list(people.values())
