"""Finding deals that are one deal, and planning their merge.

Linking keeps one deal per conversation, so duplicates come from identities
that only later turn out to be the same customer: a free-mail address and a
corporate one, two domains of one company, a company named before its domain
was known. Never merged: two deals at one company about different products or
departments, a closed deal and one opened after it closed (an upsell or a
renewal), and any pair a person has un-merged.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta

from vectoros_pipelines.matching.companies import company_similarity
from vectoros_pipelines.matching.deal_index import DealIndex, DealProfile
from vectoros_pipelines.matching.products import products_compatible, products_contained


@dataclass(frozen=True)
class MergePlan:
    winner_id: int
    loser_id: int
    reasons: tuple[str, ...]


def _same_customer(a: DealProfile, b: DealProfile) -> list[str]:
    reasons = []
    shared = a.contacts & b.contacts
    if shared:
        reasons.append(f"shared contact {sorted(shared)[0]}")
    similarity = company_similarity(a.company_key, b.company_key)
    if similarity >= 90.0:
        reasons.append(f"company {a.company_key!r}~{b.company_key!r} ({similarity:.0f})")
    if a.domains & b.domains and not reasons:
        reasons.append(f"domain {sorted(a.domains & b.domains)[0]}")
    return reasons


def _revived_as_new(first: DealProfile, second: DealProfile, gap: timedelta) -> bool:
    """`second` began after `first` had gone quiet, about another product or amount: an upsell, not a copy."""
    if not (first.last_activity_at and second.opened_at and second.opened_at - first.last_activity_at > gap):
        return False
    if second.products and not products_contained(second.products, first.products):
        return True
    return bool(first.value and second.value and abs(first.value - second.value) > 0.1 * first.value)


def _own_leads(a: DealProfile, b: DealProfile) -> bool:
    """Each deal is led by its own person: linking kept them apart on purpose (a newcomer starting a
    deal of their own), and a lead copied on the other deal's mail does not undo that."""
    return bool(a.contact_email and b.contact_email and a.contact_email != b.contact_email)


def duplicate_reasons(a: DealProfile, b: DealProfile, revival_gap: timedelta = timedelta(days=60)) -> list[str]:
    """Why `a` and `b` are one deal, or [] when they are not (or must not be merged)."""
    if not products_compatible(a.products, b.products):
        return []
    if a.departments and b.departments and not (a.departments & b.departments):
        return []
    if a.is_closed and b.is_closed and a.status != b.status:
        return []
    for first, second in ((a, b), (b, a)):
        if first.is_closed and first.closed_at and second.opened_at and second.opened_at > first.closed_at:
            return []
    for first, second in ((a, b), (b, a)):
        if _revived_as_new(first, second, revival_gap):
            return []
    if a.domain and b.domain and a.domain == b.domain and (not (a.contacts & b.contacts) or _own_leads(a, b)):
        # Linking already puts one company's compatible mail into one deal; two deals at one domain
        # led by different people are deliberately separate (another department or buying centre),
        # even when one copies a colleague from the other.
        return []
    reasons = _same_customer(a, b)
    if not reasons:
        return []
    other_domains = a.domain and b.domain and a.domain != b.domain
    similarity = company_similarity(a.company_key, b.company_key)
    if other_domains and not (a.contacts & b.contacts) and similarity < 100:
        return []  # similar names on different domains: two companies until a shared person says otherwise
    if other_domains and similarity < 90:
        # Two companies by name and domain: a person on both deals is a third party (an integrator, a
        # reference customer, a consultant), not proof that they are one.
        return []
    return reasons


def find_duplicates(index: DealIndex, touched: Iterable[int],
                    never: Collection[frozenset[int]] = ()) -> list[MergePlan]:
    """Merge plans for the deals touched in this run against every live deal, oldest deal winning."""
    plans: list[MergePlan] = []
    merged_into: dict[int, int] = {}
    for deal_id in sorted(set(touched)):
        deal = index.profiles.get(deal_id)
        if deal is None or deal_id in merged_into:
            continue
        others: set[int] = set(index.contact_deals(deal.contacts)) | index.domain_deals(deal.domains)
        others |= set(index.company_deals(deal.company_key))
        for other_id in sorted(others - {deal_id}):
            if other_id in merged_into or frozenset((deal_id, other_id)) in never:
                continue
            other = index.profiles[other_id]
            reasons = duplicate_reasons(deal, other)
            if not reasons:
                continue
            winner, loser = sorted((deal, other), key=_age)
            plans.append(MergePlan(winner.id, loser.id, tuple(reasons)))
            merged_into[loser.id] = winner.id
            if loser.id == deal_id:
                break
    return plans


def _age(deal: DealProfile) -> tuple[float, int]:
    return (deal.opened_at.timestamp() if deal.opened_at else float("inf"), deal.id)
