"""Habits of mail clients: Message-ID shapes, reply quoting, forward headers, client headers.

Real mailboxes mix Gmail, Outlook, Apple Mail and Thunderbird; a parser or
classifier that only ever saw one of them would learn the client, not the mail.
"""

from __future__ import annotations

import random
import string
from datetime import datetime
from zoneinfo import ZoneInfo

from vectoros_pipelines.demo.dates import MONTHS_DE, WEEKDAYS_DE, WEEKDAYS_DE_SHORT
from vectoros_pipelines.demo.model import Language, MailClient, Person

_B64ISH = string.ascii_letters + string.digits + "-_+"
_HEX = "0123456789ABCDEF"


def _pick(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def message_id(rng: random.Random, client: MailClient, sender_domain: str, sent: datetime) -> str:
    """A Message-ID (without brackets) in the shape the sender's client would produce."""
    if client == "gmail":
        return f"CA{_pick(rng, _B64ISH, 38)}@mail.gmail.com"
    if client == "outlook":
        region = rng.choice(["namprd", "eurprd", "gbrprd"])
        host = f"{rng.choice(['DM6', 'BN8', 'PH0', 'AM9', 'DB7', 'LO4', 'FR3'])}PR{rng.randint(10, 19)}MB{rng.randint(1000, 9999)}"
        return f"{host}{_pick(rng, _HEX, 32)}@{host}.{region}{rng.randint(1, 22):02d}.prod.outlook.com"
    if client == "apple":
        parts = [_pick(rng, _HEX, n) for n in (8, 4, 4, 4, 12)]
        return f"{'-'.join(parts)}@{sender_domain}"
    if client == "thunderbird":
        parts = [_pick(rng, _HEX.lower(), n) for n in (8, 4, 4, 4, 12)]
        return f"{'-'.join(parts)}@{sender_domain}"
    stamp = sent.astimezone(ZoneInfo("UTC")).strftime("%Y%m%d%H%M%S")
    return f"{stamp}.{_pick(rng, _HEX.lower(), 16)}@{rng.choice(['mail', 'mailer', 'bounce', 'em'])}.{sender_domain}"


def client_headers(variant: int, client: MailClient) -> list[tuple[str, str]]:
    """Headers a client adds; `variant` picks the client version so rendering needs no random state."""
    if client == "outlook":
        return [
            ("Thread-Topic", ""),
            ("X-MS-Has-Attach", ""),
            ("X-MS-TNEF-Correlator", ""),
            ("Content-Language", "en-US"),
        ]
    if client == "apple":
        return [("X-Mailer", f"Apple Mail (2.{['3774.500.171', '3731.700.6', '3826.400.131'][variant % 3]})")]
    if client == "thunderbird":
        return [("User-Agent", f"Mozilla Thunderbird {['115.14.0', '128.3.1', '128.5.0'][variant % 3]}")]
    return []


def _local(dt: datetime, person: Person) -> datetime:
    return dt.astimezone(ZoneInfo(person.timezone))


def reply_header(
    client: MailClient,
    language: Language,
    author: Person,
    sent: datetime,
    quoted_at: datetime,
    to: list[Person],
    subject: str,
) -> tuple[str, bool]:
    """The line(s) a client writes above a quoted reply, and whether the quote is '>'-prefixed.

    `author` wrote the quoted message; the attribution uses the replier's clock.
    """
    when = quoted_at.astimezone(sent.tzinfo)
    if client == "outlook":
        if language == "de":
            lines = [
                "-----Ursprüngliche Nachricht-----",
                f"Von: {author.name} <{author.email}>",
                f"Gesendet: {WEEKDAYS_DE[when.weekday()]}, {when.day}. {MONTHS_DE[when.month - 1]} {when.year} "
                f"{when:%H:%M}",
                f"An: {'; '.join(p.name for p in to)}",
                f"Betreff: {subject}",
            ]
        else:
            lines = [
                "-----Original Message-----",
                f"From: {author.name} <{author.email}>",
                f"Sent: {when:%A}, {when:%B} {when.day}, {when.year} {when:%I:%M %p}".replace(" 0", " "),
                f"To: {'; '.join(p.name for p in to)}",
                f"Subject: {subject}",
            ]
        return "\n".join(lines), False
    if language == "de":
        return (
            f"Am {WEEKDAYS_DE_SHORT[when.weekday()]}, {when.day}. {MONTHS_DE[when.month - 1]} {when.year} um "
            f"{when:%H:%M} Uhr schrieb {author.name} <{author.email}>:"
        ), True
    if client == "apple":
        return (
            f"On {when:%b} {when.day}, {when.year}, at {when:%H:%M}, {author.name} <{author.email}> wrote:",
            True,
        )
    if client == "thunderbird":
        return f"On {when:%d/%m/%Y} {when:%H:%M}, {author.name} wrote:", True
    hour = when.strftime("%I").lstrip("0")
    return (
        f"On {when:%a}, {when:%b} {when.day}, {when.year} at {hour}:{when:%M} {when:%p} "
        f"{author.name} <{author.email}> wrote:"
    ), True


def forward_header(
    client: MailClient, language: Language, author: Person, sent_at: datetime, to: list[Person], subject: str
) -> str:
    if client == "outlook":
        if language == "de":
            return "\n".join(
                [
                    "________________________________",
                    f"Von: {author.name} <{author.email}>",
                    f"Gesendet: {sent_at:%d.%m.%Y %H:%M}",
                    f"An: {'; '.join(p.name for p in to)}",
                    f"Betreff: {subject}",
                ]
            )
        return "\n".join(
            [
                "________________________________",
                f"From: {author.name} <{author.email}>",
                f"Sent: {sent_at:%A, %B} {sent_at.day}, {sent_at.year} {sent_at:%I:%M %p}",
                f"To: {'; '.join(p.name for p in to)}",
                f"Subject: {subject}",
            ]
        )
    if client == "apple":
        return "\n".join(
            [
                "Begin forwarded message:",
                "",
                f"From: {author.name} <{author.email}>",
                f"Subject: {subject}",
                f"Date: {sent_at:%B} {sent_at.day}, {sent_at.year} at {sent_at:%H:%M:%S}",
                f"To: {', '.join(f'{p.name} <{p.email}>' for p in to)}",
            ]
        )
    label = "Weitergeleitete Nachricht" if language == "de" else "Forwarded message"
    return "\n".join(
        [
            f"---------- {label} ---------",
            f"From: {author.name} <{author.email}>",
            f"Date: {sent_at:%a}, {sent_at:%b} {sent_at.day}, {sent_at.year} at {sent_at:%I:%M %p}",
            f"Subject: {subject}",
            f"To: {', '.join(f'{p.name} <{p.email}>' for p in to)}",
        ]
    )


def reply_prefix(client: MailClient, language: Language) -> str:
    if language == "de":
        return "AW: " if client == "outlook" else "Re: "
    return "RE: " if client == "outlook" else "Re: "


def forward_prefix(client: MailClient, language: Language) -> str:
    if language == "de" and client == "outlook":
        return "WG: "
    return "FW: " if client == "outlook" else "Fwd: "


def strip_prefixes(subject: str) -> str:
    lowered = subject
    while True:
        for prefix in ("Re: ", "RE: ", "AW: ", "Fwd: ", "FW: ", "WG: "):
            if lowered.startswith(prefix):
                lowered = lowered[len(prefix) :]
                break
        else:
            return lowered
