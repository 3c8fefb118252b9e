"""Close dates written as people write them, each with the calendar date it means.

Relative phrases are resolved against the date the message was sent, with the
conventions a date parser uses: "next Friday" is the first Friday after the
message, "Q3" is the last day of that quarter, "end of next month" the last
day of the following month.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta

from vectoros_pipelines.demo.model import Language

MONTHS_DE = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
WEEKDAYS_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
WEEKDAYS_DE_SHORT = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def next_month_end(d: date) -> date:
    return month_end(month_end(d) + timedelta(days=1))


def quarter_end(d: date) -> date:
    q_last_month = ((d.month - 1) // 3 + 1) * 3
    return month_end(date(d.year, q_last_month, 1))


def next_weekday(d: date, weekday: int) -> date:
    """First day with `weekday` strictly after d (Monday = 0)."""
    return d + timedelta(days=(weekday - d.weekday() - 1) % 7 + 1)


def absolute_text(rng: random.Random, d: date, language: Language, *, us: bool = True) -> str:
    if language == "de":
        return rng.choice(
            [
                f"{d.day}. {MONTHS_DE[d.month - 1]}",
                f"{d:%d.%m.%Y}",
                f"{d.day}. {MONTHS_DE[d.month - 1]} {d.year}",
            ]
        )
    month = d.strftime("%B")
    forms = [
        f"{month} {d.day}",
        f"{d.day} {month}",
        f"{d.strftime('%b')} {d.day}, {d.year}",
        f"{month} {d.day}, {d.year}",
    ]
    if us:
        forms.append(f"{d.month}/{d.day}/{d.year}")
    else:
        forms.append(f"{d.day}/{d.month}/{d.year}")
    return rng.choice(forms)


def phrase_close_date(
    rng: random.Random, sent: date, target: date, language: Language, *, us: bool = True
) -> tuple[str, date]:
    """A phrase for a close date near `target` ("by March 3", "in Q3"), and the exact date it means on `sent`.

    Every phrase carries its own preposition so templates can say "signed {close}".
    """
    absolute = absolute_text(rng, target, language, us=us)
    if language == "de":
        options: list[tuple[str, date]] = [
            (rng.choice([f"bis zum {absolute}", f"bis {absolute}"]), target)
        ] * 2
    else:
        options = [(rng.choice([f"by {absolute}", f"on or before {absolute}", f"by {absolute}"]), target)] * 2
    days_ahead = (target - sent).days
    if 25 <= days_ahead <= 70:
        end = next_month_end(sent)
        options.append(
            (
                "bis Ende nächsten Monats"
                if language == "de"
                else rng.choice(["by end of next month", "by the end of next month"]),
                end,
            )
        )
    if days_ahead >= 20:
        qe = quarter_end(target)
        q = (qe.month - 1) // 3 + 1
        if language == "de":
            options.append((rng.choice([f"bis Ende Q{q}", f"im Q{q}"]), qe))
        else:
            options.append((rng.choice([f"by end of Q{q}", f"in Q{q}", f"before the end of Q{q}"]), qe))
    if (month_end(sent) - sent).days >= 8 and days_ahead <= 35:
        options.append(
            ("bis Monatsende" if language == "de" else "by the end of this month", month_end(sent))
        )
    if 2 <= days_ahead <= 13:
        weekday = target.weekday() if target.weekday() < 5 else 4
        when = next_weekday(sent, weekday)
        if language == "de":
            options.append((f"bis nächsten {WEEKDAYS_DE[weekday]}", when))
        else:
            options.append((f"by next {calendar.day_name[weekday]}", when))
    return rng.choice(options)


def phrase_deadline_soon(rng: random.Random, sent: date, language: Language) -> tuple[str, date]:
    """A short deadline ("next Friday") for signatures and replies."""
    weekday = rng.choice([0, 2, 4])
    when = next_weekday(sent, weekday)
    if language == "de":
        return f"bis {WEEKDAYS_DE[weekday]}", when
    name = calendar.day_name[weekday]
    return rng.choice([f"by next {name}", f"next {name}"]), when
