"""Small helpers that turn "who writes what to whom, when" into `Mail` objects."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from vectoros_pipelines.demo.clients import message_id, reply_prefix, strip_prefixes
from vectoros_pipelines.demo.model import Mail, Person
from vectoros_pipelines.demo.phrases import greeting, signature


def business_time(rng: random.Random, day: date, person: Person, after: datetime | None = None) -> datetime:
    """A plausible send time on `day` in the person's zone (weekends move to Monday), later than `after`."""
    while day.weekday() >= 5 and rng.random() < 0.9:
        day += timedelta(days=1)
    minutes = rng.randint(7 * 60 + 30, 18 * 60 + 30)
    sent = datetime.combine(
        day, time(minutes // 60, minutes % 60, rng.randint(0, 59)), ZoneInfo(person.timezone)
    )
    if after is not None and sent <= after:
        sent = (after + timedelta(minutes=rng.randint(12, 240))).astimezone(ZoneInfo(person.timezone))
    return sent


def domain_of(person: Person) -> str:
    return person.email.rsplit("@", 1)[1]


def letter(rng: random.Random, sender: Person, to: Person, text: str, *, casual: bool = False) -> str:
    """Greeting, text and sign-off the way this sender writes to this recipient."""
    if casual:
        opener = rng.choice([f"{to.first},", f"Hi {to.first},", ""])
        closing = rng.choice([sender.first, f"- {sender.first[0]}", "Thanks", f"Thx\n{sender.first}"])
        return "\n\n".join(p for p in (opener, text, closing) if p)
    formal = rng.random() < 0.5
    return f"{greeting(rng, to, sender.language)}\n\n{text}\n\n{signature(rng, sender, formal=formal)}"


def new_mail(
    rng: random.Random,
    sender: Person,
    to: list[Person],
    subject: str,
    body: str,
    sent: datetime,
    category: str,
    **kwargs: Any,
) -> Mail:
    mid = message_id(rng, sender.client, domain_of(sender), sent)
    return Mail(
        message_id=mid,
        sender=sender,
        to=to,
        subject=subject,
        body=body,
        sent=sent,
        category=category,
        language=sender.language,
        **kwargs,
    )


def reply_to(
    rng: random.Random,
    parent: Mail,
    sender: Person,
    body: str,
    sent: datetime,
    *,
    to: list[Person] | None = None,
    cc: list[Person] | None = None,
    **kwargs: Any,
) -> Mail:
    recipients = to if to is not None else [parent.sender]
    if cc is None:
        cc = [p for p in [*parent.to, *parent.cc] if p.email != sender.email and p not in recipients]
    subject = reply_prefix(sender.client, sender.language) + strip_prefixes(parent.subject)
    return new_mail(
        rng,
        sender,
        recipients,
        subject,
        body,
        sent,
        parent.category,
        parent=parent,
        cc=cc,
        deal_id=parent.deal_id,
        **kwargs,
    )
