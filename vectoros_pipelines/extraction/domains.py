"""Mail domains: which organisation an address belongs to, and which domains never name a company."""

from __future__ import annotations

from functools import lru_cache

import tldextract

# Consumer mailbox providers: an address here says nothing about the sender's employer.
FREE_MAIL_DOMAINS = frozenset(
    ["gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.de", "yahoo.fr", "ymail.com", "rocketmail.com", "hotmail.com", "hotmail.co.uk", "hotmail.de", "hotmail.fr", "live.com", "live.de", "live.co.uk", "outlook.com", "outlook.de", "msn.com", "aol.com", "aol.de", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "tutanota.com", "tuta.io", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com", "web.de", "t-online.de", "freenet.de", "arcor.de", "posteo.de", "mailbox.org", "mail.com", "email.com", "zoho.com", "zohomail.com", "yandex.com", "yandex.ru", "mail.ru", "qq.com", "163.com", "126.com", "sina.com", "naver.com", "hanmail.net", "laposte.net", "orange.fr", "free.fr", "wanadoo.fr", "libero.it", "virgilio.it", "bluewin.ch", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "earthlink.net", "charter.net", "btinternet.com", "sky.com", "fastmail.com", "fastmail.fm", "hey.com", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "rediffmail.com"]
)

# E-signature and procurement platforms write on a customer's behalf ("All parties have completed",
# "Your customer … sent you a new purchase order"): their notices close deals, but their sender is
# a go-between, never the customer.
SIGNING_DOMAINS = frozenset(
    ["docusign.net", "docusign.com", "echosign.com", "adobesign.com", "hellosign.com", "dropboxsign.com", "pandadoc.net", "pandadoc.com", "signnow.com", "yousign.com", "skribble.com"]
)
PROCUREMENT_DOMAINS = frozenset(
    ["ariba.com", "coupahost.com", "coupa.com", "jaggaer.com", "ivalua.com", "tradeshift.com", "basware.com", "taulia.com", "gep.com", "zycus.com"]
)
# Services that send on someone's behalf (those above, scheduling, meeting links): the sender is a
# go-between, never the customer.
SERVICE_DOMAINS = SIGNING_DOMAINS | PROCUREMENT_DOMAINS | frozenset(
    ["calendly.com", "chilipiper.com", "zoom.us", "zoomgov.com", "webex.com", "gotomeeting.com", "youcanbook.me", "savvycal.com"]
)

# The bundled public-suffix snapshot: no network at import or run time.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def address_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().strip(">").lower() or None


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """`mail.eu.acme.co.uk` → `acme.co.uk`; hosts without a known suffix are returned as given."""
    parts = _EXTRACT(host.lower())
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return host.lower()


@lru_cache(maxsize=65536)
def domain_label(host: str) -> str:
    """The name part of a registrable domain: `acme.co.uk` → `acme`."""
    parts = _EXTRACT(host.lower())
    return parts.domain or host.split(".")[0]


def is_free_mail(email_or_domain: str | None) -> bool:
    if not email_or_domain:
        return False
    domain = address_domain(email_or_domain) if "@" in email_or_domain else email_or_domain.lower()
    return domain is not None and registrable_domain(domain) in FREE_MAIL_DOMAINS


def is_service_sender(email_or_domain: str | None) -> bool:
    if not email_or_domain:
        return False
    domain = address_domain(email_or_domain) if "@" in email_or_domain else email_or_domain.lower()
    return domain is not None and registrable_domain(domain) in SERVICE_DOMAINS


def transaction_platform(email_or_domain: str | None) -> str | None:
    """The signing or procurement platform an address belongs to (its registrable domain), or None."""
    if not email_or_domain:
        return None
    domain = address_domain(email_or_domain) if "@" in email_or_domain else email_or_domain.lower()
    reg = registrable_domain(domain) if domain else None
    return reg if reg in SIGNING_DOMAINS or reg in PROCUREMENT_DOMAINS else None
