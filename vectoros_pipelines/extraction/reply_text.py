"""The part of a message its author wrote now, without the quoted history below it."""

from __future__ import annotations

import re

# Where quoted history starts, as Gmail, Outlook, Apple Mail and German clients write it.
_QUOTE_HEADER = re.compile(
    r"^(?:On .{5,200}wrote:|Am .{5,200}schrieb .{0,200}:|-{2,} ?(?:Original Message|Ursprüngliche Nachricht|Forwarded message|Weitergeleitete Nachricht) ?-{2,}"
    r"|From: .+\n(?:Sent|Date|Gesendet|Datum): |Von: .+\n(?:Gesendet|Datum): |_{10,})",
    re.MULTILINE | re.IGNORECASE,
)


def new_text(body: str) -> str:
    """Body up to the first quote header, with `>`-quoted lines removed."""
    match = _QUOTE_HEADER.search(body)
    head = body[: match.start()] if match else body
    return "\n".join(line for line in head.split("\n") if not line.lstrip().startswith(">"))
