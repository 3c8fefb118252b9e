"""Which of the amounts in a message is the deal's value (not a unit price, a discount or an old figure)."""

from __future__ import annotations

import re

from vectoros_pipelines.extraction.money import MoneyMention, find_amounts

_TOTAL = re.compile(
    r"total|overall|contract value|deal|annual|per year|a year|/yr|/year|acv|tcv|arr|budget|price|pricing|quote|proposal|offer"
    r"|comes? to|agreed|final|revised|updated|new|approved|order|invoice|fee|gesamt|angebot|preis|summe|auftragswert|vertragswert|jährlich|pro jahr|netto",
    re.IGNORECASE,
)
_PER_UNIT = re.compile(
    r"^\s*(?:/|per |pro |each|a |an |je )\s*(?:user|seat|licen[cs]e|month|mo\b|hour|hr\b|day|unit|piece|stück|monat|stunde|tag|nutzer|lizenz|pallet|palette|shipment|sendung|km|kg|ton|tonne)",
    re.IGNORECASE,
)
_NOT_THE_VALUE = re.compile(
    r"discount|off\b|save|saving|rabatt|nachlass|instead of|down from|list price|was |previous|statt|ursprünglich|listenpreis|deposit|anzahlung"
    # One-off and side fees are not what the deal is worth; "a fee of £9,600" for the work is.
    r"|(?:setup|set-up|one-off|one-time|onboarding|implementation|late|transaction|handling|processing|booking|admin) fee"
    r"|einmalig|pauschale|einrichtung",
    re.IGNORECASE,
)


def _score(text: str, mention: MoneyMention) -> float:
    before = text[max(0, mention.start - 60): mention.start]
    after = text[mention.end: mention.end + 40]
    score = 0.0
    if _TOTAL.search(before) or _TOTAL.search(after[:25]):
        score += 2
    if _PER_UNIT.match(after):
        score -= 3
    if _NOT_THE_VALUE.search(before[-30:]) or re.match(r"^\s*(?:off|discount|rabatt|nachlass)", after, re.I):
        score -= 2
    if mention.amount < 100:
        score -= 1  # prices per item, not deals
    return score


def deal_amount(text: str) -> MoneyMention | None:
    """The amount most likely to be the deal's value; ties go to the larger amount."""
    mentions = find_amounts(text)
    if not mentions:
        return None
    best = max(mentions, key=lambda m: (_score(text, m), m.amount))
    return best if _score(text, best) > -2 else None
