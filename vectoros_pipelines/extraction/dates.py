"""Dates people write relative to when they wrote ("end of next month", "Ende des Quartals", "Q3", "30.11.")."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser

_MONTHS = {
    "january": 1, "jan": 1, "januar": 1, "jänner": 1, "february": 2, "feb": 2, "februar": 2,
    "march": 3, "mar": 3, "märz": 3, "maerz": 3, "mär": 3, "april": 4, "apr": 4, "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juni": 6, "july": 7, "jul": 7, "juli": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12, "dezember": 12, "dez": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = (
    r"monday|tuesday|wednesday|thursday|friday|montag|dienstag|mittwoch|donnerstag|freitag"
)

# Period ends: resolved here, because dateparser does not understand them.
_PERIOD_END = re.compile(
    r"\b(?:(?:by |before |until |bis )?(?:the )?end of (?:the )?(?P<en_rel>this |next |the current )?(?P<en_unit>month|quarter|year)"
    r"|(?:zum |bis )?ende (?:des |dieses |diesen )?(?P<de_rel_unit>(?:nächsten |naechsten |kommenden )?)"
    r"(?P<de_unit>monats?|quartals?|jahres|jahr)"
    r"|(?P<de_compound>monatsende|quartalsende|jahresende))\b",
    re.IGNORECASE,
)
_QUARTER = re.compile(
    r"\b(?:(?:end of |ende )?(?:Q(?P<q1>[1-4])(?:[ /'-]?(?P<y1>(?:20)?\d{2}))?|(?P<q2>[1-4])\.\s?Quartal(?:\s(?P<y2>20\d{2}))?))\b",
    re.IGNORECASE,
)
_MONTH_END = re.compile(rf"\b(?:end of|ende|ultimo) (?P<month>{_MONTH})\.?(?:\s(?P<year>20\d\d))?\b", re.IGNORECASE)
_ISO = re.compile(r"\b(?P<y>20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_NUMERIC = re.compile(r"\b(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)(?:(?P=sep)(?P<y>(?:20)?\d\d))?\b(?!\.\d)")
_NAMED = re.compile(
    rf"\b(?:(?:{_WEEKDAY}),?\s+)?(?:(?P<d1>[0-3]?\d)(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<m1>{_MONTH})\.?"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)(?:,?\s+(?P<y>20\d\d))?\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    rf"\b(?:(?:next|this|nächsten|naechsten|kommenden|diesen)\s+(?:{_WEEKDAY}|week|woche)|(?:by|until|bis|am)\s+(?:{_WEEKDAY})"
    r"|in (?:two|three|four|2|3|4) weeks|in (?:zwei|drei|vier|2|3|4) wochen|tomorrow|morgen)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    value: date
    start: int
    end: int
    text: str


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def _period_end(base: date, unit: str, offset: int) -> date:
    unit = unit.lower()
    if unit.startswith(("month", "monat")):
        month_index = base.month - 1 + offset
        year, month = base.year + month_index // 12, month_index % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])
    if unit.startswith("quart"):
        index = (base.month - 1) // 3 + offset
        return _quarter_end(base.year + index // 4, index % 4 + 1)
    return date(base.year + offset, 12, 31)


def _future_year(base: date, month: int, day: int, year: int | None) -> date | None:
    """A date written without a year is the next one on or after the message date (give or take a month)."""
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(base.year, month, day)
        if candidate < base - timedelta(days=31):
            candidate = date(base.year + 1, month, day)
        return candidate
    except ValueError:
        return None


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


@lru_cache(maxsize=4096)
def _dateparser(text: str, base: datetime) -> date | None:
    parsed = dateparser.parse(
        text,
        languages=["en", "de"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed.date() if parsed else None


def find_dates(text: str, reference: datetime | date) -> list[DateMention]:
    """Every date expression in `text` resolved against the message date, in text order, no overlaps."""
    base = reference.date() if isinstance(reference, datetime) else reference
    base_dt = datetime(base.year, base.month, base.day, 12)
    found: list[DateMention] = []

    def add(value: date | None, m: re.Match[str]) -> None:
        if value is not None:
            found.append(DateMention(value, m.start(), m.end(), m.group(0)))

    for m in _PERIOD_END.finditer(text):
        if m.group("de_compound"):
            unit, offset = m.group("de_compound")[:5], 0
        elif m.group("en_unit"):
            unit, offset = m.group("en_unit"), 1 if (m.group("en_rel") or "").strip() == "next" else 0
        else:
            unit, offset = m.group("de_unit"), 1 if m.group("de_rel_unit").strip() else 0
        add(_period_end(base, unit, offset), m)
    for m in _QUARTER.finditer(text):
        quarter = int(m.group("q1") or m.group("q2"))
        year = _year(m.group("y1") or m.group("y2"))
        if year is None:
            year = base.year if _quarter_end(base.year, quarter) >= base else base.year + 1
        add(_quarter_end(year, quarter), m)
    for m in _MONTH_END.finditer(text):
        month = _MONTHS[m.group("month").lower()]
        year = _year(m.group("year"))
        first = _future_year(base, month, 1, year)
        if first is not None:
            add(date(first.year, month, calendar.monthrange(first.year, month)[1]), m)
    for m in _ISO.finditer(text):
        add(_future_year(base, int(m.group("m")), int(m.group("d")), int(m.group("y"))), m)
    for m in _NUMERIC.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        # "30.11." is German day-first; "11/30" is US month-first unless the first number cannot be a month.
        day, month = (a, b) if m.group("sep") == "." or a > 12 else (b, a)
        if 1 <= month <= 12 and 1 <= day <= 31 and (m.group("y") or m.group("sep") == "/" or text[m.end(): m.end() + 1] == "."):
            add(_future_year(base, month, day, _year(m.group("y"))), m)
    for m in _NAMED.finditer(text):
        month = _MONTHS[(m.group("m1") or m.group("m2")).lower()]
        day = int(m.group("d1") or m.group("d2"))
        add(_future_year(base, month, day, _year(m.group("y"))), m)
    for m in _RELATIVE.finditer(text):
        add(_dateparser(re.sub(r"^(by|until|bis|am)\s+", "", m.group(0), flags=re.I), base_dt), m)

    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[DateMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
