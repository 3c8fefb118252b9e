import pytest

from vectoros_pipelines.extraction.deal_amount import deal_amount
from vectoros_pipelines.extraction.money import currency_code, find_amounts


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$120K", 120_000, "USD"),
        ("USD 120,000", 120_000, "USD"),
        ("€45.000", 45_000, "EUR"),
        ("£30k", 30_000, "GBP"),
        ("$1.2M over 3 years", 1_200_000, "USD"),
        ("48,500 dollars", 48_500, "USD"),
        ("45.000 €", 45_000, "EUR"),
        ("120 000 EUR", 120_000, "EUR"),
        ("EUR 12.500,50", 12_500.5, "EUR"),
        ("1,2 Mio. EUR", 1_200_000, "EUR"),
        ("CHF 9'500", 9_500, "CHF"),
        ("US$2.5m", 2_500_000, "USD"),
        ("$ 90,000", 90_000, "USD"),
        ("USD120000", 120_000, "USD"),
        ("Gesamtpreis 86.400 € netto", 86_400, "EUR"),
    ],
)
def test_money_forms(text: str, amount: float, currency: str) -> None:
    found = find_amounts(text)
    assert [(m.amount, m.currency) for m in found][:1] == [(amount, currency)]


@pytest.mark.parametrize("text", ["we spent 3 hours", "15% off", "call 555 1234", "version 2.1"])
def test_no_money_without_a_currency(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize(("token", "code"), [("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("dollars", "USD"),
                                             ("Euro", "EUR"), ("chf", "CHF"), ("CA$", "CAD")])
def test_currency_codes(token: str, code: str) -> None:
    assert currency_code(token) == code


def test_deal_amount_skips_unit_prices_and_discounts() -> None:
    text = "That is $40 per user per month, $10K off list, so the total comes to $96,000 per year."
    chosen = deal_amount(text)
    assert chosen is not None and chosen.amount == 96_000


def test_a_fee_for_the_work_is_the_value_a_setup_fee_is_not() -> None:
    chosen = deal_amount("I attach a statement of work for the two-day workshop at a fee of £9,600 + VAT plus expenses.")
    assert chosen is not None and (chosen.amount, chosen.currency) == (9600, "GBP")
    chosen = deal_amount("Subscription EUR 22.800,00 jährlich netto, zzgl. einmalig EUR 3.900,00 Setup-Pauschale.")
    assert chosen is not None and chosen.amount == 22800
    chosen = deal_amount("Licences come to $40,000 a year; there is a one-off setup fee of $2,500.")
    assert chosen is not None and chosen.amount == 40000
