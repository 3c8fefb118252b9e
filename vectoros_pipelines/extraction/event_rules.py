"""Is a calendar event about a sales deal? Rules over attendees and wording, since calendars say little.

An event with people from outside the workspace about a demo, discovery call, proposal or negotiation is
deal work; internal 1:1s, all-hands and personal appointments are not.
"""

from __future__ import annotations

import re

from vectoros_pipelines.extraction.message_view import MessageView

_DEAL_WORDS = re.compile(
    r"\b(?:demo|discovery|intro(?:duction)?|kick-?off|proposal|pricing|quote|negotiat\w*|contract|renewal|procurement|poc|pilot"
    r"|evaluation|review|workshop|onboarding|qbr|follow[- ]up|sync|call|meeting|presentation|walkthrough|scoping|requirements"
    r"|vorführung|angebot|verhandlung|vertrag|präsentation|kennenlernen|termin|besprechung|abstimmung|workshop)\b",
    re.IGNORECASE,
)
_NOT_DEAL = re.compile(
    r"\b(?:all[- ]hands|town ?hall|1:1|one[- ]on[- ]one|standup|stand-up|retro|sprint|offsite|team lunch|birthday|dentist|doctor"
    r"|arzt|geburtstag|webinar|conference|konferenz|meetup|training|interview|vorstellungsgespräch|payroll|holiday|urlaub|ooo"
    r"|out of office|gym|school|kita|flight|flug|hotel)\b",
    re.IGNORECASE,
)


def event_confidence(view: MessageView) -> tuple[float, str]:
    """(confidence, reason) that the event is deal work."""
    parties = view.parties
    text = view.classifier_text
    if not parties.has_external:
        return 0.03, "no attendee outside the workspace"
    personal = _NOT_DEAL.search(view.subject)
    if personal and not any(personal.group(0).lower() in domain for domain in parties.external_domains):
        # ("Hotel" in "Call Fr. Faller - Hotel Schwarzwaldblick" names the customer, not a trip.)
        return 0.1, "an internal, personal or public event by its title"
    if view.participant_count >= 15 or len(parties.external_domains) >= 4:
        return 0.15, "many outside organisations: a public event"
    deal_words = bool(_DEAL_WORDS.search(text)) or view.stage is not None
    if parties.company_domain is None:
        return (0.45, "outside attendees only on free-mail addresses") if deal_words else (0.15, "personal appointment")
    if view.buyer_hits:
        return 0.3, "the outside party is selling to us"
    if deal_words:
        return 0.93, "meeting with an outside company about deal work"
    return 0.82, "meeting with an outside company"


# What a meeting with the customer is, by its title: the stage the deal has reached once it took place.
# Most advanced first; a title names what the meeting is for, so no guards for plans or requests.
_EVENT_STAGES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((stage, re.compile(pattern, re.IGNORECASE)) for stage, pattern in (
    ("negotiation",
     r"\b(?:contract|legal|msa|dpa|sow|redline|terms|procurement|security) (?:review|call|discussion|sync|meeting|negotiation)s?\b"
     r"|\bnegotiat|\bredlines?\b|vertragsbesprechung|vertragsgespräch|vertragsverhandlung|vertragsprüfung|konditionen|verhandlung"),
    ("proposal",
     r"\b(?:pricing|price|proposal|quote|offer|commercial)s? (?:review|walkthrough|walk-through|discussion|call|presentation|meeting)\b"
     r"|\bproposal\b|angebotsbesprechung|angebotspräsentation|angebotsvorstellung|preisbesprechung|\bangebot\b"),
    ("demo",
     r"\bdemo\b|\bdemonstration\b|\bproduct (?:walkthrough|walk-through|tour)\b|\bwalkthrough\b|\bpoc\b|proof of concept"
     r"|\bpilot\b|\btrial\b|\bsandbox\b|vorführung|produktdemo|\blive-demo\b|teststellung|testphase"
     r"|\btechnical (?:deep[- ]?dive|session|walkthrough|presentation)|technische (?:vorstellung|präsentation)"),
    ("qualified",
     r"\bdiscovery\b|\bscoping\b|\brequirements?\b|bedarfsanalyse|anforderungs\w*|\bqualification\b"),
))


def event_stage(title: str) -> str | None:
    """The open stage a customer meeting with this title stands for, or None."""
    for stage, pattern in _EVENT_STAGES:
        if pattern.search(title or ""):
            return stage
    return None
