"""Makes people and companies with unique names, e-mail addresses and phone numbers."""

from __future__ import annotations

import random
import re
import unicodedata

from vectoros_pipelines.demo.model import Company, Language, MailClient, Person
from vectoros_pipelines.demo.pools import COUNTRIES, FIRST_NAMES, GERMAN_STEMS, LAST_NAMES, NAME_STEMS

_CLIENT_WEIGHTS: dict[MailClient, int] = {"outlook": 45, "gmail": 35, "apple": 12, "thunderbird": 8}
_GERMAN_TRANSLIT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}


def ascii_slug(text: str) -> str:
    for umlaut, plain in _GERMAN_TRANSLIT.items():
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


class PeopleFactory:
    """Draws people and companies without repeating a name within one scenario."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._names: set[str] = set()
        self._companies: set[str] = set()
        self._domains: set[str] = set()

    def _name(self, culture: str) -> tuple[str, str, bool]:
        for _ in range(200):
            first, female = self.rng.choice(FIRST_NAMES[culture])
            last = self.rng.choice(LAST_NAMES[culture])
            if f"{first} {last}" not in self._names:
                self._names.add(f"{first} {last}")
                return first, last, female
        raise RuntimeError(f"name pool for {culture!r} exhausted")

    def phone(self, prefix: str) -> str:
        r = self.rng
        if prefix == "+1":
            return f"+1 ({r.randint(201, 989)}) {r.randint(200, 999)}-{r.randint(1000, 9999)}"
        return f"{prefix} {r.randint(20, 899)} {r.randint(100000, 9999999)}"

    def person(
        self,
        *,
        culture: str,
        domain: str,
        company: str,
        title: str,
        timezone: str,
        language: Language,
        client: MailClient | None = None,
        phone_prefix: str = "+1",
        email_style: int | None = None,
    ) -> Person:
        first, last, female = self._name(culture)
        f, ln = ascii_slug(first), ascii_slug(last)
        style = self.rng.randrange(5) if email_style is None else email_style
        local = [f"{f}.{ln}", f"{f[0]}{ln}", f, f"{f[0]}.{ln}", f"{f}{ln[0]}"][style]
        chosen: MailClient = (
            client or self.rng.choices(list(_CLIENT_WEIGHTS), weights=list(_CLIENT_WEIGHTS.values()))[0]
        )
        return Person(
            first=first,
            last=last,
            email=f"{local}@{domain}",
            title=title,
            company=company,
            timezone=timezone,
            client=chosen,
            language=language,
            female=female,
            phone=self.phone(phone_prefix),
        )

    def free_mail_person(
        self, *, culture: str, company: str, title: str, timezone: str, language: Language, phone_prefix: str
    ) -> Person:
        """A customer who runs a small business from a personal address."""
        first, last, female = self._name(culture)
        f, ln = ascii_slug(first), ascii_slug(last)
        local = self.rng.choice(
            [
                f"{f}.{ln}{self.rng.randint(1, 99)}",
                f"{f}{ln}.{ascii_slug(company)[:8]}",
                f"{f[0]}{ln}{self.rng.randint(70, 99)}",
            ]
        )
        return Person(
            first=first,
            last=last,
            email=f"{local}@gmail.com",
            title=title,
            company=company,
            timezone=timezone,
            client="gmail",
            language=language,
            female=female,
            phone=self.phone(phone_prefix),
        )

    def company(self, *, country_code: str, nouns: tuple[str, ...], german: bool) -> Company:
        country = COUNTRIES[country_code]
        for _ in range(500):
            stem = self.rng.choice(
                GERMAN_STEMS if country.speaks_german and self.rng.random() < 0.6 else NAME_STEMS
            )
            noun = self.rng.choice(nouns)
            suffix = self.rng.choice(country.suffixes)
            base = f"{stem}{noun}"
            if base in self._companies:
                continue
            name = f"{base} {suffix}".strip() if suffix else base
            stem_slug, noun_slug = ascii_slug(stem), ascii_slug(noun)
            tld = self.rng.choice(country.tlds)
            domain = self.rng.choice(
                [
                    f"{stem_slug}.{tld}",
                    f"{stem_slug}{noun_slug}.{tld}",
                    f"{stem_slug}-{noun_slug}.{tld}",
                    f"{stem_slug}{noun_slug}.{tld}",
                    f"{stem_slug}{noun_slug[:1]}.{tld}" if noun_slug else f"{stem_slug}.{tld}",
                ]
            )
            if domain in self._domains:
                continue
            self._companies.add(base)
            self._domains.add(domain)
            language: Language = "de" if country.speaks_german and german else "en"
            return Company(
                name=name,
                domain=domain,
                country=country_code,
                timezone=self.rng.choice(country.timezones),
                currency=country.currency,
                language=language,
            )
        raise RuntimeError("company name pool exhausted")

    def reserve_domain(self, domain: str) -> None:
        self._domains.add(domain)
