"""The workspace's deals, indexed by every key a message can point at.

Each lookup is a dict access (thread key, contact address, domain, company
key, subject), so matching one message costs the same with 10 or 10,000 open
deals; only the fuzzy company-name fallback touches every company name, and it
runs for messages with no stronger evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from vectoros_pipelines.extraction.companies import GENERIC_NAME_WORDS, company_key
from vectoros_pipelines.extraction.domains import domain_label, is_service_sender
from vectoros_pipelines.matching.companies import company_similarity
from vectoros_pipelines.matching.deal_state import DealFields
from vectoros_pipelines.matching.evidence import MessageFacts, as_utc, shows_deal_signal
from vectoros_pipelines.matching.products import merge_items


@dataclass
class DealProfile:
    """What matching compares a message (or another deal) against."""

    id: int
    status: str = "open"
    stage: str = "lead"
    company_key: str | None = None
    domain: str | None = None
    products: tuple[str, ...] = ()
    contact_email: str | None = None
    contacts: set[str] = field(default_factory=set)  # every external address seen on the deal
    domains: set[str] = field(default_factory=set)
    domain_messages: Counter[str] = field(default_factory=Counter)  # linked messages each outside domain took part in
    domain_since: dict[str, datetime] = field(default_factory=dict)  # when each outside domain first took part
    departments: set[str] = field(default_factory=set)
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    last_activity_at: datetime | None = None
    value: float | None = None
    messages: int = 0
    signal_messages: int = 0  # linked messages that themselves read as deal talk (`shows_deal_signal`)

    @property
    def is_closed(self) -> bool:
        return self.status in ("won", "lost")


@dataclass(frozen=True, slots=True)
class SubjectEntry:
    deal_id: int
    externals: frozenset[str]
    at: datetime


_MAX_BLOCK = 200


class DealIndex:
    def __init__(self) -> None:
        self.profiles: dict[int, DealProfile] = {}
        self.by_thread: dict[str, int] = {}
        self.by_contact: dict[str, set[int]] = {}
        self.by_domain: dict[str, set[int]] = {}
        self.by_company: dict[str, set[int]] = {}
        self.by_subject: dict[str, list[SubjectEntry]] = {}
        self._names_by_first_word: dict[str, set[str]] = {}
        self._names_by_word: dict[str, set[str]] = {}

    # -- building -------------------------------------------------------------------------------------
    def set_fields(self, deal_id: int, fields: DealFields, products: Iterable[str] = (),
                   departments: Iterable[str] = ()) -> DealProfile:
        """Records a deal's current fields (after creation, an update, or at load)."""
        profile = self.profiles.setdefault(deal_id, DealProfile(id=deal_id))
        profile.status = fields.status
        profile.stage = fields.stage
        profile.company_key = fields.company_key
        profile.domain = fields.domain
        profile.contact_email = fields.contact_email
        profile.value = fields.value
        profile.opened_at, profile.closed_at = as_utc(fields.opened_at), as_utc(fields.closed_at)
        profile.last_activity_at = as_utc(fields.last_activity_at)
        profile.products = merge_items(profile.products, products)
        profile.departments.update(departments)
        if fields.company_key:
            self.by_company.setdefault(fields.company_key, set()).add(deal_id)
            self._index_name(fields.company_key)
        if fields.domain:
            # The domain's name part ("coastalfreight") is how people often write the company too.
            label = domain_label(fields.domain)
            if len(label) >= 4:
                self.by_company.setdefault(label, set()).add(deal_id)
                self._index_name(label)
        if fields.domain:
            profile.domains.add(fields.domain)
            self.by_domain.setdefault(fields.domain, set()).add(deal_id)
        if fields.contact_email:
            profile.contacts.add(fields.contact_email)
            self.by_contact.setdefault(fields.contact_email, set()).add(deal_id)
        return profile

    def add_message(self, deal_id: int, facts: MessageFacts) -> None:
        """Makes a linked message's thread keys, people and subject point at its deal."""
        profile = self.profiles.setdefault(deal_id, DealProfile(id=deal_id))
        profile.messages += 1
        profile.signal_messages += int(shows_deal_signal(facts))
        for key in facts.own_keys:
            self.by_thread[key] = deal_id
        for email in facts.external_emails:
            if is_service_sender(email):
                continue  # docusign.net writes for every customer: it is nobody's contact
            profile.contacts.add(email)
            self.by_contact.setdefault(email, set()).add(deal_id)
        profile.domain_messages.update(set(facts.external_domains))
        at = as_utc(facts.occurred_at)
        for domain in facts.external_domains:
            if at is not None and (domain not in profile.domain_since or at < profile.domain_since[domain]):
                profile.domain_since[domain] = at
        for domain in facts.external_domains:
            profile.domains.add(domain)
            self.by_domain.setdefault(domain, set()).add(deal_id)
        if facts.subject_key:
            self.by_subject.setdefault(facts.subject_key, []).append(
                SubjectEntry(deal_id, frozenset(facts.external_emails), facts.occurred_at))

    def remove_deal(self, deal_id: int, into: int) -> None:
        """A merged-away deal: everything that pointed at it now points at the deal it merged into."""
        loser = self.profiles.pop(deal_id, None)
        for key, target in list(self.by_thread.items()):
            if target == deal_id:
                self.by_thread[key] = into
        for table in (self.by_contact, self.by_domain, self.by_company):
            for ids in table.values():
                if deal_id in ids:
                    ids.discard(deal_id)
                    ids.add(into)
        for entries in self.by_subject.values():
            for i, entry in enumerate(entries):
                if entry.deal_id == deal_id:
                    entries[i] = SubjectEntry(into, entry.externals, entry.at)
        winner = self.profiles.get(into)
        if loser and winner:
            winner.contacts |= loser.contacts
            winner.domains |= loser.domains
            winner.domain_messages += loser.domain_messages
            for domain, at in loser.domain_since.items():
                winner.domain_since[domain] = min(at, winner.domain_since.get(domain, at))
            winner.messages += loser.messages
            winner.signal_messages += loser.signal_messages

    def _index_name(self, key: str) -> None:
        words = key.split()
        for word in words:
            if len(word) >= 3:
                self._names_by_word.setdefault(word, set()).add(key)
        if words and len(key) >= 4:
            self._names_by_first_word.setdefault(words[0], set()).add(key)
        if len(words) >= 3 and len(words[0]) + len(words[1]) >= 8:
            # "Coastal Freight Lines" is written "Coastal Freight" in passing.
            short = " ".join(words[:2])
            self.by_company.setdefault(short, set()).update(self.by_company.get(key, set()))
            self._names_by_first_word.setdefault(words[0], set()).add(short)

    # -- lookups --------------------------------------------------------------------------------------
    def thread_deal(self, facts: MessageFacts) -> int | None:
        for key in facts.thread_refs:
            deal_id = self.by_thread.get(key)
            if deal_id is not None and deal_id in self.profiles:
                return deal_id
        return None

    def subject_deals(self, subject_key: str) -> list[SubjectEntry]:
        return self.by_subject.get(subject_key, [])

    def contact_deals(self, emails: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for email in emails:
            found |= self.by_contact.get(email, set())
        return found & self.profiles.keys()

    def domain_deals(self, domains: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for domain in domains:
            found |= self.by_domain.get(domain, set())
        return found & self.profiles.keys()

    def deals_named_in(self, text: str) -> set[int]:
        """Deals whose company name appears as whole words in `text`: a lookup per word, not a scan."""
        words = company_key(text).split()  # folded like the names: "Müller" is "muller" on both sides
        found: set[int] = set()
        for i, word in enumerate(words):
            for key in self._names_by_first_word.get(word, ()):
                if " ".join(words[i:i + len(key.split())]) == key:
                    found |= self.by_company.get(key, set())
            if i + 1 < len(words):
                # "Fairway Dental" in a subject is the domain name part "fairwaydental".
                found |= self.by_company.get(word + words[i + 1], set())
        return found & self.profiles.keys()

    def deals_nicknamed_in(self, text: str) -> set[int]:
        """Deals that colleagues call by one word of the company's name ("Calloway – pricing", "Kowalski Posen").

        The word must be written capitalised, be at least five letters, not be a generic business word,
        and belong to one company only among the deals: "Retail" or "Technik" name no one.
        """
        found: set[int] = set()
        for raw in re.findall(r"\b[A-ZÄÖÜ][\w'-]{4,}", text):
            word = company_key(raw)
            if not word or " " in word or word in GENERIC_NAME_WORDS:
                continue
            names = {n for n in self._names_by_word.get(word, set()) if self.by_company.get(n, set()) & self.profiles.keys()}
            companies = {frozenset(self.by_company[n] & self.profiles.keys()) for n in names}
            if len(companies) == 1:
                found |= next(iter(companies))
        return found

    def company_deals(self, key: str | None, *, min_similarity: float = 90.0) -> dict[int, float]:
        """Deals whose company key equals or closely resembles `key`, with the similarity (0–100)."""
        if not key:
            return {}
        hits: dict[int, float] = {d: 100.0 for d in self.by_company.get(key, set()) if d in self.profiles}
        if len(key) < 4:
            return hits
        # Fuzzy candidates share a word with the key (blocking): no scan over every company name.
        # Words shared by very many names ("group", "partners") block nothing and are skipped.
        pool: set[str] = set()
        for word in key.split():
            names = self._names_by_word.get(word, set())
            if len(word) >= 3 and len(names) <= _MAX_BLOCK:
                pool |= names
        if not pool and " " not in key:
            pool = {n for n in self._names_by_word.get(key[:4], set())}
        for other in pool:
            score = company_similarity(key, other)
            if score < min_similarity:
                continue
            for deal_id in self.by_company.get(other, set()):
                if deal_id in self.profiles:
                    hits[deal_id] = max(hits.get(deal_id, 0.0), score)
        return hits

