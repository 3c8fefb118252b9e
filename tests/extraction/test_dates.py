from datetime import date

import pytest

from vectoros_pipelines.extraction.close_date import close_date
from vectoros_pipelines.extraction.dates import find_dates

SENT = date(2026, 6, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("end of next month", date(2026, 7, 31)),
        ("by the end of the quarter", date(2026, 6, 30)),
        ("Ende des Quartals", date(2026, 6, 30)),
        ("bis Ende nächsten Monats", date(2026, 7, 31)),
        ("zum Quartalsende", date(2026, 6, 30)),
        ("Q3", date(2026, 9, 30)),
        ("Q1 2027", date(2027, 3, 31)),
        ("3. Quartal", date(2026, 9, 30)),
        ("Ende November", date(2026, 11, 30)),
        ("by November 30", date(2026, 11, 30)),
        ("30. November 2026", date(2026, 11, 30)),
        ("am 15.12.2026", date(2026, 12, 15)),
        ("close by 11/30", date(2026, 11, 30)),
        ("2026-09-16", date(2026, 9, 16)),
        ("next Friday", date(2026, 6, 5)),
        ("the 3rd of July", date(2026, 7, 3)),
        ("by January 15", date(2027, 1, 15)),  # no year, already past: next year's
    ],
)
def test_dates_relative_to_the_message(text: str, expected: date) -> None:
    assert [m.value for m in find_dates(text, SENT)][:1] == [expected]


def test_close_date_ignores_meeting_times() -> None:
    text = "Let's do the demo call on June 10 at 3pm. We plan to sign the contract by end of next month."
    found = close_date(text, SENT)
    assert found is not None and found.value == date(2026, 7, 31)
