"""What a file source holds, one item at a time: shared by mail and calendar capture."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One message or calendar file inside a source, addressed relative to the source root.

    `locator` is the path relative to the root (the file name when the root is itself
    a file), or ``"<relative mbox path>#<start offset>"`` for a message inside an mbox,
    whose bytes are then ``[start_offset, end_offset)`` of that file. `size_bytes` and
    `mtime_ns` let a sensor notice changes without reading the item.
    """

    locator: str
    size_bytes: int
    mtime_ns: int
    start_offset: int | None = None
    end_offset: int | None = None
