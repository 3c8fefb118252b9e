"""Where a deal stands, from what the message says: stage hint and won/lost outcome (English and German)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Strongest evidence first: a message that says "signed" is closed even if it also mentions the proposal.
_STAGE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("closed_lost", r"decided to go (?:with|in) (?:another|a different|an other) (?:vendor|provider|supplier|direction|solution)"
     r"|(?:went|go|going) with (?:a |another )?competitor|chose (?:another|a different) (?:vendor|provider|supplier)"
     r"|(?:not|won't be|will not be) (?:be )?moving forward|not (?:going|able) to proceed|decided not to (?:proceed|move forward|purchase|buy)"
     r"|(?:project|initiative|budget) (?:has been |was |got )?(?:cancelled|canceled|shelved|frozen|cut)"
     r"|für einen anderen anbieter entschieden|anderen anbieter entschieden|gegen (?:sie|ihr angebot) entschieden"
     r"|nicht weiter verfolgen|leider (?:eine )?absage|projekt (?:wurde )?(?:gestoppt|abgesagt|auf eis gelegt)"),
    ("closed_won", r"(?:have |has |we've |just )?(?:signed|countersigned|executed) (?:the |our )?(?:contract|agreement|order form|msa|quote|proposal|deal|it)"
     r"|(?:contract|agreement|order form|msa|quote|deal|paperwork) (?:is |has been |was )?(?:fully )?(?:signed|countersigned|executed)"
     r"|(?:attached|attaching|here is|here's|please find)(?: is)? (?:the |our |a )?(?:signed|purchase order|po\b)"
     r"|po (?:number|#|is) |purchase order (?:number|#|attached|is attached|has been issued|was issued)|issued (?:a|the) (?:po|purchase order)"
     r"|welcome aboard|(?:unterschriebenen?|unterzeichneten?) (?:vertrag|angebot|auftrag)|(?:vertrag|angebot|auftrag) (?:ist |wurde )?(?:unterschrieben|unterzeichnet)"
     r"|auftrag erteilt|erteilen (?:ihnen )?(?:hiermit )?den auftrag|bestellung (?:anbei|ist raus|wurde ausgelöst)|auftragsbestätigung"),
    ("negotiation", r"redline|red-line|(?:msa|contract|agreement) (?:review|draft|terms)|legal (?:review|team)|procurement"
     r"|discount|counter[- ]?offer|payment terms|negotiat|final (?:price|pricing|terms)|best and final|security questionnaire"
     r"|rabatt|nachlass|vertragsentwurf|konditionen|verhandl|einkauf(?:sabteilung)?|zahlungsbedingungen|rechtsabteilung"),
    ("proposal", r"proposal|quote|quotation|pricing (?:proposal|sheet|options)|order form|sow\b|statement of work|price (?:list|quote)"
     r"|angebot|kostenvoranschlag|preisangebot|preisübersicht"),
    ("demo", r"\bdemo\b|demonstration|walkthrough|walk-through|product tour|\bpoc\b|proof of concept|pilot|trial"
     r"|vorführung|präsentation|testphase|teststellung"),
    ("qualified", r"discovery call|requirements|use case|budget (?:approved|for)|decision maker|timeline|evaluation|shortlist"
     r"|bedarfsanalyse|anforderungen|budget (?:ist )?(?:freigegeben|vorhanden)|evaluierung"),
    ("lead", r"interested in|inquiry|enquiry|learn more|reach(?:ing)? out|introduc|would like to know|request (?:for|a) (?:information|quote)"
     r"|anfrage|interesse an|interessiert|kennenlernen"),
)
_COMPILED = tuple((stage, re.compile(pattern, re.IGNORECASE)) for stage, pattern in _STAGE_PATTERNS)
# Substrings one of which every match of a stage contains: a C-speed gate before the regex.
_ANCHORS: dict[str, tuple[str, ...]] = {
    "closed_lost": ("another", "a different", "an other", "competitor", "moving forward", "proceed", "cancel", "shelved",
                    "frozen", " cut", "anderen anbieter", "gegen", "nicht weiter", "absage", "gestoppt", "abgesagt",
                    "eis gelegt", "decided not"),
    "closed_won": ("signed", "executed", "purchase order", "po ", "attached", "attaching", "here is", "here's",
                   "please find", "issued", "welcome aboard", "unterschrieben", "unterzeichne", "auftrag", "bestellung"),
    "negotiation": ("redline", "red-line", "msa", "contract", "agreement", "legal", "procurement", "discount", "counter",
                    "payment terms", "negotiat", "final", "security questionnaire", "rabatt", "nachlass", "vertragsentwurf",
                    "konditionen", "verhandl", "einkauf", "zahlungsbedingungen", "rechtsabteilung"),
    "proposal": ("proposal", "quot", "pricing", "order form", "sow", "statement of work", "price", "angebot",
                 "kostenvoranschlag", "preis"),
    "demo": ("demo", "walkthrough", "walk-through", "product tour", "poc", "proof of concept", "pilot", "trial",
             "vorführung", "präsentation", "testphase", "teststellung"),
    "qualified": ("discovery call", "requirements", "use case", "budget", "decision maker", "timeline", "evaluation",
                  "shortlist", "bedarfsanalyse", "anforderungen", "evaluierung"),
    "lead": ("interested in", "inquiry", "enquiry", "learn more", "reach", "introduc", "would like to know", "request",
             "anfrage", "interesse an", "interessiert", "kennenlernen"),
}
_NEGATION = re.compile(r"(?:\bnot\b|n't|\bno\b|\bnever\b|\bnoch nicht\b|\bnicht\b|\bkein\w*)[\w\s,]{0,20}$", re.IGNORECASE)
_QUESTION_TAIL = re.compile(r"^[^.!\n]{0,80}\?")


@dataclass(frozen=True, slots=True)
class StageHint:
    stage: str
    outcome: str | None  # won | lost | None
    start: int
    end: int
    text: str


def stage_hint(text: str) -> StageHint | None:
    """The most advanced stage the text states (not negated, not asked), with where it said so."""
    lowered = text.lower()
    for stage, pattern in _COMPILED:
        if not any(anchor in lowered for anchor in _ANCHORS[stage]):
            continue
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 30): m.start()]
            if stage != "closed_lost" and _NEGATION.search(before):
                continue
            if stage == "closed_won" and _QUESTION_TAIL.match(text[m.end():]):
                continue  # "have you signed the contract?" is not a signature
            outcome = "won" if stage == "closed_won" else "lost" if stage == "closed_lost" else None
            return StageHint(stage, outcome, m.start(), m.end(), m.group(0))
    return None
