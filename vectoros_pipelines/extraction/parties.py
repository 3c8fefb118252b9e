"""Who is on the other side of a message: direction, the main external person and their organisation's domain."""

from __future__ import annotations

from dataclasses import dataclass

from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.extraction.bulk_mail import is_no_reply_address, is_role_address
from vectoros_pipelines.extraction.domains import (
    address_domain,
    is_free_mail,
    is_service_sender,
    registrable_domain,
)
from vectoros_pipelines.mail.message import Participant

_ROLE_ORDER = {"from": 0, "reply_to": 1, "to": 2, "cc": 3, "bcc": 4, "organizer": 0, "attendee": 2}


@dataclass(frozen=True, slots=True)
class Parties:
    direction: str  # inbound (an outsider wrote to us) | outbound (we wrote out) | internal | unknown
    external: tuple[Participant, ...]  # outsiders, strongest role first
    internal_count: int
    contact: Participant | None  # the main external person: not a role or no-reply address when avoidable
    company_domain: str | None  # registrable domain of the first outsider on a company (not free-mail) domain

    @property
    def has_external(self) -> bool:
        return bool(self.external)

    @property
    def external_domains(self) -> set[str]:
        return {registrable_domain(d) for p in self.external if (d := address_domain(p.email))}

    @property
    def only_free_mail(self) -> bool:
        return bool(self.external) and all(is_free_mail(p.email) for p in self.external)


def _is_us(p: Participant, context: WorkspaceContext) -> bool:
    return context.is_internal(p.email) or p.email.lower() in context.user_emails


def find_parties(sender: Participant | None, participants: list[Participant], context: WorkspaceContext) -> Parties:
    everyone: dict[str, Participant] = {}
    for p in ([sender] if sender else []) + list(participants):
        if p.email and "@" in p.email and p.email not in everyone:
            everyone[p.email] = p
    external = sorted(
        (p for p in everyone.values() if not _is_us(p, context)), key=lambda p: _ROLE_ORDER.get(p.role, 5)
    )
    internal_count = len(everyone) - len(external)
    if sender is None:
        direction = "unknown"
    elif _is_us(sender, context):
        direction = "outbound" if external else "internal"
    else:
        direction = "inbound"
    people = [p for p in external if not is_no_reply_address(p.email) and not is_service_sender(p.email)]
    contact = next((p for p in people if not is_role_address(p.email)), people[0] if people else None)
    domain = None
    for p in ([contact] if contact else []) + people:
        host = address_domain(p.email)
        if host and not is_free_mail(host):
            domain = registrable_domain(host)
            break
    return Parties(direction, tuple(external), internal_count, contact, domain)
