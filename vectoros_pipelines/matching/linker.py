"""Deciding, for one message, which deal it belongs to — or that it starts a new one, or neither.

Evidence, strongest first (DESIGN §5): the same thread as a linked message;
the same subject with a shared external participant (mail clients that drop
In-Reply-To); the same external contact; the same company domain with a
compatible product; the same or a similar company name; embedding similarity
(asked for only when nothing stronger exists).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from vectoros_pipelines.extraction.domains import is_free_mail, registrable_domain
from vectoros_pipelines.extraction.platform_notices import NOTICE_REASON
from vectoros_pipelines.extraction.result import STAGES
from vectoros_pipelines.matching.companies import company_similarity
from vectoros_pipelines.matching.deal_index import DealIndex, DealProfile
from vectoros_pipelines.matching.evidence import MessageFacts, shows_deal_signal
from vectoros_pipelines.matching.products import products_compatible, products_contained

THREAD = 1.0
SUBJECT_WITH_PARTICIPANT = 0.9
SUBJECT_INTERNAL = 0.8
CONTACT = 0.75
CC_CONTACT = 0.65  # a deal's contact only copied on the message: a colleague's new deal often cc's them
CONTACT_OTHER_PRODUCT = 0.6
DOMAIN = 0.6
DOMAIN_NEW_PERSON = 0.45  # a stranger from a customer's company, on a new thread, copying nobody we know
OPENING = timedelta(days=2)  # a deal's opening exchange: whoever took part then is a party to it
THIRD_PARTY = 0.45  # someone from another company seen on a deal (an integrator, a reference customer) writing fresh
THIRD_PARTY_NAMING = 0.8  # the same, naming that deal's customer in the subject: outweighs the deals they run themselves
COMPANY_EXACT = 0.6
COMPANY_FUZZY = 0.55
SEMANTIC = 0.55
COMPANY_IN_SUBJECT = 0.75
EXTRA_EVIDENCE = 0.05

# Subjects too common to thread on: "Re: Meeting" from two customers is not one conversation.
_GENERIC_SUBJECTS = frozenset((
    "hi", "hello", "hey", "hallo", "thanks", "thank you", "danke", "question", "questions", "quick question",
    "frage", "kurze frage", "follow up", "follow-up", "followup", "nachfrage", "checking in", "check in",
    "catch up", "meeting", "call", "quick call", "call today", "termin", "update", "updates", "status", "intro",
    "introduction", "info", "information", "request", "anfrage", "angebot", "proposal", "quote", "pricing",
    "contract", "invoice", "rechnung", "vertrag", "demo", "next steps", "nächste schritte", "reminder",
    "erinnerung", "(no subject)", "no subject", "kein betreff",
))


def is_distinctive_subject(subject_key: str, *, min_words: int = 1) -> bool:
    words = [w for w in subject_key.split() if len(w) > 1]
    return bool(words) and subject_key not in _GENERIC_SUBJECTS and len(words) >= min_words and len(subject_key) >= 6


@dataclass(frozen=True)
class MatchPolicy:
    """How much evidence each kind of message needs; configurable per workspace or run."""

    create_threshold: float = 0.8  # extraction confidence needed to create a deal
    link_score: float = 0.5  # evidence needed to link a confident deal message
    weak_link_score: float = 0.6  # deal-related but below the create threshold
    # Classified not deal-related: a known deal contact writing to the rep, or the thread, still links it —
    # a short "we're official!" from the buyer is about the deal whatever a classifier makes of it.
    unrelated_link_score: float = 0.75
    subject_window: timedelta = timedelta(days=120)
    closed_grace: timedelta = timedelta(days=14)  # mail right after a close still belongs to it
    revival_gap: timedelta = timedelta(days=60)  # a deal quiet this long, revived about another product, is new
    semantic_min_similarity: float = 0.6
    semantic_alone_similarity: float = 0.85


@dataclass
class Candidate:
    deal_id: int
    score: float
    reasons: list[str] = field(default_factory=list)

    def add(self, score: float, reason: str) -> None:
        if reason in self.reasons:
            return
        if self.reasons:
            # Independent kinds of evidence agreeing make the link more certain, never certain.
            self.score = min(1.0, max(self.score, score) + EXTRA_EVIDENCE)
        else:
            self.score = score
        self.reasons.append(reason)


Action = Literal["link", "create", "skip"]


@dataclass(frozen=True)
class Decision:
    action: Action
    deal_id: int | None = None
    score: float = 0.0
    reasons: tuple[str, ...] = ()


def _new_opportunity(facts: MessageFacts, deal: DealProfile, policy: MatchPolicy) -> bool:
    """Talk after a deal closed that is about something else: an upsell, a renewal, a second try."""
    if not deal.is_closed or deal.closed_at is None or facts.occurred_at <= deal.closed_at:
        return False
    products = facts.products
    if products and deal.products and not products_contained(products, deal.products):
        return True
    x = facts.extraction
    newcomers = [e for e in facts.external_emails if e not in deal.contacts]
    if newcomers and facts.direction in ("inbound", "outbound") and x.outcome is None and (
            x.stage_hint in (None, "lead", "qualified")) and _INTRO.match(facts.subject or ""):
        return True  # "Intro: Ananya <> Jordan" after the close: a colleague with a new need
    if facts.occurred_at <= deal.closed_at + policy.closed_grace:
        return False
    new_amount = x.amount is not None and deal.value is not None and abs(x.amount - deal.value) > 0.01 * deal.value
    return bool(new_amount and x.stage_hint and not x.stage_hint.startswith("closed") and x.outcome is None)


_INTRO = re.compile(r"^\s*(?:(?:re|aw|fwd?|wg)\s*:\s*)*(?:intro(?:duction|ducing)?|vorstellung|kontakt(?:vermittlung)?)\b",
                    re.IGNORECASE)


def primary_contact(facts: MessageFacts) -> str | None:
    """The customer person the message is with: the extracted contact, else the first external party."""
    if facts.extraction.contact_email and "@" in facts.extraction.contact_email:
        return facts.extraction.contact_email.strip().lower()
    return facts.external_emails[0] if facts.external_emails else None


def _third_party(email: str, facts: MessageFacts, deal: DealProfile) -> bool:
    """The person works for another company than the deal's customer, was copied on one of its later
    messages at most (like an integrator or a reference customer), and writes without the customer.

    Whoever was on the deal's first message is a party to it: a consultant's introduction makes the
    deal the introduced customer's, whoever wrote first.
    """
    host = registrable_domain(email.rsplit("@", 1)[-1]) if "@" in email else None
    return host is not None and _third_party_domain(host, facts, deal)


def _third_party_domain(host: str, facts: MessageFacts, deal: DealProfile) -> bool:
    if not deal.domain or is_free_mail(host) or host == deal.domain:
        return False
    since, opened = deal.domain_since.get(host), deal.opened_at
    if since is not None and opened is not None and since - opened <= OPENING:
        return False
    return (deal.domain_messages[host] <= 1 and facts.company_domain != deal.domain
            and deal.domain not in facts.external_domains)


def _named_in_subject(facts: MessageFacts, index: DealIndex) -> set[int]:
    return set(index.deals_named_in(facts.subject_key)) | set(index.deals_nicknamed_in(facts.subject))


def gather_candidates(facts: MessageFacts, index: DealIndex, policy: MatchPolicy) -> dict[int, Candidate]:
    """Every deal some evidence points at, scored; cheap dict lookups only."""
    found: dict[int, Candidate] = {}

    def add(deal_id: int, score: float, reason: str) -> None:
        found.setdefault(deal_id, Candidate(deal_id, 0.0)).add(score, reason)

    thread = index.thread_deal(facts)
    if thread is not None:
        add(thread, THREAD, "thread")
    if is_distinctive_subject(facts.subject_key):
        externals = set(facts.external_emails)
        for entry in index.subject_deals(facts.subject_key):
            if abs(facts.occurred_at - entry.at) > policy.subject_window or entry.deal_id not in index.profiles:
                continue
            if externals & entry.externals:
                add(entry.deal_id, SUBJECT_WITH_PARTICIPANT, "subject+participant")
            elif not externals and is_distinctive_subject(facts.subject_key, min_words=3):
                # An internal forward of a customer thread keeps its subject but loses the customer.
                add(entry.deal_id, SUBJECT_INTERNAL, "subject (internal)")
    primary = primary_contact(facts)
    if primary:
        named: set[int] | None = None  # deals the subject names, looked up only when a third party needs it
        for deal_id in index.contact_deals([primary]):
            if not _third_party(primary, facts, index.profiles[deal_id]):
                add(deal_id, CONTACT, "contact")
                continue
            named = _named_in_subject(facts, index) if named is None else named
            if deal_id in named:
                add(deal_id, THIRD_PARTY_NAMING, "third party naming the customer")
            else:
                # A partner, integrator or reference customer copied on one customer's deal also works
                # with others: their fresh mail about another company is not this deal's by that alone.
                add(deal_id, THIRD_PARTY, "third party")
    for email in facts.external_emails:
        if email == primary:
            continue
        for deal_id in index.contact_deals([email]):
            if not _third_party(email, facts, index.profiles[deal_id]):
                add(deal_id, CC_CONTACT, "cc contact")
    domains = list(facts.external_domains)
    if facts.company_domain:
        domains.append(facts.company_domain)
    for domain in domains:
        for deal_id in index.domain_deals([domain]):
            if not _third_party_domain(domain, facts, index.profiles[deal_id]):
                add(deal_id, DOMAIN, "domain")
    if facts.is_internal:
        # Colleagues write "Acme – discount approval?": the subject names the customer, often by one word.
        for deal_id in index.deals_named_in(facts.subject_key):
            add(deal_id, COMPANY_IN_SUBJECT, "company in subject")
        for deal_id in index.deals_nicknamed_in(facts.subject):
            add(deal_id, COMPANY_IN_SUBJECT, "company in subject")
    key = facts.company_key
    for deal_id, similarity in index.company_deals(key).items():
        deal = index.profiles[deal_id]
        other_domain = facts.company_domain and deal.domain and facts.company_domain != deal.domain
        if similarity >= 100.0:
            add(deal_id, COMPANY_FUZZY if other_domain else COMPANY_EXACT, "company")
        elif not other_domain:
            add(deal_id, COMPANY_FUZZY, "company~")
    return _apply_compatibility(facts, index, found, policy)


def _apply_compatibility(facts: MessageFacts, index: DealIndex, found: dict[int, Candidate],
                         policy: MatchPolicy) -> dict[int, Candidate]:
    """Product and lifecycle checks: one company can have several deals, and a closed deal stays closed."""
    out: dict[int, Candidate] = {}
    for deal_id, cand in found.items():
        deal = index.profiles[deal_id]
        threaded = cand.score >= SUBJECT_WITH_PARTICIPANT
        if not threaded and _new_opportunity(facts, deal, policy):
            continue
        if set(cand.reasons) <= _IDENTITY_ONLY and not _continues(facts, deal):
            # Another department of a known customer writing in fresh is usually a new deal; a
            # colleague joining the existing one copies the people already on it or talks about
            # what is already on the table (the same product, a later stage).
            cand.score = DOMAIN_NEW_PERSON
            cand.reasons.append("new person")
        quiet = deal.last_activity_at is not None and facts.occurred_at - deal.last_activity_at > policy.revival_gap
        if quiet and not threaded and _talks_about_something_else(facts, deal):
            continue
        if quiet and not threaded and cand.score > CONTACT_OTHER_PRODUCT:
            # A contact writing again after months of silence may be starting something new: the
            # message must say it is about a deal (or its thread must link) before it revives this one.
            cand.score = CONTACT_OTHER_PRODUCT
            cand.reasons.append("quiet deal")
        if not products_compatible(facts.products, deal.products):
            if threaded:
                pass
            elif "contact" in cand.reasons and not deal.is_closed and not quiet:
                # The same person changing what they want to buy is the same deal, held less firmly.
                cand.score = CONTACT_OTHER_PRODUCT
                cand.reasons.append("other product")
            else:
                continue
        elif facts.products and deal.products:
            cand.score = min(1.0, cand.score + EXTRA_EVIDENCE)
            cand.reasons.append("product")
        out[deal_id] = cand
    return out


def _talks_about_something_else(facts: MessageFacts, deal: DealProfile) -> bool:
    """A product the deal never mentioned, or a clearly different amount."""
    x = facts.extraction
    if facts.products and not products_contained(facts.products, deal.products):
        return True
    return bool(x.amount and deal.value and abs(x.amount - deal.value) > 0.1 * deal.value)


_IDENTITY_ONLY = frozenset({"domain", "company", "company~"})


def _continues(facts: MessageFacts, deal: DealProfile) -> bool:
    x = facts.extraction
    if facts.products and deal.products and products_compatible(facts.products, deal.products):
        return True
    if x.stage_hint in STAGES and deal.stage in STAGES:
        # A newcomer talking terms or a proposal joins the deal on the table; one describing a use case or
        # asking for a demo is as likely another department starting its own.
        late = STAGES.index(x.stage_hint) >= STAGES.index("negotiation")
        if late or STAGES.index("proposal") <= STAGES.index(x.stage_hint) > STAGES.index(deal.stage):
            return True
    return bool(x.amount and deal.value and abs(x.amount - deal.value) <= 0.1 * deal.value)


def semantic_candidates(facts: MessageFacts, hits: Iterable[tuple[int, float]], index: DealIndex,
                        policy: MatchPolicy, known: dict[int, Candidate] | None = None) -> dict[int, Candidate]:
    """Deals the embedding search found, kept only where the company agrees (or nothing names one).

    A newcomer from a customer's company reads like that company's deal because the company is named in
    both: closeness alone does not overrule the "new person" judgement unless it is near-identical.
    """
    out: dict[int, Candidate] = {}
    for deal_id, similarity in hits:
        deal = index.profiles.get(deal_id)
        if deal is None or deal.is_closed or similarity < policy.semantic_min_similarity:
            continue
        newcomer = known is not None and deal_id in known and "new person" in known[deal_id].reasons
        if newcomer and similarity < policy.semantic_alone_similarity:
            continue
        if not products_compatible(facts.products, deal.products):
            continue
        company = company_similarity(facts.company_key, deal.company_key)
        anonymous = not facts.company_key and not facts.external_domains
        if company >= 75.0 or (anonymous and similarity >= policy.semantic_alone_similarity):
            out[deal_id] = Candidate(deal_id, SEMANTIC, [f"semantic {similarity:.2f}"])
    return out


def best_candidate(candidates: dict[int, Candidate], index: DealIndex) -> Candidate | None:
    """Highest score; ties go to open deals, then to the most recently active one."""
    if not candidates:
        return None

    def rank(c: Candidate) -> tuple[float, int, float, int]:
        deal = index.profiles[c.deal_id]
        last = deal.last_activity_at.timestamp() if deal.last_activity_at else 0.0
        return (round(c.score, 6), int(not deal.is_closed), last, c.deal_id)

    return max(candidates.values(), key=rank)


def can_create(facts: MessageFacts, policy: MatchPolicy) -> bool:
    """A confident deal message that names a customer (a person, a domain or a company)."""
    x = facts.extraction
    if not x.is_deal_related or x.confidence < policy.create_threshold:
        return False
    if any(reason.startswith(NOTICE_REASON) for reason in x.reasons):
        return False  # a platform's notice joins the customer's deal; a look-alike must not invent one
    return bool(facts.external_emails or facts.company_key or facts.company_domain)


_BUYER_SIDE = "we are the buyer"
_CONVERSATION = frozenset({"thread", "subject+participant", "subject (internal)"})
_TEAM_NOTE = "company in subject"


def _mostly_deal_talk(deal: DealProfile) -> bool:
    return deal.signal_messages > 2 * (deal.messages - deal.signal_messages)


def same_conversation(candidate: Candidate, facts: MessageFacts | None = None) -> bool:
    """Evidence that the message is part of the deal's conversation, not just mail from someone on it.

    The sales team's own note titled with the customer's name ("Calloway – pricing in dollars") is about
    that customer whatever words it uses; anyone else at the company naming a counterparty is not.
    """
    if _CONVERSATION.intersection(candidate.reasons):
        return True
    return facts is not None and facts.with_team and _TEAM_NOTE in candidate.reasons


def required_score(facts: MessageFacts, policy: MatchPolicy) -> float:
    x = facts.extraction
    if any(reason.startswith(_BUYER_SIDE) for reason in x.reasons):
        # The workspace buying from a vendor is never a sales deal, whoever is on it.
        return SUBJECT_WITH_PARTICIPANT
    if x.is_deal_related and x.confidence >= policy.create_threshold:
        return policy.link_score
    if x.is_deal_related:
        return policy.weak_link_score
    return policy.unrelated_link_score


def decide(facts: MessageFacts, candidates: dict[int, Candidate], index: DealIndex,
           policy: MatchPolicy) -> Decision:
    best = best_candidate(candidates, index)
    if best is not None and best.score >= required_score(facts, policy) and (
            shows_deal_signal(facts) or same_conversation(best, facts) or _mostly_deal_talk(index.profiles[best.deal_id])):
        # A contact's mail that shows no deal signal joins by contact only while the deal's own mail is
        # mostly deal talk: a lawyer or a colleague who writes about everything does not turn a deal into
        # a catch-all for their correspondence.
        return Decision("link", best.deal_id, best.score, tuple(best.reasons))
    if can_create(facts, policy):
        return Decision("create", None, facts.extraction.confidence, ("new deal",))
    return Decision("skip", None, best.score if best else 0.0, tuple(best.reasons) if best else ())
