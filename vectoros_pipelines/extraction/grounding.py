"""Keep only what the source text supports: every extracted value must be findable in the message or event.

Both extractors call `ground_result`; a value a model (or a rule) produced that the text does not
contain is dropped, and the span it came from is recorded for the ones kept. Sentences that instruct
a model ("ignore previous instructions…") are masked first, so a value stated only there is dropped too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.extraction.companies import company_key
from vectoros_pipelines.extraction.dates import find_dates
from vectoros_pipelines.extraction.injection import mask_instructions
from vectoros_pipelines.extraction.money import amounts_equal, currency_code, find_amounts
from vectoros_pipelines.extraction.result import STAGES, ExtractionResult, Span
from vectoros_pipelines.extraction.stages import stage_statement
from vectoros_pipelines.mail.message import ParsedEmail, Participant

# The date a message was sent or an event starts is a fact of the source: a close date equal to
# it (a deal won "today") is grounded there, and relative expressions are resolved against it.
DATE_FIELD = "date"


def _person(p: Participant | None) -> str:
    if p is None:
        return ""
    return f"{p.name} <{p.email}>" if p.name else f"<{p.email}>"


def email_sources(email: ParsedEmail) -> dict[str, str]:
    """Field name → text for grounding one email."""
    sources = {
        "subject": email.subject or "",
        "body": email.body_text or "",
        "from": _person(email.from_),
        "participants": "\n".join(_person(p) for p in email.participants),
    }
    if email.sent_at is not None:
        sources[DATE_FIELD] = email.sent_at.date().isoformat()
    return sources


def event_sources(event: ParsedEvent) -> dict[str, str]:
    """Field name → text for grounding one calendar event."""
    return {
        "summary": event.summary or "",
        "description": event.description or "",
        "location": event.location or "",
        "organizer": _person(event.organizer),
        "attendees": "\n".join(_person(p) for p in event.attendees),
        DATE_FIELD: event.starts_at.date().isoformat(),
    }


def _find_text(needle: str, sources: dict[str, str], *, word: bool = True) -> Span | None:
    if not needle.strip():
        return None
    pattern = re.compile(
        (r"(?<![\w])" if word else "") + re.escape(needle.strip()) + (r"(?![\w])" if word else ""), re.IGNORECASE
    )
    for name, text in sources.items():
        m = pattern.search(text)
        if m:
            return Span(name, m.start(), m.end(), text[m.start(): m.end()])
    return None


def _find_company(company: str, sources: dict[str, str]) -> Span | None:
    span = _find_text(company, sources)
    if span is not None:
        return span
    # "Acme Corp" written as "ACME Corporation" or only as "Acme": the normalised key must be there.
    key = company_key(company)
    if not key:
        return None
    pattern = re.compile(r"(?<![a-z0-9])" + r"[^a-z0-9]{1,3}".join(re.escape(w) for w in key.split()) + r"(?![a-z0-9])", re.IGNORECASE)
    for name, text in sources.items():
        m = pattern.search(text)
        if m:
            return Span(name, m.start(), m.end(), text[m.start(): m.end()])
    return None


def _find_domain(domain: str, sources: dict[str, str]) -> Span | None:
    pattern = re.compile(r"(?<![\w-])(?:[\w-]+\.)*" + re.escape(domain.lower().strip(".")) + r"(?![\w-])", re.IGNORECASE)
    for name in ("from", "participants", "attendees", "organizer", *sources):
        text = sources.get(name)
        if text:
            m = pattern.search(text)
            if m:
                return Span(name, m.start(), m.end(), text[m.start(): m.end()])
    return None


def _find_amount(amount: float, currency: str | None, sources: dict[str, str]) -> Span | None:
    for name, text in sources.items():
        for mention in find_amounts(text):
            if amounts_equal(mention.amount, amount) and (currency is None or mention.currency == currency):
                return Span(name, mention.start, mention.end, mention.text)
    return None


def _find_currency(currency: str, sources: dict[str, str]) -> Span | None:
    for name, text in sources.items():
        for mention in find_amounts(text):
            if mention.currency == currency:
                return Span(name, mention.start, mention.end, mention.text)
    return None


def _reference_date(sources: dict[str, str]) -> date:
    raw = sources.get(DATE_FIELD)
    if raw:
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            pass
    return datetime.now().date()


def _find_date(value: date, sources: dict[str, str]) -> Span | None:
    reference = _reference_date(sources)
    for name, text in sources.items():
        if name == DATE_FIELD:
            if text[:10] == value.isoformat():
                return Span(name, 0, 10, text[:10])
            continue
        for mention in find_dates(text, reference):
            if mention.value == value:
                return Span(name, mention.start, mention.end, mention.text)
    return None


def _find_outcome(outcome: str, sources: dict[str, str]) -> Span | None:
    for name in ("body", "subject", "description", "summary"):
        text = sources.get(name)
        # The statement of this outcome, wherever it sits: the quoted history may hold an earlier, other one.
        hint = stage_statement(text, f"closed_{outcome}") if text else None
        if hint is not None:
            return Span(name, hint.start, hint.end, hint.text)
    return None


def _find_stage(stage: str, sources: dict[str, str], quote: str | None) -> Span | None:
    """Where the text states the stage; else where the model's verbatim quote for it sits."""
    for name in ("body", "subject", "description", "summary"):
        text = sources.get(name)
        hint = stage_statement(text, stage) if text else None
        if hint is not None:
            return Span(name, hint.start, hint.end, hint.text)
    if quote and quote.strip():
        needle = re.compile(r"\s+".join(re.escape(word) for word in quote.split()), re.IGNORECASE)
        for name, text in sources.items():
            found = needle.search(text) if name != DATE_FIELD else None
            if found is not None:
                return Span(name, found.start(), found.end(), found.group(0))
    return None


def ground_result(
    result: ExtractionResult, sources: dict[str, str], *, masked: dict[str, str] | None = None,
    quotes: dict[str, str] | None = None,
) -> ExtractionResult:
    """A copy of `result` without the values the sources do not support, with `spans` filled in.

    `masked` may carry sources whose instruction sentences the caller already masked (same lengths);
    `quotes` the model's verbatim evidence per field, used where no rule finds the field's span.
    """
    visible = {name: (masked or {}).get(name) or mask_instructions(text) for name, text in sources.items()}
    spans: dict[str, Span] = {}
    dropped: list[str] = []
    values: dict[str, object] = {}

    def check(field: str, value: object, span: Span | None) -> None:
        if value is None:
            return
        if span is None:
            values[field] = None
            dropped.append(field)
        else:
            spans[field] = Span(span.field, span.start, span.end, sources[span.field][span.start: span.end])

    check("company", result.company, _find_company(result.company, visible) if result.company else None)
    check("company_domain", result.company_domain,
          _find_domain(result.company_domain, visible) if result.company_domain else None)
    amount_span = None
    if result.amount is not None:
        amount_span = _find_amount(result.amount, result.currency, visible)
    check("amount", result.amount, amount_span)
    if result.currency is not None:
        code = currency_code(result.currency)
        if code is None or (result.amount is not None and amount_span is None):
            currency_span = None  # a currency belongs to its amount: an invented amount takes it along
        elif amount_span is not None:
            currency_span = amount_span
        else:
            currency_span = _find_currency(code, visible)
        check("currency", result.currency, currency_span)
        if currency_span is not None and code != result.currency:
            values["currency"] = code
    check("contact_email", result.contact_email,
          _find_text(result.contact_email, visible, word=False) if result.contact_email else None)
    check("contact_name", result.contact_name, _find_text(result.contact_name, visible) if result.contact_name else None)
    check("product", result.product, _find_text(result.product, visible) if result.product else None)
    check("close_date_hint", result.close_date_hint,
          _find_date(result.close_date_hint, visible) if result.close_date_hint else None)
    check("outcome", result.outcome, _find_outcome(result.outcome, visible) if result.outcome else None)
    if result.stage_hint is not None and result.stage_hint not in STAGES:
        values["stage_hint"] = None
        dropped.append("stage_hint")
    stage = values.get("stage_hint", result.stage_hint)
    if isinstance(stage, str):
        # A stage is a judgement over the whole message, not a value copied from it: kept without a
        # span when none is found, but its span is recorded wherever the text states it.
        stage_span = _find_stage(stage, visible, (quotes or {}).get("stage_hint"))
        if stage_span is not None:
            spans["stage_hint"] = Span(stage_span.field, stage_span.start, stage_span.end,
                                       sources[stage_span.field][stage_span.start: stage_span.end])
    outcome = values.get("outcome", result.outcome)
    if stage in ("closed_won", "closed_lost") and outcome is None and "outcome" in dropped:
        # a closed stage rests on the same evidence as the outcome
        values["stage_hint"] = None
        dropped.append("stage_hint")
    reasons = list(result.reasons) + ([f"ungrounded: {', '.join(dropped)}"] if dropped else [])
    return replace(result, spans={**result.spans, **spans}, reasons=reasons, **values)  # type: ignore[arg-type]
