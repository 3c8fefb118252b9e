"""Is a message bulk mail (newsletter, notification, mailing list, auto-reply) rather than a person writing?"""

from __future__ import annotations

import re

from vectoros_pipelines.mail.message import ParsedEmail

_NO_REPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|notifications?|notify|mailer(-daemon)?|bounces?|"
    r"newsletters?|news|marketing|digest|alerts?|updates|postmaster|automated|system)\b",
    re.IGNORECASE,
)
# Shared mailboxes: a real customer may write from info@, so this is a hint for the classifier, not a veto.
_ROLE = re.compile(r"^(info|hello|team|sales|support|billing|accounts?|invoices?|office|contact|service|kontakt)\b", re.I)
_BULK_PRECEDENCE = {"bulk", "list", "junk"}
# What only a broadcast says of itself: archives and forwarding strip the List-* headers, the words stay.
# A person who writes to us never unsubscribes us or addresses us as "subscriber".
_BROADCAST_TEXT = re.compile(
    r"\bunsubscribe\b|\bopt[- ]out\b|to be removed from (?:our|this|the) (?:mailing |e-?mail |distribution )?list"
    # ... but every confidentiality footer says "if you have received this email in error".
    r"|you (?:are receiving|received|have received) this (?:e-?mail|message|newsletter|alert)(?! (?:in error|by mistake))"
    r"|this (?:e-?mail|message|newsletter) was sent to\b|manage (?:your )?(?:e-?mail )?(?:preferences|subscriptions?)"
    r"|view (?:this|it|the) (?:e-?mail |newsletter )?(?:in|on) (?:your |a )?(?:web )?browser"
    r"|\bdear (?:subscriber|list member|member|reader|valued (?:customer|client|member|subscriber))s?\b|\w+ subscriber,"
    r"|\bfor immediate release\b|\bmedia contacts?:|\bpress release\b"
    r"|newsletter (?:abbestellen|abmelden)|vom newsletter abmelden|sie erhalten diese (?:e-mail|nachricht|mail)"
    r"|(?:im|in ihrem) browser (?:an)?(?:zeigen|öffnen|ansehen)|\bpressemitteilung\b",
    re.IGNORECASE,
)
_IMAGE_PLACEHOLDER = "[image]"


def is_no_reply_address(email: str | None) -> bool:
    """Role addresses that broadcast; a person never answers from them."""
    if not email or "@" not in email:
        return False
    return bool(_NO_REPLY.match(email.split("@", 1)[0]))


def is_role_address(email: str | None) -> bool:
    return bool(email and "@" in email and _ROLE.match(email.split("@", 1)[0]))


def bulk_mail_reasons(email: ParsedEmail) -> list[str]:
    """Why a message looks like bulk mail; empty when it looks person-to-person."""
    headers = {k.lower(): v for k, v in email.headers.items()}
    reasons: list[str] = []
    if "list-unsubscribe" in headers:
        reasons.append("list-unsubscribe")
    if "list-id" in headers or "list-post" in headers:
        reasons.append("mailing-list")
    if headers.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        reasons.append("precedence")
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        reasons.append("auto-submitted")
    if "feedback-id" in headers:
        reasons.append("esp-campaign")  # bulk senders (SES, SendGrid, Mailchimp) tag campaigns with it
    if "x-autoreply" in headers or "x-autorespond" in headers:
        reasons.append("auto-reply")
    if email.from_ is not None and is_no_reply_address(email.from_.email):
        reasons.append("role-sender")
    return reasons


def broadcast_text(text: str) -> str | None:
    """The phrase that gives a body away as a newsletter, press release or mass mailing, if any."""
    m = _BROADCAST_TEXT.search(text)
    if m:
        return m.group(0)
    # Converted HTML newsletters: a row of image placeholders where the layout was.
    return _IMAGE_PLACEHOLDER if text.lower().count(_IMAGE_PLACEHOLDER) >= 3 else None


def is_bulk_mail(email: ParsedEmail) -> bool:
    return bool(bulk_mail_reasons(email))
