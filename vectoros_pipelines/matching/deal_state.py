"""A deal's fields, derived from the evidence linked to it.

The fields are a pure function of the linked messages (oldest first) and the
corrections a person made, so linking one more message, merging two deals or
un-merging them all reduce to "fold the evidence again" — and every field
knows which message set it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from vectoros_pipelines.extraction.companies import (
    LEGAL_FORM_PATTERN,
    company_key,
    name_from_domain,
    name_shares_domain,
)
from vectoros_pipelines.extraction.domains import (
    address_domain,
    is_free_mail,
    registrable_domain,
)
from vectoros_pipelines.extraction.event_rules import event_stage
from vectoros_pipelines.extraction.result import STAGES, ExtractionResult
from vectoros_pipelines.extraction.stages import price_only
from vectoros_pipelines.matching.evidence import MessageFacts, SourceRef
from vectoros_pipelines.matching.products import merge_items, product_items, products_contained

OPEN_STAGES = STAGES[:5]
_QUALIFIED = OPEN_STAGES.index("qualified")
_PROPOSAL = OPEN_STAGES.index("proposal")
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


def stated_outcome(x: ExtractionResult) -> str | None:
    """won | lost where the message states it. closed_lost without an outcome is a loss only guessed at
    (a rep's break-up mail): not an outcome by itself."""
    if x.outcome in ("won", "lost"):
        return x.outcome
    return "won" if x.stage_hint == "closed_won" else None


_AUTO_REPLY = re.compile(r"^\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|out of (?:the )?office|abwesenheit"
                         r"|automatische antwort|réponse automatique)", re.IGNORECASE)


def _person_wrote(facts: MessageFacts) -> bool:
    """Written by a person, not an out-of-office or other automatic reply."""
    return not (_AUTO_REPLY.match(facts.subject or "")
                or any(reason.startswith("bulk mail") for reason in facts.extraction.reasons))


def _price_list(x: ExtractionResult) -> bool:
    span = x.spans.get("stage_hint")
    return x.stage_hint == "proposal" and span is not None and price_only(span.text)


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
    closed_by_customer = False
    customer_amount = False
    met: SourceRef | None = None  # the first meeting with the customer, once later evidence shows it took place
    suspected: MessageFacts | None = None  # a loss guessed at in our mail, waiting for the customer's answer
    for facts in items:
        x, ref = facts.extraction, facts.ref
        if facts.cancelled:
            # A meeting called off says why in its description ("Investitionsstopp bis April"), but the
            # customer's own mail is where the deal's state is decided.
            x = replace(x, stage_hint=None, outcome=None, close_date_hint=None)
        if met is not None and out.status == "open" and stage_rank < _QUALIFIED:
            # Mail after a meeting with the customer means the meeting is behind us: whoever sat down
            # with us is past a raw lead. A meeting still ahead (nothing after it yet) does not count.
            stage_rank, out.stage, out.sources["stage"] = _QUALIFIED, "qualified", met
            met = None
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
            named = product_items(x.product)
            if named and not products_contained(named, merge_items(*products)):
                product_labels.append(x.product.strip())
                out.sources["product"] = ref
            products.append(named)
        if x.amount is not None and x.amount > 0 and (not facts.is_internal or not customer_amount):
            # The latest amount discussed with the customer is the deal's value (a discount or a bigger
            # scope replaces it). Colleagues' figures (a 3-year total, a discount floor) count only
            # until the customer has seen a number.
            out.value, out.currency = float(x.amount), (x.currency or out.currency)
            out.sources["value"] = ref
            if x.currency:
                out.sources["currency"] = ref
            customer_amount = customer_amount or not facts.is_internal
        outcome = stated_outcome(x)
        if suspected is not None and outcome is None and out.status == "open":
            if facts.ref.kind == "event" and not facts.cancelled or (
                    x.stage_hint in OPEN_STAGES and OPEN_STAGES.index(x.stage_hint) >= min(stage_rank, _PROPOSAL)):
                suspected = None  # they met us again or still talk business: the guess was wrong
            elif facts.direction == "inbound" and _person_wrote(facts):
                # The customer answered the break-up mail and took up nothing: the guessed loss stands.
                outcome, ref = "lost", suspected.ref
        if x.stage_hint == "closed_lost" and outcome is None and facts.direction == "outbound" and out.status == "open":
            suspected = facts
        if outcome in ("won", "lost"):
            suspected = None
            out.status = outcome
            out.stage = f"closed_{outcome}"
            out.closed_at = facts.occurred_at
            out.close_date = x.close_date_hint or facts.occurred_at.date()
            closed_by_customer = facts.direction == "inbound"
            for name in ("status", "stage", "close_date"):
                out.sources[name] = ref
        elif x.stage_hint in OPEN_STAGES and not (_price_list(x) and stage_rank < _QUALIFIED):
            # (Prices in answer to a first enquiry are a price list; after discovery or a demo, a proposal.)
            rank = OPEN_STAGES.index(x.stage_hint)
            if (out.status != "open" and not closed_by_customer and facts.direction == "inbound"
                    and rank >= OPEN_STAGES.index("proposal")):
                # We called it closed (our mail, internal chatter) but the customer is still talking
                # terms or quotes: the customer's own words win, the deal is open again. Post-sale talk
                # (kickoff requirements, a pilot) does not reopen it.
                out.status, out.closed_at = "open", None
                out.stage = OPEN_STAGES[stage_rank]
            # Open stages only move forward: a later message that mentions "the demo" in passing
            # must not drag a deal in negotiation back. A re-opened deal (new open-stage talk
            # after a loss) is a new deal, decided by the linker, not here.
            if out.status == "open" and rank >= stage_rank:
                stage_rank = rank
                out.stage = x.stage_hint
                out.sources["stage"] = ref
        if facts.ref.kind == "event" and facts.external_emails and not facts.cancelled and met is None:
            met = ref
        if facts.ref.kind == "event" and not facts.cancelled and out.status == "open" and outcome not in ("won", "lost"):
            # A meeting with the customer moves the deal by what it is ("Product demo", "Contract review",
            # "Angebotsbesprechung"), even when its description says nothing the message rules read.
            held = event_stage(facts.subject)
            if held is not None and OPEN_STAGES.index(held) > stage_rank:
                stage_rank = OPEN_STAGES.index(held)
                out.stage = held
                out.sources["stage"] = ref
        if x.close_date_hint and outcome not in ("won", "lost") and out.status == "open":
            out.close_date = x.close_date_hint
            out.sources["close_date"] = ref
    domain = _most_common(domains)
    if domain:
        out.domain, out.sources["domain"] = domain
    company = _company_choice(companies, out.domain, names_by_key)
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
    _align_stage_and_status(out, OPEN_STAGES[stage_rank], corrections or {})
    return out


def _align_stage_and_status(out: DealFields, open_stage: str, corrections: Mapping[str, Any]) -> None:
    """A closed deal's stage is closed_won/closed_lost, an open deal's is an open stage; a correction leads."""
    if "stage" in corrections and "status" not in corrections:
        out.status = out.stage.removeprefix("closed_") if out.stage in ("closed_won", "closed_lost") else "open"
    elif out.status in ("won", "lost"):
        out.stage = f"closed_{out.status}"
    elif out.stage in ("closed_won", "closed_lost"):
        out.stage = open_stage


_LEGAL_FORM_END = re.compile(r"(?:^|\s)" + LEGAL_FORM_PATTERN + r"$")


def _company_choice(
    companies: Sequence[tuple[str, SourceRef]], domain: str | None, names_by_key: Mapping[str, Counter[str]]
) -> tuple[str, SourceRef] | None:
    """The name the deal's messages write most often for the customer, across all of them.

    Extractors fall back to the domain's label ("meridianhp", "Steinbrueck") when a message never spells
    the company out; any name a signature or our own mail writes beats those. Among written names, the
    ones that fit the mail domain come first; a shorter spelling counts for the fuller one that extends
    it ("Quarry Lane" for "Quarry Lane Software"), so the fullest common form wins.
    """
    if not companies:
        return None
    written = [(key, ref) for key, ref in companies
               if not _domain_derived(key, domain, names_by_key.get(key, ()))] or list(companies)
    if domain:
        fitting = [(key, ref) for key, ref in written
                   if any(name_shares_domain(name, domain) for name in names_by_key.get(key, ()))
                   or name_shares_domain(key, domain)]
        if not fitting:
            # A name that shares nothing with the mail domain (a signature, a display name) is believed
            # when the party writes it more than once or it carries a legal form; a single one may be a
            # misread signature line, and the domain's own label is the safer name.
            counts = Counter(key for key, _ in written)
            fitting = [(key, ref) for key, ref in written if counts[key] >= 2 or any(
                _LEGAL_FORM_END.search(name) for name in names_by_key.get(key, ()))]
            if not fitting:
                fitting = [(key, ref) for key, ref in companies
                           if _domain_derived(key, domain, names_by_key.get(key, ()))]
        written = fitting or written
    return _most_written(written)


def _domain_derived(key: str, domain: str | None, spellings: Iterable[str] = ()) -> bool:
    """A name only read off the domain ("Steinbrueck", "Acme Robotics" from acme-robotics.de).

    The same words with a legal form ("ECKERT Anlagenbau GmbH" at eckert-anlagenbau.de) were written by
    someone: no domain label carries one.
    """
    if not domain:
        return False
    # Spaces matter: "ostrander retail" was written by someone, "ostranderretail" only read off the domain.
    return key == company_key(name_from_domain(domain)) and not any(_LEGAL_FORM_END.search(s) for s in spellings)


def _most_written(names: Sequence[tuple[str, SourceRef]]) -> tuple[str, SourceRef]:
    counts = Counter(key for key, _ in names)
    # A shorter spelling counts for a fuller one that contains it: "quarry lane" for "quarry lane software",
    # "kranich logistik" for "spedition kranich logistik".
    fuller = {key: sum(n for other, n in counts.items() if other == key or f" {other} " in f" {key} ") for key in counts}
    best = max(counts, key=lambda key: (fuller[key], len(key.split()), len(key)))
    return next((key, ref) for key, ref in names if key == best)


def _deal_name(fields: DealFields) -> str | None:
    who = fields.company or fields.domain or fields.contact_email
    if not who:
        return None
    return f"{who} — {fields.product}" if fields.product else who
