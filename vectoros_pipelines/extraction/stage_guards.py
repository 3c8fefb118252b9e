"""Is a stage phrase a statement that the deal is there — or a denial, question, wish, plan or someone else's?

`stages.py` finds the phrases; this module reads the sentence around each one. Open stages are guarded
against wanting, planning, offering, deadlines and work in progress; wins against conditions, doubt,
negation, budget approvals and NDAs; losses against denials, meetings called off and "not dead" pauses.
"""

from __future__ import annotations

import re

# The clause before a match, up to the previous sentence end: what the guards below read.
# A dot between digits ("20.000 Euro", "v2.1") ends no clause.
_CLAUSE_START = re.compile(r"(?:[!?;\n]|\.(?!\d))(?=(?:[^.!?;\n]|\.(?=\d))*$)")
_NEGATION = re.compile(r"(?:\bnot\b|n't\b|\bno\b|\bnever\b|\bnoch nicht\b|\bnicht\b|\bkein\w*)[\w\s,]{0,20}$", re.IGNORECASE)
# "haven't decided to go with another vendor": the loss itself denied (the loss patterns carry their own "not").
_DENIED = re.compile(r"(?:haven't|have not|hasn't|has not|didn't|did not|not yet|noch nicht|nicht)\s+(?:yet\s+)?$", re.IGNORECASE)
_QUESTION_TAIL = re.compile(r"^[^.!\n]{0,80}\?")
# Conditions and wishes: "if the agreement is signed by…", "ideally we'd have it signed", "once we receive the PO".
_CONDITIONAL = re.compile(
    r"\b(?:if|once|when|whenever|unless|in case|provided|assuming|as soon as|after|before|until|ideally|hopefully"
    r"|would|could|should|might|will|shall|can|need(?:s|ed)?|want(?:s)? to|to (?:have|get)|we'd|you'd|i'd"
    r"|let's|let us|let me know|ready to|able to|plan(?:ning)? to|expect(?:ing)? to|aim(?:ing)? to|hope to"
    r"|wenn|falls|sobald|sofern|bevor|nachdem|bis|würden|könnten|sollten|möchten|werden|wollen)\b[^.!?\n]{0,50}$",
    re.IGNORECASE,
)
# A signature with a deadline after it is a target: "signed by 12 October", "unterschrieben bis Ende Mai".
_DEADLINE_AFTER = re.compile(
    r"^[ ,]*(?:by|before|on or before|no later than|until|within|in Q\d|at the end|end of|this (?:week|month|quarter)"
    r"|next (?:week|month)|bis|vor|spätestens)\b",
    re.IGNORECASE,
)
# Asking for a thing is not having it: "could you send us a proposal", "können Sie uns ein Angebot schicken".
_REQUEST = re.compile(
    r"\b(?:could|can|would|will) you\b[^.!?\n]{0,40}$|\b(?:kannst|könntest|würdest) du\b[^.!?\n]{0,40}$|\b(?:please|pls|kindly)\s+(?:send|share|provide|put together|prepare|include)"
    r"[^.!?\n]{0,30}$|\b(?:send|share|put together|prepare) (?:us|me)\b[^.!?\n]{0,20}$|\b(?:(?<!please )(?<!pls )see|get|receive|request|requesting|ask(?:ing)? for|waiting for|look(?:ing)? forward to)"
    r"\s+(?:a |an |the |your |some )?[^.!?\n]{0,15}$|\bkönnen sie\b[^.!?\n]{0,40}$|\bbitte\b(?!\s+(?:finden|entnehmen|beachten|sehen))[^.!?\n]{0,30}$"
    r"|\b(?:bitten|warten) (?:um|auf)\b[^.!?\n]{0,20}$|\bum ein\b[^.!?\n]{0,10}$"
    r"|\b(?:senden|schicken|sende|schick|retournieren) (?:sie|du|ihr) (?:uns|mir)?\b[^.!?\n]{0,40}$",
    re.IGNORECASE,
)
# Plans: "I'll set up a demo", "the next step is a walkthrough", "ich organisiere eine Werksbesichtigung".
_PLANNED = re.compile(
    r"\b(?:i'll|i will|we'll|we will|let's|let us|let me|shall we|happy to|glad to|would love to|like to|plan to|going to"
    r"|next step(?: is| would be)?|(?:to|can|could) (?:set up|schedule|arrange|book|organi[sz]e)|set up|schedule|arrange|organi[sz]e"
    r"|put together|prepare|draw up|work up|finali[sz]e"
    r"|suggest|propose|how about|would you|are you (?:free|available)|so (?:that )?(?:you|your team|the team|they|we) can"
    r"|organisiere|organisieren|planen|vereinbaren|schlage|schlagen|nächste[nrs]? schritte?|damit|würde(?:n)? gerne"
    r"|möchte(?:n)? gerne|lassen sie uns|können wir|kann ich|ich kann|wir können|gerne (?:zeige|zeigen|stelle|stellen)"
    r"|anbieten|einplanen|einladen)\b[^.!?\n]{0,60}$"
    # An offer to do it: "I can give you a quick walkthrough", "we could offer a pilot".
    r"|\b(?:i|we) (?:can|could|would) (?:also |happily |gladly )?(?:give|do|run|send|show|offer|provide|share|arrange|prepare"
    r"|walk|set)\b[^.!?\n]{0,30}$",
    re.IGNORECASE,
)
# Wanting a thing is not having it: "we'd like a quote", "looking for a proposal", "wir benötigen ein Angebot",
# "interested in a demo" (at most one word between, so "need to discuss the proposal" still counts).
_WANT = (r"(?:\b(?:would|'d) (?:like|welcome|appreciate|love)|\bneeds?|\bwants?|\brequire[sd]?|\blooking for|\binterested in"
         r"|\bin the market for|\bkeen on|\bhoping for|\bplease|\bbenötig(?:en|t|e|st)|\bbrauch(?:en|t|e|st)|\bbräuchten|\bwünsch(?:en|t|e)"
         r"|\bsuch(?:en|t|e)|\binteress(?:iert|e) an|\bwürden wir(?: gerne)?|\bhätten (?:wir )?gerne|\bmöchte[nt]?"
         r"|\bbitte(?!\s+(?:finden|entnehmen|beachten|sehen)))")
_WANTED = re.compile(
    _WANT + r"\s+(?:(?:a|an|some|one|ein|eine|einen|einer)\s+)?(?:[\w-]+\s+)?$"
    # "braucht bis Mitte Dezember eine Kostenschätzung": an indefinite thing wanted, a few words on
    r"|" + _WANT + r"\b[^.!?\n]{0,30}\s(?:a|an|ein|eine|einen|einer)\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
# Not reached yet: "before any proposal I'd like a deeper session", "vor einem Angebot".
_NOT_YET = re.compile(
    r"\b(?:before|prior to|ahead of|pending|vor|bevor)\s+(?:any|a|an|the|our|your|we|you|einem|einer|dem|der|ihrem|unserem)?\s*"
    r"(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
# Someone else's: "the meter vendor's very loud demo", "the competitor's proposal".
_OTHERS = re.compile(
    r"\b(?:vendor|competitor|supplier|provider|competition|incumbent|rival|wettbewerber|mitbewerber|konkurrenz)s?'?s?\s+"
    r"(?:[\w-]+\s+){0,2}$"
    r"|\b(?:another|other|competing|a different)\s+(?:vendor|supplier|provider|agency|firm)s?'?s?\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# A maybe is not a plan made: "vielleicht eine Vorführung für die Kinder", "perhaps a pilot later on".
_HEDGED = re.compile(
    r"\b(?:vielleicht|maybe|perhaps|possibly|eventuell|evtl\.?|ggf\.?|gegebenenfalls|optionally|optional)\s+"
    r"(?:(?:a|an|some|the|ein|eine|einen|die|der|das)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
# Work in progress: "I'm preparing the proposal", "Ich erstelle gerade das Angebot", "the quote goes out Monday".
_IN_PROGRESS = re.compile(
    r"\b(?:preparing|drafting|working on|putting together|finali[sz]ing|writing up|erstelle|erstellen|bereite|bereiten"
    r"|arbeite|arbeiten|kalkuliere|kalkulieren|rechne|rechnen)\b[^.!?\n]{0,25}$",
    re.IGNORECASE,
)
_PENDING_AFTER = re.compile(
    r"^[ ,]*(?:tomorrow|later today|early next week|morgen|übermorgen|heute (?:noch|nachmittag|abend)|in (?:den )?nächsten tagen"
    r"|anfang nächster woche)\b"
    # German puts the verb last: an infinitive after it is still to do ("werde Ihnen das Angebot morgen schicken").
    r"|^[^.!?\n]{0,30}\b(?:schicken|senden|zusenden|zukommen lassen|übermitteln|erstellen|ausarbeiten|vorbereiten|fertigstellen"
    r"|nachreichen|kalkulieren|rechnen)\b"
    r"|^[^.!?\n]{0,25}?\b(?:(?:is|are) (?:in the works|in progress|being (?:prepared|drafted|finali[sz]ed))|will follow|to follow"
    r"|(?:goes|will go|is going) out|geht\b[^.!?\n]{0,20}\b(?:raus|hinaus|an sie)|folgt|kommt (?:morgen|nächste|bis|in)"
    r"|in arbeit|in vorbereitung)"
    # Not fixed yet: "site visit in Waldkirch, date tbd".
    r"|^[^.!?\n]{0,40}?\b(?:tbd|tbc|tba|to be (?:confirmed|scheduled|arranged|agreed|defined|fixed)|noch offen|noch abzustimmen"
    r"|noch zu (?:vereinbaren|klären|terminieren)|termin folgt)\b"
    # "Das Angebot (…) bekommen Sie bis 4. Dezember", "you'll have the quote by Friday".
    r"|^[^.!?\n]{0,100}?\b(?:(?:bekommen|erhalten) sie|you(?:'ll| will) (?:get|have|receive))\b[^.!?\n]{0,30}?\b(?:bis|by|spätestens"
    r"|morgen|tomorrow|next|nächste|anfang|ende|early|end of|in den|within|innerhalb)\b",
    re.IGNORECASE,
)
# Sent or handed over outweighs the wording around it: "bitte finden Sie anbei unser Angebot".
_DELIVERED = re.compile(
    r"\b(?:attached|attaching|attach|enclosed|enclosing|enclose|please find|here is|here's|here are|anbei|im anhang|beigefügt|in der anlage|sent|sende"
    r"|senden|schicke|schicken|übersende|übersenden|übermittle|übermitteln|erhalten sie)\b[^.!?\n]{0,40}$",
    re.IGNORECASE,
)
_POSSIBLE_AFTER = re.compile(
    r"^[^.!?\n]{0,40}\b(?:(?:ist|wäre|sind|wären|is|are|would be)\b[^.!?\n]{0,25}\b(?:möglich|machbar|denkbar|possible|an option|available"
    r"|optional)|(?:jederzeit|gerne) möglich)\b", re.IGNORECASE)
# An indefinite thing is not one handed over: "und dann natürlich ein Angebot für die Ausführung", "a demo for the board".
_INDEFINITE = re.compile(r"(?:^|\s)(?:a|an|ein|eine|einen|einer)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# A demo that is a video on our website, a link, or the customer showing us their own setup is no demo held.
_NOT_OUR_DEMO_AFTER = re.compile(
    r"^[ -]?(?:videos?|recordings?|clips?|links?|page|site|request|form|slots?|library|days?)\b"
    r"|^\s+of (?:your|their|the|our) (?:current |existing |own )?(?:setup|set-up|process\w*|workflows?|environment|operations?|site"
    r"|plant|facilit\w+|warehouses?|requirements|needs|use cases?|stack|infrastructure|network|floor|lines?|data)\b", re.IGNORECASE)
_NOT_OUR_DEMO_BEFORE = re.compile(r"\b(?:recording|recorded|video|replay|on-demand|on demand) (?:of )?(?:a |an |the |our )?(?:[\w-]+ )?$",
                                  re.IGNORECASE)
_DELIVERED_AFTER = re.compile(r"^[^.!?\n]{0,25}\b(?:attached|enclosed|anbei|im anhang|beigefügt)\b", re.IGNORECASE)
# Reading, weighing or passing on a proposal means it exists, however the sentence is planned:
# "we'll review your proposal", "I'll take the quote to the board", "wir werden Ihr Angebot prüfen".
_CONSUMED = re.compile(
    r"\b(?:review|discuss|look (?:at|over|through|into)|go (?:through|over)|read|check|consider|evaluate|assess|circulate"
    r"|take|bring|forward|pass|present|respond to|come back (?:to you )?on|get back to you on|sign|approve|compare"
    r"|prüfen|besprechen|durchgehen|anschauen|ansehen|weiterleiten|vorlegen|vergleichen|freigeben)\s+"
    r"(?:the|your|our|this|that|their|ihr|ihre|ihren|das|den|die|unser\w*|dieses?)\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
# German puts the verb last: "wir werden Ihr Angebot nächste Woche prüfen".
_CONSUMED_AFTER = re.compile(r"^[^.!?\n]{0,30}\b(?:prüfen|besprechen|durchgehen|anschauen|ansehen|weiterleiten|vorlegen"
                             r"|vergleichen|freigeben|geprüft|besprochen|durchgesehen)\b", re.IGNORECASE)
_DEFINITE = re.compile(r"\b(?:ihr|ihre|ihren|das|dieses?|unser\w*|the|your)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# Only a real condition undoes a decision: "we'd like to move forward with your proposal" is a yes,
# "if the board approves, we'll go ahead with your offer" is not yet; nor is "falls/wenn …".
_IF_WORDS = r"\b(?:if|unless|in case|whether|provided|assuming|wenn|falls|sofern|ob)\b"
_IF = re.compile(_IF_WORDS + r"[^.!?\n]{0,60}$", re.IGNORECASE)
# Reporting verbs carry no doubt: "I can confirm we have signed", "happy to let you know we've chosen you".
_REPORTING = re.compile(
    r"\b(?:can|could|would like to|want(?:ed)? to|happy to|glad to|pleased to|delighted to)\s+(?:confirm|let you know|inform you"
    r"|share|say|report|tell you|announce)\b", re.IGNORECASE,
)
_ATTACHED_BEFORE = re.compile(r"\b(?:attached|enclosed|beigefügte\w*|angehängte\w*|anbei)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_FOR_THE = re.compile(r"\b(?:für (?:die|den|das|eine|einen|ein)|for (?:the|a|an)|zur|zum)\s*$", re.IGNORECASE)
_SUITS_AFTER = re.compile(r"^[^.!?\n]{0,50}\b(?:würden?|wäre|passen|passt|would (?:suit|work)|works? for|suits?)\b",
                          re.IGNORECASE)
_DATE_AFTER = re.compile(
    r"^[^.!?\n]{0,60}(?:\d|\b(?:mon|tues|wednes|thurs|fri)day|\b(?:montag|dienstag|mittwoch|donnerstag|freitag)"
    r"|\bnext week|\bnächste[nr]? woche)", re.IGNORECASE)
# A win still ahead or in doubt: "once we get the go-ahead", "we might renew next year".
_NOT_YET_WON = re.compile(
    r"\b(?:once|when|whenever|as soon as|until|before|sobald|wenn|bevor|might|may|maybe|perhaps|possibly"
    r"|probably|consider(?:ing)?(?! (?:this|it)\b)|thinking (?:about|of)|vielleicht|eventuell|wahrscheinlich|überlegen)\b[^.!?\n]{0,50}$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_BUDGET = re.compile(r"\b(?:budget\w*|funds|funding|mittel|haushalt\w*)\b", re.IGNORECASE)
_DEAL_OBJECT = re.compile(r"\b(?:contract|agreement|order|po|purchase order|proposal|offer|quote|vertrag|auftrag|bestellung|angebot)\b",
                          re.IGNORECASE)
_EXPLORE_AFTER = re.compile(
    r"^[^.!?\n]{0,30}\b(?:to|zu|um)\s+(?:\w+\s+){0,3}(?:look|explore|evaluate|assess|review|compare|investigate|talk|speak|scope"
    r"|anzuschauen|anschauen|prüfen|evaluieren|vergleichen|einzuholen|sondieren|sprechen)"
    r"|^[^.!?\n]{0,40}\b(?:alternativ\w*|options|optionen|vendors|anbieter\w*|providers)\b", re.IGNORECASE)
# A pause the customer says is not the end, and a meeting (not the deal) called off.
_NOT_DEAD = re.compile(
    r"\b(?:nicht tot|not dead|not off the table|nicht vom tisch|aufgeschoben ist nicht aufgehoben|still (?:very )?(?:keen|interested))\b",
    re.IGNORECASE)
_MEETING_CALLED_OFF = re.compile(
    r"\b(?:den|das|die|unseren|unser|diesen|morgigen|the|our|this|tomorrow's|today's)\s+(?:[\w.-]+\s+)?"
    r"(?:termin|treffen|besprechung|meeting|call|gespräch|besuch|workshop|webinar|vor-ort-termin)\w*\b[^!?\n]{0,60}$",
    re.IGNORECASE)
_GUESSED = re.compile(
    r"\b(?:guess|guessing|suspect|imagine|presume|assume|assuming|wonder|wondering|perhaps|maybe|possibly|probably|either"
    r"|vermute|vermutlich|nehme an|vielleicht|wahrscheinlich|entweder)\b[^.!?\n]{0,60}$", re.IGNORECASE)
_IF_CLAUSE = re.compile(_IF_WORDS + r"[^.!?\n]{0,110}$", re.IGNORECASE)  # the same, over a long clause
_DEAL_PAPER = re.compile(r"\b(?:msa|sow|order form|contract|agreement|vertrag|rahmenvertrag|pric\w*|preis\w*|rabatt|discount"
                         r"|angebot|proposal|quote)\b", re.IGNORECASE)
_PRICE_TALK = re.compile(r"discount|rabatt|nachlass|pric|preis|better|lower|halfway|middle|teuer|expensive|budget|konditionen",
                         re.IGNORECASE)
# German puts the verb last: "Eine Live-Vorführung per Teams machen wir sehr gerne", "zeigen wir Ihnen gerne".
_OFFERED_AFTER = re.compile(
    r"^[^.!?\n]{0,60}\b(?:machen|zeigen|organisieren|bieten|führen|stellen|arrangieren|vereinbaren|schicken|senden) (?:wir|ich)"
    r" (?:ihnen |euch |dir )?(?:sehr |auch |natürlich |jederzeit )*gerne\b", re.IGNORECASE)
_NDA = re.compile(r"\b(?:nda|mnda|non-disclosure|confidentiality agreement|geheimhaltungs\w*|vertraulichkeits\w*)\b", re.IGNORECASE)
_INNER_NEGATION = re.compile(r"\b(?:not|never|nicht|kein\w*)\b|n't\b", re.IGNORECASE)
_DECISION_WORDS = ("forward", "ahead", "decided", "chose", "selected", "accept", "approve", "entschieden", "nehmen", "won", "got",
                   "renew", "proceed", "take it", "good to go", "official", "count us", "a go", "a yes", "annehmen", "starten")
_OPEN_GUARDED = {"proposal", "demo", "qualified"}  # stages a request or a plan can only point at


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - 160): start]
    cut = _CLAUSE_START.search(window)
    return window[cut.end():] if cut else window


# A list under "Next steps:" or "Agenda:" is what is still to happen, item by item.
_PLAN_HEADING = re.compile(
    r"(?:next steps?|action items?|to-?dos?|agenda|open points|proposed plan|plan from here|follow-?ups?|nächste schritte"
    r"|weiteres vorgehen|vorgehen|agenda|tagesordnung|offene punkte|to do)\b[^\n]{0,30}:?\s*$", re.IGNORECASE)
_LIST_ITEM = re.compile(r"\s*(?:[-*•–·]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")


def _listed_as_plan(text: str, start: int) -> bool:
    """The mention sits in a bullet or numbered list whose heading says it is a plan ("Next steps:")."""
    line_start = text.rfind("\n", 0, start) + 1
    if not _LIST_ITEM.match(text, line_start):
        return False
    lines = text[max(0, line_start - 600):line_start].split("\n")[:-1]
    for line in reversed(lines):
        if not line.strip():
            continue
        if _LIST_ITEM.match(line):
            continue
        return bool(_PLAN_HEADING.search(line))
    return False


def _in_address(text: str, start: int, end: int) -> bool:
    """Part of a link or an address ("x.io/demo", "demo@acme.com"), not a word of the sentence."""
    return (start > 0 and text[start - 1] in "/.@") or (text[end:end + 1] in "/@_" or
                                                        (text[end:end + 1] == "." and text[end + 1:end + 2].isalnum()))


def guessed_loss(text: str, start: int, end: int) -> bool:
    """A loss the writer only guesses at ("I'm guessing the timing isn't right"): a rep's break-up mail."""
    before = _clause_before(text, start)
    return bool(_GUESSED.search(before)) and not (_DENIED.search(before) or _QUESTION_TAIL.match(text[end:]))


_RETURN_SIGNED_AFTER = re.compile(r"^[^.!?\n]{0,30}\b(?:unterschrieben|gegengezeichnet|signed|countersigned|zurück|back to us)\b",
                                  re.IGNORECASE)


def asked_for(text: str, start: int, end: int) -> bool:
    """A thing asked for or wanted ("could you send us a proposal?", "wir bitten um ein Angebot"), not denied."""
    before = _clause_before(text, start)
    if _NEGATION.search(before) or _RETURN_SIGNED_AFTER.match(text[end:]):
        return False  # "Bitte senden Sie uns das Angebot unterschrieben zurück": the offer exists
    return bool(_REQUEST.search(before) or _WANTED.search(before) or _QUESTION_TAIL.match(text[end:]))


def counts(stage: str, text: str, start: int, end: int) -> bool:
    """Is this mention a statement that the deal is (or was) at `stage`, not a denial, question, wish or plan?"""
    clause = _clause_before(text, start)
    # "Happy to share the good news: we signed" reports a fact; "happy to share pricing" offers one.
    before = _REPORTING.sub(lambda m: m.group(0) if stage in _OPEN_GUARDED and "share" in m.group(0).lower() else " ", clause)
    after = text[end:]
    if stage == "closed_lost":
        if _NOT_DEAD.search(text) or _MEETING_CALLED_OFF.search(text[max(0, start - 100): end]):
            return False  # "das Projekt ist nicht tot", "den Termin müssen wir leider absagen": no loss
        return not (_DENIED.search(before) or _QUESTION_TAIL.match(after) or _IF.search(before) or _GUESSED.search(before))
    if _NEGATION.search(before):
        return False
    if stage == "negotiation" and _NDA.search(text) and not _DEAL_PAPER.search(text[max(0, start - 80): end + 40]):
        return False  # legal looking at an NDA is the start of a conversation, not its end game
    if stage == "negotiation" and _IF_CLAUSE.search(before) and not _PRICE_TALK.search(text[start:end]):
        return False  # "if the landlord needs a dismantling clause": a maybe; "if you can do 10 % off" is haggling
    if stage == "closed_won":
        asked = _QUESTION_TAIL.match(after) and "where do" not in text[start:end].lower()  # "Where do I sign?" is a yes
        if asked or _IF.search(before) or _NOT_YET_WON.search(before):
            return False
        if _INNER_NEGATION.search(text[start:end]):
            return False  # "the board has not approved it"
        if _NDA.search(before[-60:] + text[start:end] + after[:20]):
            return False  # "now that the NDA is countersigned": paperwork before the deal, not the deal
        stop = _SENTENCE_END.search(after)
        sentence_after = after[: stop.start()] if stop else after
        if _BUDGET.search(before + text[start:end] + sentence_after) and not _DEAL_OBJECT.search(text[start:end]):
            return False  # "management approved the budget", "green light to look at alternatives": not yet a yes to us
        if _EXPLORE_AFTER.match(sentence_after):
            return False
        if any(word in text[start:end].lower() for word in _DECISION_WORDS):
            return True  # a decision stated, even politely ("we'd like to move forward with your proposal")
        return not (_CONDITIONAL.search(before) or _REQUEST.search(before) or _DEADLINE_AFTER.match(after))
    if stage in _OPEN_GUARDED:
        if _in_address(text, start, end) or _listed_as_plan(text, start):
            return False
        if stage == "demo" and (_NOT_OUR_DEMO_AFTER.match(after) or _NOT_OUR_DEMO_BEFORE.search(before)):
            return False  # a demo video or link, or the customer walking us through their own setup
        if _ATTACHED_BEFORE.search(before):
            return True  # "the attached proposal", however the sentence around it is phrased
        if _FOR_THE.search(before) and _SUITS_AFTER.match(after) and _DATE_AFTER.match(after):
            return False  # "Für die Präsentation würden der 17. oder 18. passen": a date being found for it
        if stage == "proposal" and not _QUESTION_TAIL.match(after) and (
                _CONSUMED.search(before) or (_DEFINITE.search(before) and _CONSUMED_AFTER.match(after))):
            return True
        # "the proposal by end of October", "Angebot bis Freitag": a target, not a thing sent.
        if (_QUESTION_TAIL.match(after) or _REQUEST.search(before) or _PLANNED.search(before)
                or _DEADLINE_AFTER.match(after) or _PENDING_AFTER.match(after)):
            return False
        if _DELIVERED.search(before) or _DELIVERED_AFTER.match(after):
            return True
        return not (_WANTED.search(before) or _IN_PROGRESS.search(before) or _HEDGED.search(before)
                    or _NOT_YET.search(before) or _OTHERS.search(before) or _IF.search(before)
                    or _POSSIBLE_AFTER.match(after) or _OFFERED_AFTER.match(after)
                    or (stage != "qualified" and _INDEFINITE.search(before)))
    return True
