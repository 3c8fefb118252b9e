"""A deal's fields, derived from the evidence linked to it.

The fields are a pure function of the linked messages (oldest first) and the
corrections a person made, so linking one more message, merging two deals or
un-merging them all reduce to "fold the evidence again" — and every field
knows which message set it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from vectoros_pipelines.extraction.companies import company_key, name_fits_domain
from vectoros_pipelines.extraction.domains import (
    address_domain,
    domain_label,
    is_free_mail,
    registrable_domain,
)
from vectoros_pipelines.extraction.result import STAGES
from vectoros_pipelines.matching.evidence import MessageFacts, SourceRef
from vectoros_pipelines.matching.products import merge_items, product_items, products_contained

OPEN_STAGES = STAGES[:5]
TRACKED_FIELDS = (
    "name", "company", "company_key", "domain", "value", "currency", "stage", "status", "contact_name",
    "contact_email", "product", "close_date", "opened_at", "closed_at", "last_activity_at",
)
# Fields a person can correct; a correction always wins over evidence.
CORRECTABLE = ("name", "company", "domain", "value", "currency", "stage", "status", "contact_name",
               "contact_email", "product", "close_date")


@dataclass
class DealFields:
    name: str | None = None
    company: str | None = None
    company_key: str | None = None
    domain: str | None = None
    value: float | None = None
    currency: str | None = None
    stage: str = "lead"
    status: str = "open"
    contact_name: str | None = None
    contact_email: str | None = None
    product: str | None = None
    close_date: date | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    last_activity_at: datetime | None = None
    sources: dict[str, SourceRef] = field(default_factory=dict)  # field -> message that set it

    def as_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in TRACKED_FIELDS}


def _most_common(values: Sequence[tuple[str, SourceRef]]) -> tuple[str, SourceRef] | None:
    """The value named most often; ties go to the earliest, so a deal's identity does not flip-flop."""
    if not values:
        return None
    counts = Counter(v for v, _ in values)
    best = max(counts.values())
    return next((v, ref) for v, ref in values if counts[v] == best)


def _coerce_correction(name: str, value: Any) -> Any:
    if name == "close_date" and isinstance(value, str):
        return date.fromisoformat(value)
    if name == "value" and value is not None:
        return float(value)
    return value


def fold_evidence(evidence: Iterable[MessageFacts], corrections: Mapping[str, Any] | None = None) -> DealFields:
    """The deal fields that the evidence supports, newest evidence winning where a field can change."""
    items = sorted(evidence, key=lambda f: (f.occurred_at, f.ref.kind, f.ref.row_id))
    out = DealFields()
    companies: list[tuple[str, SourceRef]] = []
    names_by_key: dict[str, Counter[str]] = {}
    domains: list[tuple[str, SourceRef]] = []
    contacts: list[tuple[str, SourceRef]] = []
    contact_names: dict[str, str] = {}
    fallback_contacts: list[tuple[str, SourceRef]] = []
    products: list[tuple[str, ...]] = []
    product_labels: list[str] = []
    stage_rank = 0
    customer_amount = False
    for facts in items:
        x, ref = facts.extraction, facts.ref
        out.opened_at = out.opened_at or facts.occurred_at
        out.last_activity_at = facts.occurred_at
        out.sources["last_activity_at"] = ref
        if x.company:
            key = company_key(x.company)
            if key:
                companies.append((key, ref))
                names_by_key.setdefault(key, Counter())[x.company.strip()] += 1
        if facts.company_domain:
            domains.append((facts.company_domain, ref))
        if x.contact_email and "@" in x.contact_email:
            email = x.contact_email.strip().lower()
            contacts.append((email, ref))
            if x.contact_name:
                contact_names.setdefault(email, x.contact_name)
        for email in facts.external_emails:
            fallback_contacts.append((email, ref))
        if x.product:
            items = product_items(x.product)
            if items and not products_contained(items, merge_items(*products)):
                product_labels.append(x.product.strip())
                out.sources["product"] = ref
            products.append(items)
        if x.amount is not None and x.amount > 0 and (not facts.is_internal or not customer_amount):
            # The latest amount discussed with the customer is the deal's value (a discount or a bigger
            # scope replaces it). Colleagues' figures (a 3-year total, a discount floor) count only
            # until the customer has seen a number.
            out.value, out.currency = float(x.amount), (x.currency or out.currency)
            out.sources["value"] = ref
            if x.currency:
                out.sources["currency"] = ref
            customer_amount = customer_amount or not facts.is_internal
        outcome = x.outcome or {"closed_won": "won", "closed_lost": "lost"}.get(x.stage_hint or "")
        if outcome in ("won", "lost"):
            out.status = outcome
            out.stage = f"closed_{outcome}"
            out.closed_at = facts.occurred_at
            out.close_date = x.close_date_hint or facts.occurred_at.date()
            for name in ("status", "stage", "close_date"):
                out.sources[name] = ref
        elif x.stage_hint in OPEN_STAGES:
            rank = OPEN_STAGES.index(x.stage_hint)
            # Open stages only move forward: a later message that mentions "the demo" in passing
            # must not drag a deal in negotiation back. A re-opened deal (new open-stage talk
            # after a loss) is a new deal, decided by the linker, not here.
            if out.status == "open" and rank >= stage_rank:
                stage_rank = rank
                out.stage = x.stage_hint
                out.sources["stage"] = ref
        if x.close_date_hint and outcome not in ("won", "lost") and out.status == "open":
            out.close_date = x.close_date_hint
            out.sources["close_date"] = ref
    domain = _most_common(domains)
    if domain:
        out.domain, out.sources["domain"] = domain
    company = _company_choice(companies, out.domain)
    if company:
        out.company_key = company[0]
        out.company = names_by_key[company[0]].most_common(1)[0][0]
        out.sources["company"] = company[1]
    contact = _most_common(contacts) or _most_common(fallback_contacts)
    if contact:
        out.contact_email, out.sources["contact_email"] = contact
        out.contact_name = contact_names.get(contact[0])
    if not out.domain and out.contact_email:
        host = address_domain(out.contact_email)
        if host and not is_free_mail(host):
            out.domain = registrable_domain(host)
            out.sources["domain"] = out.sources["contact_email"]
    out.product = " + ".join(product_labels) if product_labels else None
    out.name = _deal_name(out)
    for name, value in (corrections or {}).items():
        if name in CORRECTABLE:
            setattr(out, name, _coerce_correction(name, value))
            out.sources.pop(name, None)
            if name == "company":
                out.company_key = company_key(value) if value else None
    return out


def _company_choice(companies: Sequence[tuple[str, SourceRef]], domain: str | None) -> tuple[str, SourceRef] | None:
    """The company's fullest written name that fits its mail domain; else the name used most.

    Extractors fall back to the domain's name part ("meridianhp") when a message never spells the
    company out; one signature saying "Meridian Health Partners" is better than ten such fallbacks,
    and "Quarry Lane Software" better than "Quarry Lane".
    """
    if not domain:
        return _most_common(companies)
    label = domain_label(domain).replace("-", "")
    fitting = [(key, ref) for key, ref in companies
               if key.replace(" ", "") != label and name_fits_domain(key, domain)]
    if not fitting:
        return _most_common(companies)
    return max(fitting, key=lambda item: (len(item[0].split()), len(item[0])))


def _deal_name(fields: DealFields) -> str | None:
    who = fields.company or fields.domain or fields.contact_email
    if not who:
        return None
    return f"{who} — {fields.product}" if fields.product else who
