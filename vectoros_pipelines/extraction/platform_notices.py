"""Signing and procurement platforms writing on a customer's behalf.

"All parties have completed Acme – MSA" from docusign.net, or "Your customer Acme sent you a new purchase
order" from ansmtp.ariba.com, is how many deals are won; but the sender is a go-between, so the headers
name no customer. The customer is what the platform writes: the signer's address in the text, the buyer's
name as the display name ("Acme Corp <ordersender@ansmtp.ariba.com>"), or "Dana Lee via DocuSign".
Such a notice may join the customer's deal but never starts one: the matcher reads `NOTICE_REASON`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vectoros_pipelines.extraction.base import WorkspaceContext
from vectoros_pipelines.extraction.bulk_mail import is_no_reply_address, is_role_address
from vectoros_pipelines.extraction.domains import is_service_sender, transaction_platform
from vectoros_pipelines.mail.message import Participant

NOTICE_REASON = "platform notice"
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_VIA = re.compile(r"^\s*(?P<who>.+?)\s+(?:via|über|by|through)\s+\S.*$", re.IGNORECASE)
_PLATFORM_NAME = re.compile(
    r"docusign|adobe|echosign|hellosign|dropbox|pandadoc|signnow|yousign|skribble|ariba|\bsap\b|coupa|jaggaer"
    r"|ivalua|tradeshift|basware|taulia|\bgep\b|zycus|business network|no[- ]?reply|notification",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PlatformNotice:
    platform: str  # registrable domain of the sender
    contact_email: str | None  # the customer person the text names
    contact_name: str | None  # "Dana Lee" of "Dana Lee via DocuSign"
    company: str | None  # the buyer the platform writes for ("Acme Corp" as the display name)


def platform_notice(sender: Participant | None, text: str, context: WorkspaceContext) -> PlatformNotice | None:
    """Who the notice is from, when a signing or procurement platform sent it; else None."""
    platform = transaction_platform(sender.email) if sender is not None else None
    if sender is None or platform is None:
        return None
    name = (sender.name or "").strip().strip('"')
    via = _VIA.match(name)
    person = via.group("who").strip() if via else None
    company = name if name and not via and not _PLATFORM_NAME.search(name) else None
    contact = next((address.lower() for address in _ADDRESS.findall(text)
                    if not context.is_internal(address) and address.lower() not in context.user_emails
                    and not is_service_sender(address) and not is_no_reply_address(address)
                    and not is_role_address(address)), None)
    return PlatformNotice(platform, contact, person, company)
