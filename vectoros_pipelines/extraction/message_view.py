"""One message or event seen the way the extractor needs it: who is outside, what was written now, what it mentions.

Built once per item and shared by the classifier features and the field extractors, so the
expensive parts (quote stripping, money and stage scans) run once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.extraction.bulk_mail import broadcast_text, bulk_mail_reasons, is_role_address
from vectoros_pipelines.extraction.buyer_side import buyer_side_hits
from vectoros_pipelines.extraction.companies import GENERIC_NAME_WORDS, LEGAL_FORMS
from vectoros_pipelines.extraction.injection import instruction_spans, mask_instructions
from vectoros_pipelines.extraction.money import MoneyMention, find_amounts
from vectoros_pipelines.extraction.parties import Parties, find_parties
from vectoros_pipelines.extraction.reply_text import new_text
from vectoros_pipelines.extraction.stages import StageHint, stage_hint
from vectoros_pipelines.mail.message import ParsedEmail
from vectoros_pipelines.mail.subjects import normalize_subject

# The classifier reads the start of what was written now; longer bodies add cost, not signal.
MAX_TEXT_CHARS = 3000
FULL_BODY_CHARS = 8000

_REPLY_PREFIX = re.compile(r"^\s*(?:re|aw|antw|sv|vs)\s*:", re.IGNORECASE)
_FORWARD_PREFIX = re.compile(r"^\s*(?:fwd?|wg|weitergeleitet)\s*:", re.IGNORECASE)
_MEETING = re.compile(r"\b(?:call|meeting|demo|walkthrough|zoom|teams|calendar invite|termin|besprechung|telefonat|video ?call)\b", re.I)
_DEAL_DOC = re.compile(r"quote|proposal|contract|order|angebot|vertrag|bestellung|pricing|sow|msa|po[-_ ]", re.I)


@dataclass(slots=True)
class MessageView:
    kind: str  # email | event
    subject: str
    text: str  # new text, instruction sentences masked, truncated
    parties: Parties
    sent_at: datetime | None
    bulk_reasons: list[str] = field(default_factory=list)
    buyer_hits: list[str] = field(default_factory=list)
    amounts: list[MoneyMention] = field(default_factory=list)
    stage: StageHint | None = None
    is_reply: bool = False
    is_forward: bool = False
    role_sender: bool = False
    unsubscribe_text: bool = False
    meeting_words: bool = False
    deal_attachment: bool = False
    participant_count: int = 0
    injection: bool = False
    sender_name: str = ""
    organization: str = ""
    full_body: str = ""  # with quoted history; only for finding names, never for classifying
    masked_body: str = ""  # the whole body with instructions masked, reused by grounding

    @property
    def classifier_text(self) -> str:
        return f"{self.subject}\n{self.text}"


def _common(view: MessageView, raw_text: str, ours: tuple[str, ...] = ()) -> MessageView:
    view.injection = view.text != raw_text[: len(view.text)] if view.kind == "email" else bool(instruction_spans(raw_text))
    view.amounts = find_amounts(view.classifier_text)
    # A reply's subject repeats where the thread began ("RE: Follow-up from our discovery call" long after
    # the proposal): only what was written now says where the deal stands — unless the writer changed
    # the subject ("AW: Projekt Kühlkette leider gestoppt" above a quoted "Betreff: Angebot Kühlkette").
    stale_subject = view.kind == "email" and (view.is_reply or view.is_forward) and not _subject_rewritten(view)
    view.stage = stage_hint(view.text if stale_subject else view.classifier_text, ours)
    view.unsubscribe_text = broadcast_text(view.text) is not None
    view.meeting_words = bool(_MEETING.search(view.classifier_text))
    return view


def _outsider_signals(view: MessageView) -> MessageView:
    """What only an outsider's own new text can say: that they sell to us, or that it is a broadcast."""
    if view.parties.direction == "inbound":
        view.buyer_hits = buyer_side_hits(view.classifier_text)
        # A customer answering our newsletter is a lead, and our own prospecting mail may carry an opt-out line.
        if view.unsubscribe_text:  # broadcast_text(view.text), found once in _common
            view.bulk_reasons.append("broadcast-text")
    return view


_QUOTED_SUBJECT = re.compile(r"^[>\s]*(?:subject|betreff|objet|oggetto|asunto|onderwerp|ämne|emne)\s*:\s*(.+)$",
                             re.IGNORECASE | re.MULTILINE)


def _subject_rewritten(view: MessageView) -> bool:
    """The quoted message below carries another subject than this reply: the writer chose new words."""
    quoted = _QUOTED_SUBJECT.search(view.full_body)
    return quoted is not None and normalize_subject(quoted.group(1)) != normalize_subject(view.subject)


def our_names(context: WorkspaceContext) -> tuple[str, ...]:
    """Lower-case words that name the workspace: its name's distinctive words and its domains' labels."""
    return _name_words(context.name or "", context.domains)


@lru_cache(maxsize=256)
def _name_words(name: str, domains: tuple[str, ...]) -> tuple[str, ...]:
    # Once per workspace, not once per message: extraction runs this for every email and event.
    words = {w for w in re.findall(r"[^\W\d_]{4,}", name.lower()) if w not in GENERIC_NAME_WORDS and w not in LEGAL_FORMS}
    words.update(label for d in domains for label in d.split(".")[0].split("-")
                 if len(label) >= 4 and label not in GENERIC_NAME_WORDS)
    return tuple(sorted(words))


def email_view(email: ParsedEmail, context: WorkspaceContext) -> MessageView:
    body = email.body_text or ""
    masked_body = mask_instructions(body)
    raw = new_text(body)[:MAX_TEXT_CHARS]
    parties = find_parties(email.from_, email.participants, context)
    view = MessageView(
        kind="email",
        subject=mask_instructions(email.subject or ""),
        text=new_text(masked_body)[:MAX_TEXT_CHARS] if masked_body is not body else raw,
        parties=parties,
        sent_at=email.sent_at,
        bulk_reasons=bulk_mail_reasons(email),
        is_reply=bool(_REPLY_PREFIX.match(email.subject or "")),
        is_forward=bool(_FORWARD_PREFIX.match(email.subject or "")),
        role_sender=bool(email.from_ and is_role_address(email.from_.email)),
        deal_attachment=any(_DEAL_DOC.search(a.filename or "") for a in email.attachments),
        participant_count=len(email.participants),
        sender_name=(email.from_.name or "") if email.from_ else "",
        organization={k.lower(): v for k, v in email.headers.items()}.get("organization", ""),
        full_body=masked_body[:FULL_BODY_CHARS],
        masked_body=masked_body,
    )
    view = _common(view, raw, our_names(context))
    return _outsider_signals(view)


def event_view(event: ParsedEvent, context: WorkspaceContext) -> MessageView:
    raw = (event.description or "")[:MAX_TEXT_CHARS]
    organizer = event.organizer
    parties = find_parties(organizer, list(event.attendees), context)
    view = MessageView(
        kind="event",
        subject=mask_instructions(event.summary or ""),
        text=mask_instructions(raw),
        parties=parties,
        sent_at=event.starts_at,
        participant_count=len(event.attendees),
        sender_name=(organizer.name or "") if organizer else "",
    )
    view = _common(view, raw, our_names(context))
    return _outsider_signals(view)
