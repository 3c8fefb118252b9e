"""Which date in a message is the deal's expected close (not a meeting, not a delivery slot)."""

from __future__ import annotations

import re
from datetime import date, datetime

from vectoros_pipelines.extraction.dates import DateMention, find_dates

_CLOSE_CONTEXT = re.compile(
    r"close|closing|sign|signature|decision|decide|approv|contract|go[- ]live|start date|kick ?off|budget|deadline|po\b|purchase order"
    r"|by|before|no later than|end of|target|unterschr|unterzeichn|entscheid|abschluss|vertrag|freigabe|start|bis|spätestens|ende",
    re.IGNORECASE,
)
_MEETING_CONTEXT = re.compile(r"\b(?:call|meeting|demo|lunch|webinar|termin|besprechung|telefonat|\d{1,2}(?::\d\d)?\s?(?:am|pm|uhr))\b", re.I)


def _sentence(text: str, mention: DateMention) -> str:
    start = max(text.rfind(".", 0, mention.start), text.rfind("\n", 0, mention.start)) + 1
    ends = [i for i in (text.find(".", mention.end), text.find("\n", mention.end)) if i != -1]
    return text[start: min(ends) if ends else len(text)]


def close_date(text: str, sent: datetime | date) -> DateMention | None:
    """The first future date stated in a closing context, or None."""
    base = sent.date() if isinstance(sent, datetime) else sent
    for mention in find_dates(text, base):
        if mention.value < base:
            continue
        sentence = _sentence(text, mention)
        if _CLOSE_CONTEXT.search(sentence) and not _MEETING_CONTEXT.search(sentence):
            return mention
    return None
