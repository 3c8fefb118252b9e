"""The default extractor: offline, fast, a shipped classifier plus rule-based field extractors, always grounded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from vectoros_pipelines.calendars.event import ParsedEvent
from vectoros_pipelines.extraction import classifier as clf
from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.extraction.companies import (
    company_key,
    display_name_company,
    name_fits_domain,
    name_from_domain,
    name_shares_domain,
    signature_companies,
    tidy_company,
)
from vectoros_pipelines.extraction.domains import address_domain, is_free_mail, registrable_domain
from vectoros_pipelines.extraction.event_rules import event_confidence
from vectoros_pipelines.extraction.fields import Fields, extract_fields, party_fields
from vectoros_pipelines.extraction.grounding import email_sources, event_sources, ground_result
from vectoros_pipelines.extraction.message_view import MessageView, email_view, event_view
from vectoros_pipelines.extraction.platform_notices import NOTICE_REASON, PlatformNotice, platform_notice
from vectoros_pipelines.extraction.result import ExtractionResult
from vectoros_pipelines.mail.message import ParsedEmail

# Below this the extractor says "not deal related"; the matcher creates deals only at a higher
# confidence (0.8), so in between a message may still join a deal it clearly belongs to.
DEFAULT_DEAL_THRESHOLD = 0.5
# Newsletters and automated senders never carry a deal of ours, whatever words they use.
_HARD_BULK = {"broadcast-text", "list-unsubscribe", "esp-campaign", "auto-submitted", "auto-reply", "role-sender", "precedence"}
_BULK_CAP = 0.05
_BUYER_CAP = 0.3
# Below this, only the cheap party fields (contact, domain) are filled: nobody matches on the rest.
FIELDS_FLOOR = 0.2
# A platform's notice of a deal step: above the threshold to join a deal, below the one to start one.
NOTICE_CONFIDENCE = 0.7


# The external sender offers or quotes a price to us, or we ask a vendor for one: either way the
# workspace is the buyer, and such mail never starts a sales deal (it may still follow a deal's thread).
_QUOTE_NOUN = r"(?:quote|quotation|price ?list|pricing|rate card|estimate|offer|proposal)"
_VENDOR_OFFERS_TO_US = re.compile(
    r"\b(?:please find|attached (?:is|please find)|enclosed (?:is|please find)|here is|here's|i've attached|"
    r"we've attached|we have attached|i am attaching|we are attaching)\s+(?:our|my)\s+(?:updated |revised |new )?"
    + _QUOTE_NOUN + r"\b"
    r"|\bour (?:quote|quotation|price ?list|rate card|estimate)\b"
    r"|\bwe (?:are|would be) (?:pleased|happy|delighted) to (?:offer you|quote|provide you with (?:a|our) "
    + _QUOTE_NOUN + r")"
    r"|\b(?:special|exclusive|limited[- ]time|introductory) (?:offer|pricing|discount|rate)\b"
    r"|\b(?:i|we) (?:can|could|would be able to) (?:offer|sell|quote|supply) you\b"
    r"|\b(?:my|our) (?:asking price|best price|special price|fee|fees|day rate|hourly rate)\b"
    r"|\b(?:anbei|beigefügt|im anhang)\b[^.\n]{0,30}\b(?:unser|unsere|unseren)\s+(?:angebot|preisliste|kostenvoranschlag)\b"
    r"|\bunser(?:e)? (?:angebot|preisliste|kostenvoranschlag)\b|\bwir bieten ihnen\b|\bsonderangebot\b"
    r"|\b(?:großhandels|sonder|vorzugs|händler|agentur|partner)(?:konditionen|preisen?)\b|\bwholesale (?:prices|pricing|rates|terms)\b",
    re.IGNORECASE,
)
_WE_ASK_A_VENDOR = re.compile(
    r"\b(?:send|give|provide) (?:us|me) (?:a|an|your|an updated|your best) (?:quote|quotation|price|pricing|estimate)\b"
    r"|\brequest for (?:quotation|quote)\b|\bplease quote\b|\bwe would like to (?:order|purchase|buy)\b"
    r"|\b(?:bitte )?senden sie uns (?:ein|ihr) angebot\b|\bangebotsanfrage\b|\bwir möchten (?:bestellen|kaufen)\b",
    re.IGNORECASE,
)


# Hiring, not selling: a headhunter's confidential role, an application, a CV. The topic alone is not
# enough (an HR-software vendor's deals talk about applicants all day): these name a person's job move.
_RECRUITING = re.compile(
    r"\b(?:cv|resume|résumé|lebenslauf) (?:is )?(?:attached|anbei|im anhang)|\b(?:attached|anbei|im anhang)[^.\n]{0,20}\b(?:cv|resume|lebenslauf)\b"
    r"|\bapplication for the (?:position|role)\b|\bi (?:am|'m) applying\b|\bbewerbung (?:als|um|auf) (?:die|eine|den)?\b"
    r"|\b(?:exciting|confidential|senior) (?:opportunity|role|position|search|mandate)\b|\bexecutive search\b|\bheadhunt"
    r"|\bpersonalberatung\b|\b(?:vakante|vertrauliche) (?:position|stelle|führungsposition)\b|\bihr profil\b|\byour (?:linkedin )?profile\b"
    r"|\b(?:interview|vorstellungsgespräch) (?:slot|invitation|einladung|termin)\b|\bopen (?:position|role)s? (?:at|in|for)\b",
    re.IGNORECASE,
)
_RECRUITING_CAP = 0.3


def _buyer_quote(view: MessageView) -> str | None:
    """"Please find attached our quotation" from an outsider, or "please send us a quote" from us."""
    pattern = {"inbound": _VENDOR_OFFERS_TO_US, "outbound": _WE_ASK_A_VENDOR}.get(view.parties.direction)
    m = pattern.search(view.text) if pattern is not None else None
    return m.group(0).lower() if m else None


def _catalogue(context: WorkspaceContext) -> tuple[str, ...]:
    """Product names the workspace sells, from `extra["products"]` ("Enterprise plan; Pro plan")."""
    raw = context.extra.get("products", "")
    return tuple(p.strip() for p in raw.replace("\n", ";").split(";") if p.strip())


def _is_us(name: str, context: WorkspaceContext) -> bool:
    key = company_key(name)
    own = company_key(context.name) if context.name else ""
    # Strict fit only: a customer may share a word with our domain ("North Star" and northwind.io).
    return bool(own and (key == own or key.startswith(own + " "))) or any(
        name_fits_domain(name, domain) for domain in context.domains)


def _signed_company(view: MessageView, current: str | None, context: WorkspaceContext) -> str | None:
    """The name the customer signs with or shows in their display name, preferred over a domain label.

    A signed name that fits the mail domain beats the label and shorter spellings; one that does not fit
    only replaces a bare domain label (the deal keeps it when the party signs so repeatedly).
    """
    contact = view.parties.contact
    person = contact.name if contact and contact.name else ""
    found: list[str | None] = []
    if view.parties.direction == "inbound":  # in our own mail the signature is ours
        found += signature_companies(view.text, person)
    if person:
        found.append(display_name_company(person))
    domain = view.parties.company_domain
    if domain is not None:  # names that fit the mail domain first
        found.sort(key=lambda name: not (name and name_shares_domain(name, domain)))
    current_key = company_key(current) if current else ""
    derived = not current or (domain is not None and current_key == company_key(name_from_domain(domain)))
    for name in found:
        if not name or not company_key(name) or _is_us(name, context):
            continue
        key = company_key(name)
        if domain is None:
            if current is None:
                return name
            continue
        if name_shares_domain(name, domain):
            if derived or key.startswith(current_key + " ") or not name_shares_domain(current or "", domain):
                return name
        elif derived:
            return name
    return current


def _customer_of_notice(fields: Fields, notice: PlatformNotice) -> None:
    """The platform's headers name nobody: the customer is who its text names."""
    if notice.contact_email:
        fields.contact_email, fields.contact_name = notice.contact_email, notice.contact_name
        host = address_domain(notice.contact_email)
        fields.company_domain = registrable_domain(host) if host and not is_free_mail(host) else None
    if notice.company:
        fields.company = notice.company
    elif fields.company_domain:
        fields.company = name_from_domain(fields.company_domain)


class LocalExtractor:
    """Implements the Extractor protocol with the model in `extraction/models/`."""

    name = "local"

    def __init__(self, model_path: Path = clf.MODEL_PATH, deal_threshold: float = DEFAULT_DEAL_THRESHOLD) -> None:
        self._classifier = clf.load(model_path)
        self.version = f"{self._classifier.version}+{self._classifier.summary['fingerprint']}"
        self.deal_threshold = deal_threshold

    def extract_email(self, email: ParsedEmail, context: WorkspaceContext) -> ExtractionResult:
        return self.extract_emails([email], context)[0]

    def extract_emails(self, emails: Sequence[ParsedEmail], context: WorkspaceContext) -> list[ExtractionResult]:
        views = [email_view(e, context) for e in emails]
        probabilities = self._classifier.probabilities(views)
        catalogue = _catalogue(context)
        results = []
        for email, view, probability in zip(emails, views, probabilities, strict=True):
            confidence, reasons = self._adjust(view, float(probability))
            notice = platform_notice(email.from_, view.text, context) if view.stage is not None else None
            if notice is not None:
                # A signing or procurement platform reporting a step of someone's deal: enough to join the
                # customer's deal, never to start one (the matcher reads the reason).
                confidence = max(confidence, NOTICE_CONFIDENCE)
                reasons.append(f"{NOTICE_REASON} ({notice.platform})")
            results.append(self._result(view, confidence, reasons, email_sources(email), catalogue, context, notice))
        return results

    def extract_event(self, event: ParsedEvent, context: WorkspaceContext) -> ExtractionResult:
        view = event_view(event, context)
        confidence, reason = event_confidence(view)
        return self._result(view, confidence, [reason], event_sources(event), _catalogue(context), context)

    def _adjust(self, view: MessageView, probability: float) -> tuple[float, list[str]]:
        reasons = [f"classifier {probability:.2f}"]
        hard_bulk = sorted(_HARD_BULK.intersection(view.bulk_reasons))
        if hard_bulk:
            reasons.append(f"bulk mail ({', '.join(hard_bulk)})")
            probability = min(probability, _BULK_CAP)
        quote = _buyer_quote(view)
        if quote is not None:
            reasons.append(f"we are the buyer ({quote})")
            probability = min(probability, _BUYER_CAP)
        elif view.buyer_hits and view.stage is None:
            reasons.append(f"we are the buyer ({view.buyer_hits[0]})")
            probability = min(probability, _BUYER_CAP)
        hiring = _RECRUITING.search(view.classifier_text) if view.parties.direction == "inbound" else None
        if hiring is not None and (view.stage is None or view.stage.stage in ("lead", "qualified")):
            reasons.append(f"recruiting ({hiring.group(0).lower()})")
            probability = min(probability, _RECRUITING_CAP)
        if not view.parties.has_external and view.parties.direction != "internal":
            reasons.append("no party outside the workspace")
        return probability, reasons

    def _result(
        self, view: MessageView, confidence: float, reasons: list[str], sources: dict[str, str],
        catalogue: tuple[str, ...], context: WorkspaceContext, notice: PlatformNotice | None = None,
    ) -> ExtractionResult:
        fields = extract_fields(view, catalogue) if confidence >= FIELDS_FLOOR else party_fields(view)
        if notice is not None:
            _customer_of_notice(fields, notice)
        if view.parties.contact is not None:  # cheap: the last lines and the display name
            fields.company = _signed_company(view, fields.company, context)
        if fields.company:
            fields.company = tidy_company(fields.company)
        if fields.company is None or _is_us(fields.company, context):
            # Our own name in a signature or the quoted history is never the customer; nor is a lone
            # generic word ("Hotel") a name: the domain's label is the better guess.
            domain = view.parties.company_domain or fields.company_domain
            fields.company = name_from_domain(domain) if domain else None
        result = ExtractionResult(
            is_deal_related=confidence >= self.deal_threshold,
            confidence=round(confidence, 4),
            company=fields.company,
            company_domain=fields.company_domain,
            amount=fields.amount,
            currency=fields.currency,
            contact_name=fields.contact_name,
            contact_email=fields.contact_email,
            product=fields.product,
            stage_hint=fields.stage_hint,
            close_date_hint=fields.close_date_hint,
            outcome=fields.outcome,
            extractor=self.name,
            extractor_version=self.version,
            reasons=reasons,
        )
        return ground_result(result, sources, masked={"body": view.masked_body} if view.masked_body else None)
