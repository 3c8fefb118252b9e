"""Money amounts in running text, in the forms people write them ("$120K", "USD 120,000", "45.000 €", "1,2 Mio. EUR")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from price_parser import Price

# Longest first so "US$" wins over "$". Bare "$" means USD: the common case in business mail.
_SYMBOLS: dict[str, str] = {
    "us$": "USD", "usd$": "USD", "ca$": "CAD", "c$": "CAD", "cad$": "CAD", "au$": "AUD", "a$": "AUD",
    "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL", "$": "USD", "€": "EUR", "£": "GBP",
    "¥": "JPY", "₹": "INR", "₩": "KRW", "fr.": "CHF", "sfr.": "CHF",
}
_CODES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY", "CNY", "INR", "SEK", "NOK", "DKK",
          "PLN", "CZK", "HUF", "SGD", "HKD", "BRL", "MXN", "ZAR", "AED", "KRW", "TRY", "ILS")
_WORDS: dict[str, str] = {
    "dollars": "USD", "dollar": "USD", "us dollars": "USD", "bucks": "USD", "euros": "EUR", "euro": "EUR",
    "pounds": "GBP", "pound sterling": "GBP", "pounds sterling": "GBP", "franken": "CHF", "francs": "CHF",
    "yen": "JPY",
}
_MULTIPLIERS: dict[str, int] = {
    "k": 1_000, "thousand": 1_000, "tsd": 1_000, "tsd.": 1_000, "tausend": 1_000,
    "m": 1_000_000, "mm": 1_000_000, "mn": 1_000_000, "mio": 1_000_000, "mio.": 1_000_000,
    "million": 1_000_000, "millions": 1_000_000, "millionen": 1_000_000,
    "b": 1_000_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000, "mrd": 1_000_000_000, "mrd.": 1_000_000_000,
}

_SYM = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CODE = "|".join(_CODES)
_WORD = "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True))
# Grouped thousands with , . ' or (narrow) spaces, optional decimals; or a plain number.
_NUM = r"\d{1,3}(?:(?:[,.'’]|[ \u00a0\u202f])\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_MULT = r"(?:k|mm|mn|m|bn|b|thousand|millions?|millionen|mio\.?|tsd\.?|tausend|mrd\.?)(?![a-z])"

_PREFIXED = re.compile(
    rf"(?<![\w$€£¥])(?P<cur>{_SYM}|\b(?:{_CODE})(?![a-z]))\s?(?P<num>{_NUM})(?:\s?(?P<mult>{_MULT}))?",
    re.IGNORECASE,
)
_SUFFIXED = re.compile(
    rf"(?<![\w.,$€£¥])(?P<num>{_NUM})(?:\s?(?P<mult>{_MULT}))?\s?(?P<cur>{_SYM}|\b(?:{_CODE}|{_WORD})\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class MoneyMention:
    amount: float
    currency: str  # ISO 4217
    start: int
    end: int
    text: str


def currency_code(token: str) -> str | None:
    """ISO 4217 code for a symbol, code or word ("€" → EUR, "dollars" → USD)."""
    t = token.strip().lower()
    if t.upper() in _CODES:
        return t.upper()
    return _SYMBOLS.get(t) or _WORDS.get(t)


def _number(raw: str) -> Decimal | None:
    # "45.000" and "120 000" are thousands (price-parser knows the European forms); a lone
    # "1.2" before a multiplier is a decimal, which price-parser also gets right.
    compact = re.sub(r"[ \u00a0\u202f]", "", raw) if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+", raw) else raw
    return Price.fromstring(compact).amount


# Every match contains one of these (lower-cased): a C-speed gate before the regexes.
_GATE = tuple({*(s for s in _SYMBOLS if len(s) == 1), "fr.", *(c.lower() for c in _CODES), *_WORDS})


def find_amounts(text: str) -> list[MoneyMention]:
    """Every money amount with a currency marker, in text order; overlapping matches keep the longer one."""
    found: list[MoneyMention] = []
    lowered = text.lower()
    if not any(marker in lowered for marker in _GATE):
        return found
    for pattern in (_PREFIXED, _SUFFIXED):
        for m in pattern.finditer(text):
            currency = currency_code(m.group("cur"))
            value = _number(m.group("num"))
            if currency is None or value is None:
                continue
            mult = (m.group("mult") or "").lower()
            amount = float(value) * _MULTIPLIERS.get(mult, 1)
            found.append(MoneyMention(amount, currency, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[MoneyMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            if (mention.end - mention.start) > (kept[-1].end - kept[-1].start):
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


def parse_amount(text: str) -> MoneyMention | None:
    """The first amount in `text`, or None."""
    found = find_amounts(text)
    return found[0] if found else None


def amounts_equal(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.005, abs(b) * 1e-6)
