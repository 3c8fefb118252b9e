"""How people phrase each step of a deal, in English and German, several ways each.

Templates use `str.format` fields filled by the deal story: {first} (the
recipient's first name), {company}, {seller}, {product}, {amount}, {close},
{pain}, {demo}, {competitor}, {count}, {unit}, {discount}, {weekday}, {time},
{colleague}, {event}, {old_close}, {new_close}. Subjects are None where the
message is a reply in an existing thread.
"""

from __future__ import annotations

import random

from vectoros_pipelines.demo.model import Language, Person

Template = tuple[str, str]  # (subject, body)

INTENTS: dict[str, dict[Language, list[Template]]] = {
    "inbound": {
        "en": [
            (
                "Question about {product}",
                "We're looking at options for {product} because {pain}. A colleague recommended {seller}, so I wanted "
                "to reach out directly.\n\nWe're at about {count} {unit} today. Could we set up a short call in the next "
                "couple of weeks to see whether it's a fit?{budget}",
            ),
            (
                "{company} - evaluating {product}",
                "I stopped by your booth at {event} and wanted to follow up. Long story short, {pain}, and we have "
                "started to look at vendors for {product}.\n\nWho would be the right person to talk to on your side?"
                "{budget}",
            ),
            (
                "Pricing / {product}",
                "Quick question: do you offer {product} for a company of our size (roughly {count} {unit})? The "
                "background is that {pain}.\n\nHappy to jump on a call.{budget}",
            ),
            (
                "Intro request",
                "{referrer} suggested I get in touch. We're a {size} team and {pain}. I'd like to understand what "
                "{product} would look like for us and what the rollout involves.{budget}",
            ),
        ],
        "de": [
            (
                "Anfrage {product}",
                "wir suchen derzeit eine Lösung für {product}, denn {pain}. Ein Kollege hat uns {seller} empfohlen.\n\n"
                "Wir sprechen über etwa {count} {unit}. Hätten Sie in den nächsten zwei Wochen Zeit für ein kurzes "
                "Gespräch?{budget}",
            ),
            (
                "Ihr Angebot zu {product}",
                "wir hatten uns auf der {event} kurz unterhalten. Bei uns ist die Lage so: {pain}. Wir prüfen gerade "
                "Anbieter für {product} und würden gern mehr über Ihre Lösung erfahren.\n\nWer wäre bei Ihnen der "
                "richtige Ansprechpartner?{budget}",
            ),
            (
                "Anfrage: {product} für {company}",
                "können Sie uns ein paar Informationen zu {product} schicken? Hintergrund: {pain}. Es geht um ca. "
                "{count} {unit}.{budget}",
            ),
        ],
    },
    "outbound": {
        "en": [
            (
                "Following up from {event}",
                "Great to meet you at {event} last week. You mentioned that {pain} - that's exactly the problem "
                "{product} was built for.\n\nWould you be open to a 30-minute call to see if there's a fit?",
            ),
            (
                "{seller} <> {company}",
                "{referrer} mentioned you're looking at {product} this year. We work with a number of teams your size "
                "on exactly this.\n\nDo you have time for a short intro call next week?",
            ),
        ],
        "de": [
            (
                "Unser Gespräch auf der {event}",
                "vielen Dank für das nette Gespräch auf der {event}. Sie hatten erwähnt: {pain}. Genau dafür "
                "ist {product} gedacht.\n\nHätten Sie Zeit für ein 30-minütiges Kennenlerngespräch?",
            ),
        ],
    },
    "outbound_reply": {
        "en": [
            (
                "",
                "Thanks for reaching out. Yes, the timing is actually good - we're starting to look at this. "
                "Happy to talk.",
            ),
            ("", "Good to hear from you. Sure, let's find a time. {colleague_line}"),
        ],
        "de": [
            (
                "",
                "danke für Ihre Nachricht. Das Thema ist bei uns tatsächlich gerade aktuell, ein Gespräch passt gut.",
            ),
        ],
    },
    "schedule_discovery": {
        "en": [
            (
                "",
                "Thanks for getting in touch! Happy to set up a discovery call. Would {weekday} at {time} work for "
                "you? I'll send a calendar invite with a video link.\n\nIf it helps, feel free to bring anyone else "
                "who should be part of the conversation.",
            ),
            (
                "",
                "Appreciate the note. Let's do a 30-minute call so I can understand your setup - how about "
                "{weekday}, {time}? Invite is on its way.",
            ),
            (
                "",
                "Great to hear from you. I've sent an invite for {weekday} at {time} for a first call. If that "
                "doesn't work, just propose another slot.",
            ),
        ],
        "de": [
            (
                "",
                "vielen Dank für Ihre Anfrage. Gerne vereinbaren wir ein erstes Gespräch - passt Ihnen {weekday} "
                "um {time} Uhr? Ich schicke Ihnen eine Einladung mit Videolink.",
            ),
            (
                "",
                "danke für Ihr Interesse! Ich habe Ihnen für {weekday}, {time} Uhr, eine Einladung für ein "
                "Erstgespräch geschickt. Falls das nicht passt, schlagen Sie gern einen anderen Termin vor.",
            ),
        ],
    },
    "reschedule": {
        "en": [
            (
                "",
                "Something came up on my side - could we move our call to {weekday} at {time}? Sorry for the "
                "shuffle.",
            ),
            ("", "Apologies, I have a conflict now. Any chance we can push to {weekday}, same time?"),
        ],
        "de": [
            (
                "",
                "leider ist bei mir etwas dazwischengekommen. Können wir unser Gespräch auf {weekday} um {time} "
                "Uhr verschieben?",
            ),
        ],
    },
    "discovery_recap": {
        "en": [
            (
                "Recap: our call today",
                "Thanks for your time today. A quick summary so we're on the same page:\n\n- Today: {pain}\n"
                "- Scope: about {count} {unit}\n- Decision: {colleague} is involved on the budget side\n\n"
                "Next step: a {demo} with your team. I'll send a few options for dates.",
            ),
            (
                "Next steps",
                "Really enjoyed the conversation. As discussed, the next step is a {demo} so your team can see "
                "{product} in action. Could you share who should attend?",
            ),
            (
                "Follow-up from our discovery call",
                "Thank you for walking me through your current process. Based on what you shared, I think {product} "
                "is a strong fit. I'll set up a {demo} and include a couple of examples from similar companies.",
            ),
        ],
        "de": [
            (
                "Zusammenfassung unseres Gesprächs",
                "vielen Dank für das angenehme Gespräch heute. Kurz zusammengefasst:\n\n- Ausgangslage: {pain}\n"
                "- Umfang: ca. {count} {unit}\n\nAls nächsten Schritt schlage ich eine {demo} mit Ihrem Team vor.",
            ),
            (
                "Nächste Schritte",
                "danke für Ihre Zeit heute. Wie besprochen organisiere ich eine {demo}, damit Ihr Team {product} "
                "kennenlernen kann.",
            ),
        ],
    },
    "demo_followup": {
        "en": [
            (
                "",
                "Thanks again for the {demo}. The team was impressed, especially by how quickly you set it up. "
                "A couple of open questions came up around onboarding and support hours.\n\nCould you send us a "
                "proposal for {product}?",
            ),
            (
                "",
                "Quick follow-up after the {demo}: we'd like to move forward and see pricing. Please include "
                "{count} {unit} and the implementation work.",
            ),
            (
                "",
                "Good session yesterday. Our main concern is the rollout timeline - can you put together an offer "
                "so I can take it to {colleague}?",
            ),
        ],
        "de": [
            (
                "",
                "vielen Dank nochmals für die {demo}. Das Team war sehr angetan. Können Sie uns ein Angebot für "
                "{product} schicken? Bitte mit {count} {unit} und der Einführung.",
            ),
            (
                "",
                "die {demo} hat uns gut gefallen. Offen sind noch Fragen zur Schulung und zum Support. Schicken Sie "
                "uns bitte ein Angebot, damit ich es mit {colleague} besprechen kann.",
            ),
        ],
    },
    "proposal": {
        "en": [
            (
                "Proposal - {product} for {company}",
                "As promised, please find our proposal for {product} attached.\n\nSummary: {amount} for {count} "
                "{unit}, including implementation and standard support. The offer is valid for 30 days; ideally we'd "
                "have the agreement signed {close} so you're live before the busy season.\n\nHappy to walk through it "
                "on a call.",
            ),
            (
                "{company} / {seller} - commercial proposal",
                "Thanks for the productive conversations so far. Our proposal for {product} comes to {amount}.\n\n"
                "That covers {count} {unit} and onboarding. If we can get signatures {close}, we can start the "
                "rollout right away.",
            ),
            (
                "Quote for {product}",
                "Here's the quote we discussed: {amount} for {product}. It assumes we sign {close}. Let me know if "
                "you'd like us to adjust the scope.",
            ),
        ],
        "de": [
            (
                "Angebot {product} - {company}",
                "wie besprochen sende ich Ihnen anbei unser Angebot für {product}.\n\nDer Gesamtpreis beträgt {amount} "
                "für {count} {unit} inklusive Einführung. Das Angebot ist 30 Tage gültig; ideal wäre eine "
                "Vertragsunterzeichnung {close}.",
            ),
            (
                "Ihr Angebot: {product}",
                "vielen Dank für die guten Gespräche. Unser Angebot für {product} beläuft sich auf {amount}. Wenn wir "
                "den Vertrag {close} abschließen, können wir direkt mit der Umsetzung beginnen.",
            ),
        ],
    },
    "proposal_ack": {
        "en": [
            (
                "",
                "Thanks, received. I've copied {colleague} from our procurement team, who will handle the "
                "commercial side from here. We'll review internally and come back to you.",
            ),
            (
                "",
                "Got it, thank you. I'm sharing this with {colleague} and will get back to you after our budget "
                "meeting.",
            ),
        ],
        "de": [
            (
                "",
                "vielen Dank, das Angebot ist angekommen. Ich habe {colleague} aus unserem Einkauf in Kopie "
                "gesetzt; {colleague} übernimmt ab jetzt den kaufmännischen Teil.",
            ),
            ("", "danke, ich bespreche das Angebot intern mit {colleague} und melde mich danach."),
        ],
    },
    "pushback": {
        "en": [
            (
                "",
                "We've reviewed the proposal. The scope looks right, but the price is above what we planned - "
                "{competitor} came in noticeably lower. Is there any flexibility? Something closer to {budget} "
                "would make this much easier to approve.",
            ),
            (
                "",
                "Thanks for your patience. Internally the feedback is positive, but we need a better number to "
                "get sign-off. What can you do on price if we commit to a longer term?",
            ),
            ("", "Before we go further: our approved budget for this is {budget}. Can you work with that?"),
        ],
        "de": [
            (
                "",
                "wir haben das Angebot geprüft. Inhaltlich passt es, aber der Preis liegt über unserer Planung - "
                "{competitor} ist deutlich günstiger. Gibt es Spielraum beim Preis? Mit {budget} hätten wir es "
                "intern leichter.",
            ),
            (
                "",
                "intern kam das Angebot gut an, aber wir brauchen beim Preis noch Entgegenkommen. Was wäre bei "
                "einer längeren Laufzeit möglich? Ein Rabatt würde die Freigabe deutlich erleichtern.",
            ),
        ],
    },
    "discount_request": {
        "en": [
            (
                "",
                "{first}, see below - {company} is pushing back on price. Can I go to {amount} "
                "(about {discount}% off)? They say they can sign {close} if we get there.",
            ),
            (
                "",
                "Need a quick approval: {company} wants a discount. I'd like to offer {amount}, that's "
                "{discount}% off list. Champion is strong, competition is {competitor}. OK?",
            ),
        ],
        "de": [
            (
                "",
                "{first}, see below - {company} is pushing back on price. Can I go to {amount} "
                "(about {discount}% off)? They say they can sign {close} if we get there.",
            ),
        ],
    },
    "discount_approval": {
        "en": [
            ("", "Approved - go ahead with {amount}. Make sure the multi-year option stays on the table."),
            ("", "OK for {amount}, but that's the floor. Please get it signed {close}."),
            ("", "Fine by me. {amount} it is - loop in legal early this time."),
        ],
        "de": [
            ("", "Approved - go ahead with {amount}. Make sure the multi-year option stays on the table."),
        ],
    },
    "revised_offer": {
        "en": [
            (
                "",
                "Thanks for the open feedback. I went back to my team and we can offer {amount}, a {discount}% "
                "discount, provided we sign {close}. Updated order form attached.",
            ),
            (
                "",
                "Good news - we can meet you at {amount} if the agreement is signed {close}. Let me know and I'll "
                "send the paperwork.",
            ),
            (
                "",
                "Here's our revised offer: {amount}, which reflects the {discount}% discount we discussed. "
                "Target signature date: {close}.",
            ),
        ],
        "de": [
            (
                "",
                "vielen Dank für Ihr offenes Feedback. Wir können Ihnen {amount} anbieten, das entspricht einem "
                "Rabatt von {discount} %, sofern der Vertrag {close} unterschrieben wird. Das aktualisierte Angebot "
                "finden Sie im Anhang.",
            ),
            (
                "",
                "nach Rücksprache mit unserer Geschäftsleitung können wir Ihnen einen Preis von {amount} anbieten "
                "({discount} % Rabatt). Voraussetzung ist eine Unterschrift {close}.",
            ),
        ],
    },
    "slip": {
        "en": [
            (
                "",
                "Quick update: legal review is taking longer than we hoped, so realistically we'll sign {new_close} "
                "rather than on {old_close}. Still fully committed on our side.",
            ),
            (
                "",
                "Heads-up that our CFO wants to include this in the next budget cycle. We now expect to sign "
                "{new_close}. Sorry for the delay.",
            ),
        ],
        "de": [
            (
                "",
                "kurzes Update: Die Prüfung durch unsere Rechtsabteilung dauert länger. Wir rechnen jetzt "
                "mit einer Unterschrift {new_close} statt am {old_close}.",
            ),
        ],
    },
    "won": {
        "en": [
            (
                "",
                "Good news - the order form is signed and attached. Our PO for {amount} will follow from "
                "accounts payable. Looking forward to getting started!",
            ),
            (
                "",
                "We're all set: signed contract attached. Thanks for your patience during the process. Who will "
                "be our contact for onboarding?",
            ),
            (
                "",
                "Happy to confirm we're going ahead. Signed agreement attached; please send the invoice to "
                "{colleague}.",
            ),
        ],
        "de": [
            (
                "",
                "gute Nachrichten: Der Vertrag ist unterschrieben, Sie finden ihn im Anhang. Die Bestellung über "
                "{amount} geht Ihnen separat zu. Wir freuen uns auf die Zusammenarbeit!",
            ),
            (
                "",
                "wir haben den Auftrag heute freigegeben - der unterschriebene Vertrag liegt bei. Wer ist unser "
                "Ansprechpartner für das Onboarding?",
            ),
        ],
    },
    "won_thanks": {
        "en": [
            (
                "",
                "Fantastic - thank you! I'll introduce you to our onboarding lead tomorrow and we'll schedule "
                "the kickoff.",
            ),
            ("", "Thank you, this is great news. Kickoff invite coming shortly."),
        ],
        "de": [
            (
                "",
                "herzlichen Dank für Ihr Vertrauen! Ich stelle Ihnen morgen unsere Projektleitung vor und wir "
                "planen das Kick-off.",
            ),
        ],
    },
    "won_internal": {
        "en": [
            (
                "Closed: {company}",
                "Signed this morning: {company}, {product}, {amount}. Thanks everyone who helped "
                "on the {demo}!",
            ),
            ("{company} signed!", "{company} is closed-won - {amount}. Onboarding handoff next week."),
        ],
        "de": [
            (
                "Closed: {company}",
                "Signed this morning: {company}, {product}, {amount}. Thanks everyone who helped "
                "on the {demo}!",
            ),
        ],
    },
    "lost": {
        "en": [
            (
                "",
                "Thank you for all the time you invested. After a lot of discussion we decided to go with "
                "{competitor}, mostly for reasons of price and an existing relationship. I hope we can stay in "
                "touch.",
            ),
            (
                "",
                "I'm afraid the project has been put on hold - our budget was frozen for the rest of the year, so "
                "we won't be moving forward. Sorry to bring bad news.",
            ),
            (
                "",
                "Wanted to let you know personally: we've chosen another vendor. It was close. Thanks for "
                "everything.",
            ),
        ],
        "de": [
            (
                "",
                "vielen Dank für Ihre Mühe. Wir haben uns nach reiflicher Überlegung für {competitor} entschieden. "
                "Ausschlaggebend war am Ende der Preis.",
            ),
            (
                "",
                "leider muss ich Ihnen mitteilen, dass das Projekt gestoppt wurde - das Budget wurde gestrichen. "
                "Wir werden daher nicht weitermachen.",
            ),
        ],
    },
    "lost_reply": {
        "en": [
            ("", "Thanks for letting me know, and for being straightforward. If anything changes, I'm here."),
        ],
        "de": [
            (
                "",
                "danke für die offene Rückmeldung. Falls sich etwas ändert, melden Sie sich jederzeit gern.",
            ),
        ],
    },
    "check_in": {
        "en": [
            ("", "Just following up on my last note - any update on your side?"),
            (
                "",
                "Checking in: is this still a priority for this quarter? Happy to adjust if timing has changed.",
            ),
            ("", "Bumping this up in your inbox. Let me know if it makes sense to reconnect in a few weeks."),
        ],
        "de": [
            ("", "ich wollte kurz nachfragen, ob es bei Ihnen schon Neuigkeiten gibt."),
            (
                "",
                "ist das Thema bei Ihnen noch aktuell? Gerne melde ich mich zu einem späteren Zeitpunkt wieder.",
            ),
        ],
    },
    "next_meeting": {
        "en": [
            (
                "",
                "Sounds good. I've booked {weekday} at {time} to go through the remaining questions with your team.",
            ),
        ],
        "de": [
            (
                "",
                "ich habe uns für {weekday} um {time} Uhr einen Termin eingestellt, um die offenen Punkte zu klären.",
            ),
        ],
    },
}

GREETINGS: dict[Language, list[str]] = {
    "en": [
        "Hi {first},",
        "Hello {first},",
        "{first},",
        "Hey {first},",
        "Dear {first},",
        "Hi {first} -",
        "Good morning {first},",
    ],
    "de": [
        "Hallo {first},",
        "Guten Tag {honorific} {last},",
        "Sehr geehrte{r} {honorific} {last},",
        "Liebe{r} {first},",
    ],
}
CLOSINGS: dict[Language, list[str]] = {
    "en": ["Best,", "Thanks,", "Kind regards,", "Cheers,", "Best regards,", "Thank you,", "Regards,"],
    "de": ["Viele Grüße", "Beste Grüße", "Mit freundlichen Grüßen", "Freundliche Grüße"],
}
EVENTS = [
    "the Ops Leaders Forum",
    "SupplyTech Expo",
    "the regional CIO roundtable",
    "Industry Week Berlin",
    "the Midwest Operations Summit",
    "a partner dinner",
    "LogiMAT",
    "the Data & Ops conference",
]


def greeting(rng: random.Random, to: Person, language: Language) -> str:
    template = rng.choice(GREETINGS[language])
    return template.format(
        first=to.first, last=to.last, honorific="Frau" if to.female else "Herr", r="" if to.female else "r"
    )


def signature(rng: random.Random, sender: Person, *, formal: bool) -> str:
    lines = [rng.choice(CLOSINGS[sender.language]), sender.first if not formal else sender.name]
    if sender.client == "apple" and rng.random() < 0.3:
        return "\n".join(
            [*lines, "", "Von meinem iPhone gesendet" if sender.language == "de" else "Sent from my iPhone"]
        )
    role = f"{sender.title} | {sender.company}" if rng.random() < 0.5 else f"{sender.title}\n{sender.company}"
    # a formal sign-off already carries the full name, so the block below starts with the title
    block = [role] if formal else [sender.name, role]
    if rng.random() < 0.8:
        block.append(
            ("Tel. " if sender.language == "de" else rng.choice(["M: ", "T: ", "Mobile: ", ""]))
            + sender.phone
        )
    separator = rng.choice(["--", "", "___"])
    return "\n".join([*lines, "", *([separator] if separator else []), *block])


def render(rng: random.Random, intent: str, language: Language, fields: dict[str, str]) -> tuple[str, str]:
    """Picks one phrasing of an intent and fills it in; returns (subject, text without greeting)."""
    options = INTENTS[intent].get(language) or INTENTS[intent]["en"]
    subject, body = rng.choice(options)
    return subject.format(**fields), body.format(**fields)
