from __future__ import annotations

from pathlib import Path

import pytest

from vectoros_pipelines.calendars.sources import iter_calendar_items


def test_folder_is_searched_recursively_for_calendar_suffixes_in_any_case(tmp_path: Path) -> None:
    (tmp_path / "team" / "2025").mkdir(parents=True)
    for name in ("team/2025/Q1.ICS", "personal.ical", "busy.ifb", "notes.txt", "team/.hidden.ics"):
        (tmp_path / name).write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.ics").write_text("")
    assert [item.locator for item in iter_calendar_items(tmp_path)] == ["busy.ifb", "personal.ical", "team/2025/Q1.ICS"]


def test_a_single_file_is_its_own_item(tmp_path: Path) -> None:
    path = tmp_path / "export.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (item,) = iter_calendar_items(path)
    assert (item.locator, item.size_bytes, item.start_offset) == ("export.ics", 32, None)
    assert item.mtime_ns == path.stat().st_mtime_ns


def test_missing_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(iter_calendar_items(tmp_path / "nope"))
