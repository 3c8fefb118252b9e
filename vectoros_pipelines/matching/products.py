"""Which products a deal is about, and whether two product descriptions can be the same deal.

Two deals at one company about different products are different deals (an
upsell is not a duplicate), so product compatibility gates linking to closed
deals and every merge. Unknown products are compatible with anything: absence
of a mention is not evidence of a different product.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz

# Words that describe the kind of offering rather than which one: "Pro plan" and "Pro" are the same item.
_FILLER = frozenset(
    """
    plan plans tier edition license licence licenses licences package pack bundle subscription subscriptions
    service services product products the a an our your add addon add-on on seat seats year years yearly annual
    paket lizenz lizenzen tarif abo abonnement der die das und
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_SPLIT = re.compile(r"\s*(?:\+|,|;|/|&|\band\b|\bund\b|\bplus\b|\bwith\b|\bmit\b)\s*", re.IGNORECASE)
_PARENS = re.compile(r"\([^)]*\)")
_SAME_ITEM = 85.0


def product_items(product: str | None) -> tuple[str, ...]:
    """`"Enterprise plan (3-year) + Premium Support"` → `("enterprise", "premium support")`."""
    if not product:
        return ()
    text = unicodedata.normalize("NFKD", product).encode("ascii", "ignore").decode().lower()
    # Parentheses hold terms ("3-year", "upgrade from Pro"), not further products.
    text = _PARENS.sub(" ", text)
    items: list[str] = []
    for part in _SPLIT.split(text):
        words = [w for w in re.findall(r"[a-z0-9]+", part) if w not in _FILLER and not w.isdigit()]
        item = " ".join(words)
        if item and item not in items:
            items.append(item)
    return tuple(items)


def merge_items(*groups: Iterable[str]) -> tuple[str, ...]:
    """Union of product items in first-mention order, with near-identical spellings kept once."""
    out: list[str] = []
    for group in groups:
        for item in group:
            if not any(_same_item(item, seen) for seen in out):
                out.append(item)
    return tuple(out)


def _same_item(a: str, b: str) -> bool:
    if a == b or fuzz.ratio(a, b) >= _SAME_ITEM:
        return True
    # "northwind pro" (brand + tier) and "pro" name the same item; "enterprise" and "pro" do not.
    left, right = set(a.split()), set(b.split())
    return left <= right or right <= left


def products_compatible(a: Iterable[str], b: Iterable[str]) -> bool:
    """True unless both sides name products and share none of them."""
    left, right = tuple(a), tuple(b)
    if not left or not right:
        return True
    return any(_same_item(x, y) for x in left for y in right)


def products_contained(items: Iterable[str], within: Iterable[str]) -> bool:
    """Every item of `items` is already one of `within` (a message about what the deal already covers)."""
    pool = tuple(within)
    return all(any(_same_item(item, seen) for seen in pool) for item in items)
