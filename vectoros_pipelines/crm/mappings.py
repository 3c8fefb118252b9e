"""How each CRM names the columns of an opportunity export, and how its stages map to ours."""

from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("id", "name", "account", "amount", "currency", "stage", "won", "closed", "created", "close_date",
          "owner", "product")


@dataclass(frozen=True)
class ColumnMapping:
    name: str
    aliases: dict[str, tuple[str, ...]]  # our field -> header names (compared case- and space-insensitively)

    def resolve(self, headers: list[str]) -> dict[str, str]:
        """Our field -> the header present in this file."""
        by_key = {_key(h): h for h in headers}
        found: dict[str, str] = {}
        for fld, names in self.aliases.items():
            for candidate in names:
                if _key(candidate) in by_key:
                    found[fld] = by_key[_key(candidate)]
                    break
        return found


def _key(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch.isalnum())


SALESFORCE = ColumnMapping("salesforce", {
    "id": ("Opportunity ID", "Opportunity Id", "Id"),
    "name": ("Opportunity Name", "Name"),
    "account": ("Account Name", "Account"),
    "amount": ("Amount", "Total Price", "Expected Revenue"),
    "currency": ("Opportunity Currency", "Amount Currency", "Currency", "CurrencyIsoCode"),
    "stage": ("Stage", "StageName"),
    "won": ("Won", "IsWon"),
    "closed": ("Closed", "IsClosed"),
    "created": ("Created Date", "CreatedDate"),
    "close_date": ("Close Date", "CloseDate"),
    "owner": ("Opportunity Owner", "Owner Name", "Owner"),
    "product": ("Product Name", "Primary Product", "Product"),
})

HUBSPOT = ColumnMapping("hubspot", {
    "id": ("Record ID", "Deal ID", "hs_object_id"),
    "name": ("Deal Name", "dealname"),
    "account": ("Associated Company", "Company name", "Associated Company (Primary)", "Company"),
    "amount": ("Amount", "amount"),
    "currency": ("Currency", "Deal currency code", "deal_currency_code"),
    "stage": ("Deal Stage", "dealstage"),
    "won": ("Is Closed Won", "hs_is_closed_won"),
    "closed": ("Is Deal Closed?", "Is Closed", "hs_is_closed"),
    "created": ("Create Date", "createdate"),
    "close_date": ("Close Date", "closedate"),
    "owner": ("Deal owner", "Deal Owner", "hubspot_owner_id"),
    "product": ("Product", "Line Item Name", "Products"),
})

# Anything else: the union of both vocabularies plus plain names.
GENERIC = ColumnMapping("generic", {
    fld: tuple(dict.fromkeys(SALESFORCE.aliases[fld] + HUBSPOT.aliases[fld] + (fld,)))
    for fld in FIELDS
})

MAPPINGS = {"salesforce": SALESFORCE, "hubspot": HUBSPOT}


def detect(headers: list[str]) -> ColumnMapping:
    """The mapping whose vocabulary covers most of the headers (Salesforce, HubSpot, else generic)."""
    best = max(MAPPINGS.values(), key=lambda m: len(m.resolve(headers)))
    return best if "id" in best.resolve(headers) else GENERIC


_STAGE_WORDS = (
    ("lost", "closed_lost"), ("won", "closed_won"), ("negotiat", "negotiation"), ("review", "negotiation"),
    ("contract", "negotiation"), ("proposal", "proposal"), ("quote", "proposal"), ("demo", "demo"),
    ("perception", "demo"), ("presentation", "demo"), ("qualif", "qualified"), ("engag", "qualified"),
    ("needs analysis", "qualified"), ("value proposition", "proposal"), ("decision", "qualified"),
    ("appointment", "qualified"), ("prospect", "lead"), ("lead", "lead"), ("new", "lead"),
)


def normalise_stage(raw: str) -> str | None:
    """Our stage for a CRM's stage label, or None when the label is unknown."""
    text = raw.strip().lower().replace("_", " ")
    text = text.replace("closedwon", "closed won").replace("closedlost", "closed lost")
    for word, stage in _STAGE_WORDS:
        if word in text:
            return stage
    return None
