"""Mail and meetings that are not about a sales deal of the workspace.

Several kinds deliberately look like deals — invoices and renewals where the
workspace is the buyer, cold pitches offering a demo, phishing that quotes an
amount — because those are what a deal classifier gets wrong in practice.
German variants exist whenever German is requested, so language alone never
gives a message away.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from vectoros_pipelines.demo.compose import business_time, letter, new_mail, reply_to
from vectoros_pipelines.demo.model import Attachment, Event, Language, Mail, Person, Workspace
from vectoros_pipelines.demo.money import write_amount
from vectoros_pipelines.demo.pdf import simple_pdf
from vectoros_pipelines.demo.people import PeopleFactory, ascii_slug

_VENDORS = [
    ("Cloudnest Hosting", "cloudnest.net"),
    ("Papertrail Office Supply", "papertrail-supply.com"),
    ("Stackwise", "stackwise.io"),
    ("Brightdesk", "brightdesk.com"),
    ("Ledgerly", "ledgerly.com"),
    ("Notewell", "notewell.app"),
    ("Swiftsign", "swiftsign.com"),
    ("Metricloop", "metricloop.io"),
]
_PITCHERS = [
    ("Pipeline Rocket", "pipelinerocket.io"),
    ("Leadharbor", "leadharbor.com"),
    ("Growthmint", "growthmint.co"),
    ("Outboundly", "outboundly.ai"),
    ("Signalforge", "signalforge.io"),
]
# Outsiders a rep writes with about anything but a sale: events, schools, the press, advisers, partners' ops.
_OUTSIDERS = [
    ("Midwest Energy Forum", "midwestenergyforum.org", "Program Chair"),
    ("Lakeshore University", "lakeshore.edu", "Professor of Operations"),
    ("Harwell & Stone LLP", "harwellstone.com", "Partner"),
    ("Trade Journal Today", "tradejournaltoday.com", "Reporter"),
    ("Keller Steuerberatung", "keller-stb.de", "Steuerberater"),
    ("City Chamber of Commerce", "citychamber.org", "Events Manager"),
    ("Brookfield Realty", "brookfieldrealty.com", "Property Manager"),
    ("Alumni Network", "alumni-net.org", "Volunteer Coordinator"),
]
# (subject, outsider writes, we answer); "{ws}" is the workspace's name.
_OUTSIDER_TOPICS_EN = [
    ("Speaking slot at our spring conference",
     "we would be delighted to have you on the panel on supply chains in April. Could you send a short bio and a headshot?",
     "Thanks for the invitation - happy to join the panel. Bio and photo attached; let me know the run of show."),
    ("Guest lecture next term",
     "my students would love to hear how {ws} works with its customers. Would a 45-minute guest lecture in October work?",
     "Glad to do it. Any Tuesday in October works for me; I'll keep it practical."),
    ("Lease renewal for the 3rd floor",
     "the lease for your office suite ends in March. Attached is the renewal notice and the new monthly rent for review.",
     "Thanks, our finance team will review the renewal notice and come back to you this month."),
    ("Interview request",
     "I'm writing a piece on how mid-sized firms adopt new software and would love a quote from {ws}. Do you have 20 minutes this week?",
     "Happy to help. Thursday at 2pm works - please send over the questions in advance."),
    ("Board dinner seating",
     "could you confirm whether you will attend the chamber's board dinner on the 14th, and any dietary needs?",
     "Yes, I'll be there - no dietary restrictions. Thanks for organising."),
    ("Mentoring programme",
     "thank you for volunteering as a mentor this year. Your mentee is a final-year student interested in sales careers.",
     "Great - I'll reach out to schedule a first coffee. Looking forward to it."),
    ("Your expense question",
     "regarding your question on the conference travel: those costs are deductible; please keep the receipts for the audit.",
     "Thanks, that clears it up. I'll send the receipts over with the quarterly documents."),
]
_OUTSIDER_TOPICS_DE = [
    ("Vortrag auf unserem Branchentag",
     "wir würden uns freuen, wenn Sie auf unserem Branchentag im Mai einen Impulsvortrag halten. Passt Ihnen der Vormittag?",
     "Vielen Dank für die Einladung, ich sage gerne zu. Den Titel schicke ich Ihnen bis Freitag."),
    ("Unterlagen Jahresabschluss",
     "für den Jahresabschluss fehlen uns noch die Reisekostenbelege des dritten Quartals. Können Sie diese nachreichen?",
     "Danke für den Hinweis, die Belege schicke ich Ihnen morgen gesammelt."),
    ("Praktikumsplatz",
     "eine unserer Studentinnen sucht ein Praxissemester im Vertrieb. Hätte {ws} Interesse, sie kennenzulernen?",
     "Gerne, schicken Sie mir ihren Lebenslauf, dann leite ich ihn an unsere Personalabteilung weiter."),
]


_NEWSLETTERS = {
    "saas": ["The Revenue Brief", "SaaS Metrics Weekly", "Product-Led Digest"],
    "manufacturing": ["Shop Floor Digest", "Industrial Automation Today", "Machining Insider"],
    "logistics": ["Supply Chain Weekly", "Freight Market Pulse", "Warehouse Ops Monthly"],
}
_HEADLINES = [
    "Five pricing mistakes teams keep making",
    "What the latest rate cut means for budgets",
    "Inside a 40% productivity gain",
    "Hiring is slowing - here's where",
    "The quarter in charts",
    "Why renewals are the new growth engine",
    "Automation ROI, honestly measured",
    "Event recap and slides",
]


@dataclass(slots=True)
class NoiseWriter:
    rng: random.Random
    workspace: Workspace
    people: PeopleFactory
    industry_key: str
    window_start: date
    as_of: date
    languages: tuple[str, ...]
    reps: list[Person]
    staff: dict[str, Person]  # role -> person: "hr", "it", "ceo", "finance"
    mails: list[Mail] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    # ---- helpers ---------------------------------------------------------------------------------------------

    def _day(self) -> date:
        return self.window_start + timedelta(
            days=self.rng.randint(0, (self.as_of - self.window_start).days - 1)
        )

    def _service(self, name: str, address: str, language: Language = "en") -> Person:
        return Person(
            first=name,
            last="",
            email=address,
            title="",
            company=name,
            timezone="UTC",
            client="mailer",
            language=language,
            female=False,
        )

    def _external(
        self, domain: str, company: str, title: str, culture: str = "anglo", language: Language = "en"
    ) -> Person:
        return self.people.person(
            culture=culture,
            domain=domain,
            company=company,
            title=title,
            timezone=self.rng.choice(["America/New_York", "Europe/London", "America/Chicago"]),
            language=language,
        )

    def _anyone(self) -> Person:
        return self.rng.choice(self.reps)

    def _add(self, mail: Mail, category: str) -> Mail:
        mail.category = category
        mail.deal_id = None
        self.mails.append(mail)
        return mail

    def _german(self) -> bool:
        return "de" in self.languages and self.rng.random() < 0.3

    # ---- kinds of mail ---------------------------------------------------------------------------------------

    def newsletter(self) -> None:
        rng = self.rng
        german = self._german()
        title = "Mittelstand Digital Briefing" if german else rng.choice(_NEWSLETTERS[self.industry_key])
        domain = ascii_slug(title)[:14] + ".com"
        sender = self._service(title, f"news@{domain}", "de" if german else "en")
        to = self._anyone()
        items = rng.sample(_HEADLINES, 3)
        text = "\n\n".join(f"* {h}\n  Read more: https://{domain}/p/{ascii_slug(h)[:20]}" for h in items)
        footer = (
            "Sie erhalten diesen Newsletter, weil Sie sich angemeldet haben. Abmelden: "
            f"https://{domain}/abmelden"
            if german
            else f"You are receiving this because you subscribed to {title}. Unsubscribe: https://{domain}/unsubscribe"
        )
        body = f"{title} - {items[0]}\n\n{text}\n\n{footer}"
        markup = "".join(
            f'<h2>{html.escape(h)}</h2><p><a href="https://{domain}/p/{ascii_slug(h)[:20]}">Read more</a></p>'
            for h in items
        )
        mail = new_mail(
            rng,
            sender,
            [to],
            f"{title}: {items[0]}",
            body,
            business_time(rng, self._day(), to),
            "newsletter",
            html=True,
            extra_headers=[
                ("List-Unsubscribe", f"<https://{domain}/unsubscribe>, <mailto:unsub@{domain}>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("List-Id", f"{title} <news.{domain}>"),
                ("Precedence", "bulk"),
            ],
        )
        mail.html_only_body = (
            f"<html><body><h1>{html.escape(title)}</h1>{markup}<p>{html.escape(footer)}</p></body></html>"
        )
        self._add(mail, "newsletter")

    def vendor_invoice(self) -> None:
        rng = self.rng
        vendor, domain = rng.choice(_VENDORS)
        german = self._german()
        sender = self._service(f"{vendor} Billing", f"billing@{domain}", "de" if german else "en")
        to = self.staff["finance"] if rng.random() < 0.5 else self.reps[0]
        amount = write_amount(
            rng, round(rng.uniform(80, 9000), 2), "EUR" if german else "USD", "de" if german else "en"
        )
        number = f"INV-{self.as_of.year}-{rng.randint(1000, 9999)}"
        if german:
            subject = f"Ihre Rechnung {number} von {vendor}"
            body = (
                f"Guten Tag,\n\nanbei erhalten Sie Ihre Rechnung {number} über {amount.text}. Der Betrag wird "
                f"in 14 Tagen fällig.\n\nMit freundlichen Grüßen\nIhr {vendor} Team"
            )
        else:
            subject = rng.choice(
                [
                    f"Your {vendor} invoice {number}",
                    f"Invoice {number} is available",
                    f"[{vendor}] Payment receipt {number}",
                ]
            )
            body = (
                f"Hello,\n\nYour invoice {number} for {amount.text} is attached. Payment is due within 30 days "
                f"by card on file.\n\nThanks for being a {vendor} customer.\n{vendor} Billing"
            )
        pdf = simple_pdf(
            [vendor, f"Invoice {number}", f"Amount due: {amount.text}", f"Bill to: {self.workspace.name}"]
        )
        self._add(
            new_mail(
                rng,
                sender,
                [to],
                subject,
                body,
                business_time(rng, self._day(), to),
                "vendor_invoice",
                attachments=[Attachment(f"{number}.pdf", "application/pdf", pdf)],
            ),
            "vendor_invoice",
        )

    def saas_renewal(self) -> None:
        """The workspace negotiating as a buyer: amounts, discounts, a renewal date - and no sales deal."""
        rng = self.rng
        vendor, domain = rng.choice(_VENDORS)
        am = self._external(domain, vendor, "Account Manager")
        buyer = self.staff["finance"] if rng.random() < 0.5 else self.reps[0]
        price = rng.choice([4800, 9600, 14400, 22000, 36000])
        renew = self.as_of - timedelta(days=rng.randint(5, 60))
        first = write_amount(rng, price, "USD")
        start = business_time(rng, renew - timedelta(days=30), am)
        m1 = new_mail(
            rng,
            am,
            [buyer],
            f"Your {vendor} renewal - {renew:%B} {renew.day}",
            letter(
                rng,
                am,
                buyer,
                f"Your {vendor} subscription ({rng.choice([20, 35, 50])} seats) renews "
                f"on {renew:%B} {renew.day} at {first.text} per year. Let me know if you'd like to "
                "review the plan before then.",
            ),
            start,
            "vendor_renewal",
        )
        self._add(m1, "vendor_renewal")
        if rng.random() < 0.7:
            m2 = reply_to(
                rng,
                m1,
                buyer,
                letter(
                    rng,
                    buyer,
                    am,
                    "Thanks. Budgets are tight this year - can you do "
                    "10% off if we commit for two years? Otherwise we may reduce seats.",
                    casual=True,
                ),
                business_time(rng, start.date() + timedelta(days=2), buyer, start),
            )
            self._add(m2, "vendor_renewal")
            second = write_amount(rng, round(price * 0.9), "USD")
            m3 = reply_to(
                rng,
                m2,
                am,
                letter(
                    rng,
                    am,
                    buyer,
                    f"I can offer {second.text} per year on a two-year "
                    "term. I'll send the updated order form.",
                ),
                business_time(rng, start.date() + timedelta(days=4), am, m2.sent),
            )
            self._add(m3, "vendor_renewal")

    def cold_pitch(self) -> None:
        rng = self.rng
        company, domain = rng.choice(_PITCHERS)
        german = self._german()
        sdr = self._external(
            domain,
            company,
            "Account Executive",
            rng.choice(["anglo", "hispanic", "indian"]),
            "de" if german else "en",
        )
        to = self._anyone()
        if german:
            subject, text = (
                f"Kurze Frage, {to.first}",
                f"ich sehe, dass {self.workspace.name} gerade wächst. {company} hilft Vertriebsteams, "
                "30 % mehr qualifizierte Termine zu buchen. Hätten Sie nächste Woche 15 Minuten für "
                "eine kurze Demo?",
            )
        else:
            subject, text = rng.choice(
                [
                    (
                        f"Quick question, {to.first}",
                        f"Noticed {self.workspace.name} is hiring SDRs. {company} helps "
                        "teams book 30% more meetings without adding headcount. Worth a 15-minute demo next week?",
                    ),
                    (
                        f"{self.workspace.name} + {company}",
                        f"Teams like yours use {company} to cut prospecting time in "
                        "half. Pricing starts at $99 per seat per month. Open to a quick call on Thursday?",
                    ),
                    (
                        "Idea for your pipeline",
                        f"I put together a short video on how {company} could fill "
                        f"{self.workspace.name}'s pipeline for Q4. Can I send it over?",
                    ),
                ]
            )
        sent = business_time(rng, self._day(), sdr)
        first = self._add(
            new_mail(rng, sdr, [to], subject, letter(rng, sdr, to, text), sent, "cold_pitch"), "cold_pitch"
        )
        if rng.random() < 0.5:
            bump = (
                "nur kurz nachgehakt - passt ein Termin?"
                if german
                else rng.choice(
                    [
                        "Floating this back to the top of your inbox.",
                        "Any thoughts on the below?",
                        "Last try - should I reach out to someone else on your team?",
                    ]
                )
            )
            self._add(
                reply_to(
                    rng,
                    first,
                    sdr,
                    letter(rng, sdr, to, bump),
                    business_time(rng, sent.date() + timedelta(days=rng.randint(3, 8)), sdr, sent),
                    to=[to],
                ),
                "cold_pitch",
            )

    def recruiting(self) -> None:
        rng = self.rng
        manager = self.reps[0]
        kind = rng.randrange(3)
        if kind == 0:
            candidate = self.people.free_mail_person(
                culture=rng.choice(["anglo", "indian", "hispanic"]),
                company="",
                title="",
                timezone=self.workspace.timezone,
                language="en",
                phone_prefix="+1",
            )
            role = rng.choice(["Account Executive", "Sales Development Representative", "Solutions Engineer"])
            body = letter(
                rng,
                candidate,
                manager,
                f"I'm applying for the {role} role posted on your careers page. "
                "I've spent four years in B2B sales and consistently hit quota. My CV is attached - I'd "
                "love to talk.",
            )
            cv = Attachment(
                f"CV_{candidate.first}_{ascii_slug(candidate.last)}.pdf",
                "application/pdf",
                simple_pdf([candidate.name, role, "Experience: 4 years B2B sales"]),
            )
            sent = business_time(rng, self._day(), candidate)
            self._add(
                new_mail(
                    rng,
                    candidate,
                    [manager],
                    f"Application: {role}",
                    body,
                    sent,
                    "recruiting",
                    attachments=[cv],
                ),
                "recruiting",
            )
            interview = self._meeting(sent.date() + timedelta(days=rng.randint(4, 10)), manager)
            self.events.append(
                Event(
                    uid=_uid(rng),
                    summary=f"Interview: {candidate.name} ({role})",
                    start=interview,
                    minutes=45,
                    organizer=self.staff["hr"],
                    attendees=[manager, candidate],
                    description="Structured interview, scorecard in the ATS.",
                    location="Microsoft Teams Meeting",
                    category="recruiting",
                    created=sent,
                )
            )
        elif kind == 1:
            agency = self._external("talentbridge-search.com", "Talentbridge Search", "Senior Recruiter")
            sent = business_time(rng, self._day(), agency)
            self._add(
                new_mail(
                    rng,
                    agency,
                    [manager],
                    "Strong sales candidates available",
                    letter(
                        rng,
                        agency,
                        manager,
                        "I'm working with three enterprise AEs who are open to a "
                        "move. Our fee is 20% of first-year base. Shall I send profiles?",
                    ),
                    sent,
                    "recruiting",
                ),
                "recruiting",
            )
        else:
            hr = self.staff["hr"]
            sent = business_time(rng, self._day(), hr)
            first = self._add(
                new_mail(
                    rng,
                    hr,
                    [manager],
                    "Interview feedback needed",
                    letter(
                        rng,
                        hr,
                        manager,
                        "Could you add your scorecard for yesterday's final "
                        "round by Friday? We'd like to make an offer decision next week.",
                        casual=True,
                    ),
                    sent,
                    "recruiting",
                ),
                "recruiting",
            )
            self._add(
                reply_to(
                    rng,
                    first,
                    manager,
                    "Done - strong yes from me.",
                    business_time(rng, sent.date(), manager, sent),
                ),
                "recruiting",
            )

    def hr_payroll(self) -> None:
        rng = self.rng
        hr = self.staff["hr"]
        to = self._anyone()
        kind = rng.randrange(3)
        if kind == 0:
            sender = self._service("Payroll", f"payroll@{self.workspace.domain}")
            month = self._day()
            subject, body = (
                f"Your payslip for {month:%B %Y} is ready",
                "Your payslip is available in the employee portal. This is an automated message.",
            )
        elif kind == 1:
            sender = hr
            subject, body = (
                "Open enrollment closes Friday",
                letter(
                    rng,
                    hr,
                    to,
                    "Reminder that benefits open "
                    "enrollment closes this Friday. Please review your health plan selection in the portal.",
                ),
            )
        else:
            sender = hr
            subject, body = (
                "Updated PTO policy",
                letter(
                    rng,
                    hr,
                    to,
                    "We've updated the PTO policy for next year; "
                    "carry-over is now capped at five days. Details are on the intranet.",
                ),
            )
        self._add(new_mail(rng, sender, [to], subject, body, business_time(rng, self._day(), to), "hr"), "hr")

    def internal_chatter(self) -> None:
        rng = self.rng
        a, b = rng.sample(self.reps, 2)
        subject, text, answer = rng.choice(
            [
                (
                    "Team offsite - dates",
                    "Can everyone make the 14th-15th for the offsite? Looking at a place upstate.",
                    "Works for me. Vegetarian option please!",
                ),
                ("Lunch?", "Tacos at 12:30?", "In."),
                (
                    "Deck template",
                    "Does anyone have the latest version of the pitch deck template? Mine still has the "
                    "old logo.",
                    "Shared drive > Sales > Templates. Updated last week.",
                ),
                (
                    "CRM cleanup",
                    "Reminder to close out stale tasks before the end of the month - the report is a mess.",
                    "On it this afternoon.",
                ),
                (
                    "Pipeline review moved",
                    "Pipeline review moves to 3pm on Monday this week, conflicts in the morning.",
                    "Thanks for the heads-up.",
                ),
                (
                    "Parking",
                    "The garage is closed Thursday for maintenance, use the street lot.",
                    "Good to know.",
                ),
                (
                    "Kudos",
                    "Shout-out to the whole team for a great quarter. Drinks on me Friday.",
                    "🎉 See you there",
                ),
            ]
        )
        sent = business_time(rng, self._day(), a)
        to = [b] + [p for p in rng.sample(self.reps, len(self.reps)) if p not in (a, b)][: rng.randint(0, 2)]
        first = self._add(
            new_mail(rng, a, to, subject, letter(rng, a, b, text, casual=True), sent, "internal"), "internal"
        )
        if rng.random() < 0.7:
            self._add(reply_to(rng, first, b, answer, business_time(rng, sent.date(), b, sent)), "internal")

    def it_notification(self) -> None:
        rng = self.rng
        to = self._anyone()
        german = self._german()
        sender = self._service(
            "IT Service Desk", f"it-helpdesk@{self.workspace.domain}", "de" if german else "en"
        )
        if german:
            subject, body = (
                "Ihr Passwort läuft in 5 Tagen ab",
                "Bitte ändern Sie Ihr Passwort im Self-Service-"
                "Portal. Diese Nachricht wurde automatisch erstellt.",
            )
        else:
            subject, body = rng.choice(
                [
                    (
                        "Your password expires in 5 days",
                        "Please change your password in the self-service portal before "
                        "it expires. This is an automated message.",
                    ),
                    (
                        "New sign-in to your account",
                        f"We noticed a new sign-in to {to.email} from Chrome on Windows. "
                        "If this was you, no action is needed.",
                    ),
                    (
                        "Scheduled maintenance Saturday 22:00-02:00",
                        "Email and VPN may be briefly unavailable during the maintenance window.",
                    ),
                    (
                        "Action required: enroll in MFA",
                        "All accounts must use multi-factor authentication by the end of "
                        "the month. Enroll in two minutes from the portal.",
                    ),
                ]
            )
        self._add(
            new_mail(
                rng,
                sender,
                [to],
                subject,
                body,
                business_time(rng, self._day(), to),
                "it",
                extra_headers=[("Auto-Submitted", "auto-generated")],
            ),
            "it",
        )

    def calendar_notification(self, internal_events: list[Event]) -> None:
        rng = self.rng
        event = rng.choice(internal_events)
        to = event.organizer
        guest = rng.choice([p for p in event.attendees if p.email != to.email] or self.reps)
        verb = rng.choice(["Accepted", "Tentatively accepted", "Declined"])
        sender = Person(
            first=guest.first,
            last=guest.last,
            email=guest.email,
            title="",
            company="",
            timezone=guest.timezone,
            client="mailer",
            language="en",
            female=guest.female,
        )
        subject = f"{verb}: {event.summary} @ {event.start:%a %b} {event.start.day}, {event.start:%Y %I:%M%p}"
        body = f"{guest.name} has {verb.lower()} this invitation.\n\n{event.summary}\nWhen: {event.start:%A %B %d, %Y %I:%M%p}"
        day = max(self.window_start, (event.created or event.start).date())
        self._add(
            new_mail(
                rng,
                sender,
                [to],
                subject,
                body,
                business_time(rng, day, to),
                "calendar_notification",
                extra_headers=[("Auto-Submitted", "auto-generated")],
            ),
            "calendar_notification",
        )

    def personal(self) -> None:
        rng = self.rng
        to = self._anyone()
        friend = self.people.free_mail_person(
            culture=rng.choice(["anglo", "hispanic", "east_asian"]),
            company="",
            title="",
            timezone=to.timezone,
            language="en",
            phone_prefix="+1",
        )
        subject, text = rng.choice(
            [
                ("Dinner Saturday?", "Are you two free for dinner on Saturday? Thinking 7pm."),
                ("photos!", "Finally uploaded the photos from the lake, link below."),
                ("Happy birthday!!", "Hope you have a great day - drinks soon?"),
                ("Moving help", "Any chance you could help with the move on the 12th? Pizza is on me."),
            ]
        )
        self._add(
            new_mail(
                rng,
                friend,
                [to],
                subject,
                letter(rng, friend, to, text, casual=True),
                business_time(rng, self._day(), friend),
                "personal",
            ),
            "personal",
        )

    def outside_correspondence(self) -> None:
        """A rep and an outsider at a real company, about anything but a sale: the commonest non-deal mail."""
        rng = self.rng
        german = self._german()
        company, domain, title = rng.choice(_OUTSIDERS)
        outsider = self._external(domain, company, title, rng.choice(["anglo", "german", "hispanic"]),
                                  "de" if german else "en")
        rep = self._anyone()
        subject, asked, answered = rng.choice(_OUTSIDER_TOPICS_DE if german else _OUTSIDER_TOPICS_EN)
        asked, answered = asked.format(ws=self.workspace.name), answered.format(ws=self.workspace.name)
        # Half the time the rep writes first: outbound mail to a business is not a deal by itself.
        first_from, first_to, first_text = (outsider, rep, asked) if rng.random() < 0.5 else (rep, outsider, answered)
        sent = business_time(rng, self._day(), first_from)
        first = self._add(new_mail(rng, first_from, [first_to], subject, letter(rng, first_from, first_to, first_text),
                                   sent, "outside_correspondence"), "outside_correspondence")
        if rng.random() < 0.6:
            reply_text = answered if first_from is outsider else asked
            self._add(reply_to(rng, first, first_to, letter(rng, first_to, first_from, reply_text),
                               business_time(rng, sent.date() + timedelta(days=rng.randint(0, 3)), first_to, sent),
                               to=[first_from]), "outside_correspondence")

    def spam(self) -> None:
        rng = self.rng
        to = self._anyone()
        german = self._german()
        bogus = rng.choice(["secure-mail-verify.top", "docs-share-portal.xyz", "payments-remit.info"])
        sender = self._service(
            rng.choice(["Mail Administrator", "DocuShare", "Accounts Payable"]),
            f"no-reply@{bogus}",
            "de" if german else "en",
        )
        amount = write_amount(
            rng, rng.choice([4820, 18250, 48200]), "EUR" if german else "USD", "de" if german else "en"
        )
        if german:
            subject, body = (
                "Zahlungsavis",
                f"Anbei das Zahlungsavis über {amount.text}. Zum Öffnen hier klicken: http://{bogus}/view",
            )
        else:
            subject, body = rng.choice(
                [
                    (
                        "Your mailbox is almost full",
                        f"Your mailbox {to.email} has reached 98% of its quota. Verify your "
                        f"account now to avoid losing messages: http://{bogus}/verify",
                    ),
                    (
                        "Remittance advice",
                        f"Please find attached remittance advice for {amount.text}. Click to view: "
                        f"http://{bogus}/doc",
                    ),
                    (
                        "You have been selected!",
                        "Congratulations, you have been selected for an exclusive reward. "
                        f"Claim within 24 hours at http://{bogus}/claim",
                    ),
                    (
                        "Grow your rankings",
                        "We can put your website on the first page of search results. Reply for a "
                        "free audit.",
                    ),
                ]
            )
        self._add(
            new_mail(rng, sender, [to], subject, body, business_time(rng, self._day(), to), "spam"), "spam"
        )

    def announcement(self) -> None:
        rng = self.rng
        ceo = self.staff["ceo"]
        subject, text = rng.choice(
            [
                (
                    "Company update",
                    "Quick update ahead of the all-hands: we closed the quarter ahead of plan, two new "
                    "team members start next week, and the office move is confirmed for spring.",
                ),
                (
                    "Holiday schedule",
                    "The office will be closed between the holidays. Please plan customer coverage "
                    "with your manager.",
                ),
            ]
        )
        self._add(
            new_mail(
                rng,
                ceo,
                list(self.reps),
                subject,
                f"Hi all,\n\n{text}\n\n{ceo.first}",
                business_time(rng, self._day(), ceo),
                "internal",
            ),
            "internal",
        )

    # ---- calendar --------------------------------------------------------------------------------------------

    def _meeting(self, day: date, host: Person, hour: int | None = None) -> datetime:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return datetime.combine(
            day, time(hour or self.rng.choice([9, 10, 11, 14, 15, 16])), ZoneInfo(host.timezone)
        )

    def internal_events(self) -> list[Event]:
        """Recurring team meetings plus one-off internal and personal events."""
        rng = self.rng
        manager = self.reps[0]
        first_monday = self.window_start + timedelta(days=(7 - self.window_start.weekday()) % 7)
        created = datetime.combine(
            self.window_start - timedelta(days=20), time(9), ZoneInfo(manager.timezone)
        )
        review = Event(
            uid=_uid(rng),
            summary="Weekly pipeline review",
            start=self._meeting(first_monday, manager, 9),
            minutes=45,
            organizer=manager,
            attendees=list(self.reps),
            category="internal",
            description="Forecast call: commits, best case, risks.",
            location="Conference room / Zoom",
            rrule={"FREQ": "WEEKLY", "BYDAY": "MO"},
            created=created,
        )
        review.exdates.append(review.start + timedelta(weeks=rng.randint(3, 12)))
        events = [review]
        for rep in self.reps[1:]:
            events.append(
                Event(
                    uid=_uid(rng),
                    summary=f"1:1 {manager.first} / {rep.first}",
                    start=self._meeting(first_monday + timedelta(days=rng.randint(1, 4)), manager),
                    minutes=30,
                    organizer=manager,
                    attendees=[manager, rep],
                    category="internal",
                    description="",
                    location="",
                    rrule={"FREQ": "WEEKLY", "INTERVAL": 2},
                    created=created,
                )
            )
        ceo = self.staff["ceo"]
        events.append(
            Event(
                uid=_uid(rng),
                summary="All-hands",
                start=self._meeting(first_monday + timedelta(days=3), ceo, 16),
                minutes=60,
                organizer=ceo,
                attendees=[ceo, *self.reps, *self.staff.values()],
                category="internal",
                description="Monthly company meeting.",
                location="Main office",
                rrule={"FREQ": "MONTHLY", "BYDAY": "1TH"},
                created=created,
            )
        )
        vendor, _ = rng.choice(_VENDORS)
        day = self._day()
        events.append(
            Event(
                uid=_uid(rng),
                summary=f"{vendor} demo (evaluating for ops)",
                start=self._meeting(day, manager),
                minutes=45,
                organizer=self.staff["finance"],
                attendees=[self.staff["finance"], manager],
                category="vendor",
                description=f"{vendor} shows their product; we are the buyer.",
                location="https://zoom.us/j/" + str(rng.randint(10**9, 10**10 - 1)),
                created=None,
            )
        )
        rep = self._anyone()
        events.append(
            Event(
                uid=_uid(rng),
                summary="Dentist",
                start=self._meeting(self._day(), rep, 8),
                minutes=60,
                organizer=rep,
                attendees=[rep],
                category="personal",
                description="",
                location="",
            )
        )
        events.append(
            Event(
                uid=_uid(rng),
                summary="Sales training: objection handling",
                start=self._meeting(self._day(), manager, 13),
                minutes=120,
                organizer=manager,
                attendees=list(self.reps),
                category="internal",
                description="Bring two real examples.",
                location="Training room",
            )
        )
        self.events.extend(events)
        return events

    def write(self, count: int) -> None:
        internal = self.internal_events()
        kinds: list[tuple[str, int]] = [
            ("newsletter", 17),
            ("vendor_invoice", 8),
            ("saas_renewal", 4),
            ("cold_pitch", 11),
            ("recruiting", 7),
            ("hr_payroll", 6),
            ("internal_chatter", 12),
            ("it_notification", 7),
            ("calendar", 7),
            ("personal", 5),
            ("outside_correspondence", 9),
            ("spam", 8),
            ("announcement", 3),
        ]
        names, weights = [k for k, _ in kinds], [w for _, w in kinds]
        while len(self.mails) < count:
            kind = self.rng.choices(names, weights=weights)[0]
            if kind == "calendar":
                self.calendar_notification(internal)
            else:
                getattr(self, kind)()


def _uid(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuv0123456789") for _ in range(26)) + "@google.com"
