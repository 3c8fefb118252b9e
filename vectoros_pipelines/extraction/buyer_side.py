"""Signals that the workspace is the *buyer* in a message: vendor invoices, renewals we pay, pitches to us."""

from __future__ import annotations

import re

# Phrases a vendor writes to its customer. In mail *to* the workspace they mean we are the customer.
_TO_US_AS_CUSTOMER = re.compile(
    r"your (?:subscription|plan|license|licence|membership|account|trial) (?:will )?(?:renew|expire|is due|has been renewed|renews)"
    r"|(?:auto-?renew|automatically renew)|your (?:invoice|receipt|payment|order|bill|statement)\b|invoice (?:#|no\.?|number)"
    r"|payment (?:is )?(?:due|received|overdue|failed)|amount due|balance due|thank you for your (?:order|purchase|payment|business)"
    r"|we (?:help|helped) (?:companies|teams|businesses) like|(?:quick|15[- ]minute|short) (?:call|chat) to (?:show|explore|discuss how)"
    r"|i noticed (?:that )?(?:your|you)|would you be open to|book a (?:time|call|demo) (?:with me|here)|are you the right person"
    r"|ihre (?:rechnung|bestellung|zahlung|mitgliedschaft)|ihr (?:abonnement|abo|vertrag) (?:verlängert sich|läuft|wird verlängert)"
    r"|rechnungs(?:nummer|nr)|zahlungserinnerung|mahnung|fällig(?:er betrag)?|vielen dank für ihre (?:bestellung|zahlung)",
    re.IGNORECASE,
)


def buyer_side_hits(text: str) -> list[str]:
    """The buyer-side phrases found (lower-cased), so a reason can name them."""
    return [m.group(0).lower() for m in _TO_US_AS_CUSTOMER.finditer(text)][:5]
