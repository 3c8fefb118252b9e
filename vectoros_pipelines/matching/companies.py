"""Comparing company names the way people write them: case, accents and legal forms ignored, typos tolerated."""

from __future__ import annotations

from rapidfuzz import fuzz

from vectoros_pipelines.extraction.companies import company_key

__all__ = ["company_key", "company_similarity", "same_company"]

# token_set_ratio treats "Acme" and "Acme Holdings" as equal; a short key inside a long one is
# still a strong hint, but below an exact key match.
SAME_COMPANY = 90.0


def company_similarity(a: str | None, b: str | None) -> float:
    """0–100 similarity of two normalised company keys; 0 when either is missing."""
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    if len(a) < 4 or len(b) < 4:
        # Very short keys ("ibm", "ge") only match exactly; fuzzy scores on them are noise.
        return 0.0
    return max(fuzz.ratio(a, b), 0.95 * fuzz.token_set_ratio(a, b))


def same_company(a: str | None, b: str | None) -> bool:
    return company_similarity(a, b) >= SAME_COMPANY
