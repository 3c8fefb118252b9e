"""Field extractors: company, domain, contact, amount, product, stage and close date from one MessageView."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from vectoros_pipelines.extraction.close_date import close_date
from vectoros_pipelines.extraction.companies import LEGAL_FORM_PATTERN, best_name_for_domain, name_from_domain
from vectoros_pipelines.extraction.deal_amount import deal_amount
from vectoros_pipelines.extraction.domains import is_free_mail, registrable_domain
from vectoros_pipelines.extraction.message_view import MessageView
from vectoros_pipelines.extraction.products import find_product

# Signature lines with a legal form name the sender's company even from a free-mail address.
_LEGAL_NAME = re.compile(r"(?m)^[ \t|•·-]*(?:.*[|,•·][ \t]*)?(?P<name>[A-ZÄÖÜ][\w&'’.-]*(?:[ \t]+[\w&'’.-]+){0,4},?[ \t]+" + LEGAL_FORM_PATTERN + r")[ \t]*$")
_NAME_IN_PARENS = re.compile(r"[(\[|–-]\s*(?P<name>[^()\[\]|]+?)\s*[)\]]?$")


@dataclass(slots=True)
class Fields:
    company: str | None = None
    company_domain: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    amount: float | None = None
    currency: str | None = None
    product: str | None = None
    stage_hint: str | None = None
    outcome: str | None = None
    close_date_hint: date | None = None


def _signature(text: str) -> str:
    lines = [line for line in text.strip().split("\n") if line.strip()]
    return "\n".join(lines[-12:])


def _company(view: MessageView, domain: str | None) -> str | None:
    contact = view.parties.contact
    display = contact.name if contact and contact.name else ""
    # the quoted history last: the customer's own signature is often only there
    texts = [display, view.organization, _signature(view.text), view.subject, view.text, view.full_body]
    if domain:
        found = best_name_for_domain(texts, domain)
        if found is not None:
            return found[0]
    for text in (_signature(view.text), view.organization):
        m = _LEGAL_NAME.search(text) if text else None
        if m:
            return m.group("name").strip()
    if display:
        m = _NAME_IN_PARENS.search(display)
        if m and domain is None and len(m.group("name")) > 1:
            return m.group("name")
    return name_from_domain(domain) if domain else None


# A website in a signature: "www.schreinerei-kranz.de", "https://bramblecote.org.uk".
_WEBSITE = re.compile(r"(?:\bhttps?://|\bwww\.)(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.IGNORECASE)


def _signature_website(view: MessageView) -> str | None:
    """A small customer writing from gmail or web.de still signs with their firm's website."""
    for m in reversed(list(_WEBSITE.finditer(_signature(view.text)))):
        domain = registrable_domain(m.group(1).lower())
        if domain and not is_free_mail(domain):
            return domain
    return None


def party_fields(view: MessageView) -> Fields:
    """Who the other side is, from headers and the sender's signature: cheap enough for every message."""
    domain = view.parties.company_domain
    if domain is None and view.parties.direction == "inbound" and view.parties.only_free_mail:
        domain = _signature_website(view)
    fields = Fields(company_domain=domain)
    contact = view.parties.contact
    if contact is not None:
        fields.contact_email = contact.email
        fields.contact_name = contact.name or None
    return fields


def extract_fields(view: MessageView, catalogue: tuple[str, ...] = ()) -> Fields:
    fields = party_fields(view)
    fields.company = _company(view, fields.company_domain)
    text = view.classifier_text
    amount = deal_amount(text)
    if amount is not None:
        fields.amount, fields.currency = amount.amount, amount.currency
    product = find_product(text, catalogue)
    if product is not None:
        fields.product = product.name
    if view.stage is not None:
        fields.stage_hint, fields.outcome = view.stage.stage, view.stage.outcome
    if view.sent_at is not None:
        close = close_date(text, view.sent_at)
        if close is not None:
            fields.close_date_hint = close.value
        elif fields.outcome is not None:
            fields.close_date_hint = view.sent_at.date()  # closed now: the message date is the close date
    return fields
