"""Amounts written the many ways people write them ("$120K", "€45.000", "120 000 EUR")."""

from __future__ import annotations

import random
from collections.abc import Callable

from vectoros_pipelines.demo.model import Language, Money

_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
_WORD = {"USD": "dollars", "EUR": "euros", "GBP": "pounds"}


def _grouped(value: float, sep: str) -> str:
    return f"{int(round(value)):,}".replace(",", sep)


def _short(value: float) -> str | None:
    """120000 -> "120", 1200000 -> "1.2M"-style mantissa; None when it would lose precision."""
    if value >= 1_000_000 and value % 100_000 == 0:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000 and value % 1_000 == 0:
        return f"{int(value // 1000)}K"
    return None


def _english_forms(value: float, currency: str) -> list[Callable[[], str]]:
    sym, word = _SYMBOL[currency], _WORD[currency]
    forms: list[Callable[[], str]] = [
        lambda: f"{sym}{_grouped(value, ',')}",
        lambda: f"{currency} {_grouped(value, ',')}",
        lambda: f"{_grouped(value, ',')} {word}",
    ]
    short = _short(value)
    if short is not None:
        forms.append(lambda: f"{sym}{short}")
        if short.endswith("K"):
            forms.append(lambda: f"{sym}{short[:-1]}k")
    if currency == "EUR":
        forms.append(lambda: f"{_grouped(value, ' ')} EUR")
        forms.append(lambda: f"€{_grouped(value, '.')}")
    if currency == "USD":
        forms.append(lambda: f"US${_grouped(value, ',')}")
    return forms


def _german_forms(value: float, currency: str) -> list[Callable[[], str]]:
    sym = _SYMBOL[currency]
    forms: list[Callable[[], str]] = [
        lambda: f"{_grouped(value, '.')} {sym}",
        lambda: f"{_grouped(value, '.')},00 {currency}",
        lambda: f"{currency} {_grouped(value, '.')}",
        lambda: f"{_grouped(value, ' ')} {currency}",
    ]
    if currency == "EUR":
        forms.append(lambda: f"€{_grouped(value, '.')}")
        forms.append(lambda: f"{_grouped(value, '.')} Euro")
    return forms


def write_amount(rng: random.Random, value: float, currency: str, language: Language = "en") -> Money:
    forms = _german_forms(value, currency) if language == "de" else _english_forms(value, currency)
    return Money(value=value, currency=currency, text=rng.choice(forms)())


def write_multi_year(
    rng: random.Random, total: float, years: int, currency: str, language: Language
) -> Money:
    """A total contract value over several years, e.g. "$1.2M over 3 years"; the value is the total."""
    base = write_amount(rng, total, currency, language)
    if language == "de":
        tail = rng.choice([f" für {years} Jahre", f" über eine Laufzeit von {years} Jahren"])
    else:
        tail = rng.choice(
            [f" over {years} years", f" total for a {years}-year term", f" over a {years}-year term"]
        )
    return Money(value=total, currency=currency, text=base.text + tail)


def round_to(value: float, step: int) -> int:
    return max(step, int(round(value / step)) * step)
