"""Calendar file sources: one .ics file, or a folder searched recursively for them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from vectoros_pipelines.sources import SourceItem

__all__ = ["CALENDAR_SUFFIXES", "SourceItem", "iter_calendar_items"]

# .ifb is free/busy data in iCalendar syntax; .ical is what some Apple and Lotus exports use.
CALENDAR_SUFFIXES = frozenset({".ics", ".ical", ".ifb"})


def iter_calendar_items(path: Path | str) -> Iterator[SourceItem]:
    """Every calendar file under `path` in a stable order; a file path is its own single item.

    A file passed directly is listed whatever its name, since the user chose it; inside
    a folder only calendar suffixes count (case-insensitive), hidden folders are skipped.
    """
    root = Path(path)
    if root.is_file():
        stat = root.stat()
        yield SourceItem(locator=root.name, size_bytes=stat.st_size, mtime_ns=stat.st_mtime_ns)
        return
    if not root.is_dir():
        raise FileNotFoundError(f"calendar source not found: {root}")
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") and d != "__MACOSX")
        here = Path(directory)
        for name in sorted(files):
            file = here / name
            if name.startswith(".") or file.suffix.lower() not in CALENDAR_SUFFIXES or not file.is_file():
                continue
            stat = file.stat()
            yield SourceItem(locator=file.relative_to(root).as_posix(), size_bytes=stat.st_size, mtime_ns=stat.st_mtime_ns)
