"""Deal stories: from first contact through discovery, demo, proposal and negotiation to won, lost or open.

A story is planned first (which steps, how many days between them) so it can
be placed in the time window, then written with real dates, because what
people write ("next Friday", "by end of Q3") depends on the day they write it.
Each message records the amount and close date it states; the deal's truth is
whatever was stated last.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from vectoros_pipelines.demo.clients import forward_prefix, strip_prefixes
from vectoros_pipelines.demo.compose import business_time, letter, new_mail, reply_to
from vectoros_pipelines.demo.dates import WEEKDAYS_DE, absolute_text, phrase_close_date
from vectoros_pipelines.demo.industries import Industry, Product
from vectoros_pipelines.demo.model import (
    Attachment,
    Deal,
    Event,
    Language,
    Mail,
    Money,
    Person,
    Stage,
    Status,
    Workspace,
)
from vectoros_pipelines.demo.money import round_to, write_amount, write_multi_year
from vectoros_pipelines.demo.pdf import simple_pdf
from vectoros_pipelines.demo.phrases import EVENTS, render
from vectoros_pipelines.demo.pools import COMPETITORS

STAGE_ORDER: tuple[Stage, ...] = ("lead", "qualified", "demo", "proposal", "negotiation")

# Days between one step and the next: (min, max).
_GAPS: dict[str, tuple[int, int]] = {
    "open": (0, 0),
    "schedule": (0, 2),
    "discovery": (2, 7),
    "recap": (0, 1),
    "demo": (5, 14),
    "demo_followup": (1, 4),
    "proposal": (3, 10),
    "ack": (1, 3),
    "pushback": (5, 14),
    "discount": (0, 1),
    "revised": (1, 3),
    "negotiation_meeting": (2, 6),
    "slip": (7, 18),
    "won": (5, 18),
    "lost": (7, 25),
    "check_in": (9, 20),
    "next_meeting": (1, 5),
    "lead_reply": (0, 2),
}


@dataclass(slots=True)
class DealPlan:
    deal: Deal
    outcome: Status
    reach: Stage  # furthest open stage reached
    stale: bool = False
    slip: bool = False
    procurement: Person | None = None  # joins at proposal and pushes back on price
    champion: Person | None = None  # a second contact who joins discovery calls
    inbound: bool = True
    budget_first: bool = False
    multi_year: int = 0
    reschedule: bool = False
    cancel_followup: bool = False
    kickoff: bool = False
    department: str | None = None  # for two deals at one company
    steps: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StoryWriter:
    rng: random.Random
    workspace: Workspace
    manager: Person
    engineer: Person | None
    industry: Industry
    window_start: date
    mails: list[Mail] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    # ---- planning -------------------------------------------------------------------------------------------

    def plan_steps(self, plan: DealPlan) -> list[str]:
        reach = STAGE_ORDER.index(plan.reach)
        steps = ["open"] if plan.inbound else ["open", "lead_reply"]
        if reach >= 1:
            steps += ["schedule", "discovery", "recap"]
        if reach >= 2:
            steps += ["demo", "demo_followup"]
        if reach >= 3:
            steps += ["proposal", "ack"]
        if reach >= 4:
            steps += ["pushback", "discount", "revised"]
            if self.rng.random() < 0.5:
                steps.append("negotiation_meeting")
        if plan.slip and reach >= 3:
            steps.append("slip")
        if plan.outcome == "won":
            steps.append("won")
        elif plan.outcome == "lost":
            steps.append("lost")
        elif plan.stale:
            steps += ["check_in"] * self.rng.randint(1, 2)
        elif self.rng.random() < 0.4 and reach >= 1:
            steps.append("next_meeting")
        return steps

    def place(self, plan: DealPlan, as_of: date) -> list[date]:
        """Dates for each step: stale stories end 35-80 days before as_of, closed ones anywhere before it."""
        gaps = [self.rng.randint(*_GAPS[s]) for s in plan.steps]
        gaps[0] = 0
        span = sum(gaps)
        available = (as_of - self.window_start).days - 2
        if span > available:  # compress a long story into the window
            gaps = [g * available // max(span, 1) for g in gaps]
            span = sum(gaps)
        if plan.outcome == "open" and plan.stale:
            last = as_of - timedelta(days=self.rng.randint(35, 80))
        elif plan.outcome == "open":
            last = as_of - timedelta(days=self.rng.randint(1, 12))
        else:
            latest = as_of - timedelta(days=2)
            earliest = self.window_start + timedelta(days=span)
            last = earliest + timedelta(days=self.rng.randint(0, max(0, (latest - earliest).days)))
        first = max(self.window_start, last - timedelta(days=span))
        days, cursor = [], first
        for gap in gaps:
            cursor = min(cursor + timedelta(days=gap), as_of - timedelta(days=1))
            days.append(cursor)
        return days

    # ---- writing ----------------------------------------------------------------------------------------------

    def _fields(self, plan: DealPlan, to: Person, **extra: str) -> dict[str, str]:
        deal, lang = plan.deal, plan.deal.company.language
        rng = self.rng
        colleague = plan.procurement or plan.champion
        fields = {
            "first": to.first,
            "company": deal.company.name,
            "seller": self.workspace.name,
            "product": deal.product,
            "pain": rng.choice(self.industry.pains_de if lang == "de" else self.industry.pains),
            "demo": rng.choice(self.industry.demo_words_de if lang == "de" else self.industry.demo_words),
            "competitor": rng.choice(COMPETITORS),
            "count": str(rng.choice([12, 25, 40, 60, 80, 120, 150, 300])),
            "unit": rng.choice(self.industry.units_de if lang == "de" else self.industry.units),
            "event": rng.choice(EVENTS),
            "referrer": rng.choice(
                ["Our CFO", "A former colleague", "Our board advisor", "A partner of yours"]
            ),
            "size": rng.choice(["50-person", "200-person", "mid-sized", "fast-growing"]),
            "colleague": colleague.name
            if colleague
            else ("our CFO" if lang == "en" else "unserer Geschäftsführung"),
            "colleague_line": "",
            "budget": "",
            "amount": "",
            "close": "",
            "discount": "",
            "weekday": "",
            "time": "",
            "old_close": "",
            "new_close": "",
        }
        if plan.department:
            fields["product"] = f"{deal.product} ({plan.department})"
        fields.update(extra)
        return fields

    def _state(
        self,
        mail: Mail,
        plan: DealPlan,
        money: Money | None = None,
        close: tuple[str, date] | None = None,
        stage: Stage | None = None,
    ) -> Mail:
        mail.deal_id = plan.deal.deal_id
        mail.category = "deal"
        if money is not None:
            mail.amount = money
            plan.deal.value, plan.deal.currency = money.value, money.currency
        if close is not None:
            mail.close_date_text, mail.close_date = close
            plan.deal.close_date = close[1]
        if stage is not None:
            mail.stage = stage
        self.mails.append(mail)
        return mail

    def _amount(self, value: float, plan: DealPlan, language: Language) -> Money:
        cur = plan.deal.company.currency
        if plan.multi_year:
            return write_multi_year(self.rng, value, plan.multi_year, cur, language)
        return write_amount(self.rng, value, cur, language)

    def _weekday_text(self, d: date, lang: Language) -> str:
        if lang == "de":
            return WEEKDAYS_DE[d.weekday()]
        return self.rng.choice(
            [d.strftime("%A"), f"{d:%A} the {d.day}{_ordinal(d.day)}", f"{d:%A}, {d:%b} {d.day}"]
        )

    def _meeting_start(self, day: date, host: Person) -> datetime:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        hour = self.rng.choice([9, 10, 11, 13, 14, 15, 16])
        return datetime.combine(day, time(hour, self.rng.choice([0, 0, 30])), ZoneInfo(host.timezone))

    def _event(self, plan: DealPlan, kind: str, start: datetime, created: datetime, stage: Stage) -> Event:
        deal, rng = plan.deal, self.rng
        lang = deal.company.language
        demo = rng.choice(self.industry.demo_words_de if lang == "de" else self.industry.demo_words)
        titles = {
            "discovery": [
                f"Discovery call: {deal.company.name} / {self.workspace.name}",
                f"{self.workspace.name} x {deal.company.name} - intro",
                f"Intro call - {deal.contacts[0].name} ({deal.company.name})",
            ],
            "demo": [
                f"{demo.capitalize()}: {deal.product} for {deal.company.name}",
                f"{deal.company.name} - {demo}",
            ],
            "negotiation": [
                f"{deal.company.name} - commercial discussion",
                f"Contract review with {deal.company.name}",
                f"Pricing call - {deal.company.name}",
            ],
            "next": [f"{deal.company.name} follow-up", f"Q&A session - {deal.company.name}"],
            "followup": [f"{deal.company.name}: next steps", f"Follow-up {deal.company.name}"],
            "kickoff": [
                f"Kickoff: {deal.company.name} onboarding",
                f"{deal.company.name} implementation kickoff",
            ],
        }
        if lang == "de":
            titles["discovery"] = [f"Erstgespräch {deal.company.name} / {self.workspace.name}"]
            titles["negotiation"] = [f"Vertragsgespräch {deal.company.name}"]
        attendees = [deal.rep, *deal.contacts[:1]]
        if plan.champion and kind in ("discovery", "demo", "next"):
            attendees.append(plan.champion)
        if plan.procurement and kind == "negotiation":
            attendees.append(plan.procurement)
        if self.engineer and kind == "demo":
            attendees.append(self.engineer)
        minutes = {"discovery": 30, "demo": 60, "negotiation": 45, "next": 45, "followup": 30, "kickoff": 60}[
            kind
        ]
        on_site = self.industry.key != "saas" and kind == "demo"
        location = (
            f"{deal.company.name}, main site"
            if on_site
            else rng.choice(
                [
                    f"https://zoom.us/j/{rng.randint(10**9, 10**10 - 1)}",
                    f"https://meet.google.com/{_letters(rng, 3)}-{_letters(rng, 4)}-{_letters(rng, 3)}",
                    "Microsoft Teams Meeting",
                ]
            )
        )
        description = {
            "discovery": "Agenda: current setup, goals, timeline, who else is involved.",
            "demo": f"{deal.product} walkthrough tailored to {deal.company.name}. Questions welcome.",
            "negotiation": "Commercial terms, discount and contract timeline.",
            "next": "Open questions from the team.",
            "followup": "Next steps.",
            "kickoff": "Onboarding plan, owners and milestones.",
        }[kind]
        event = Event(
            uid=_event_uid(rng, deal.rep),
            summary=rng.choice(titles[kind]),
            start=start,
            minutes=minutes,
            organizer=deal.rep,
            attendees=attendees,
            description=description,
            location=location,
            category="deal",
            deal_id=deal.deal_id,
            created=created,
            stage=stage,
        )
        self.events.append(event)
        return event

    def write(self, plan: DealPlan, as_of: date) -> None:
        plan.steps = self.plan_steps(plan)
        days = self.place(plan, as_of)
        deal, rng = plan.deal, self.rng
        lang = deal.company.language
        contact, rep = deal.contacts[0], deal.rep
        product = self.industry_product(deal.product)
        list_price = round_to(rng.uniform(product.low, product.high), product.step)
        if plan.multi_year:
            list_price = round_to(list_price * plan.multi_year, product.step * 10)
        thread: Mail | None = None
        proposal: Mail | None = None
        last: Mail | None = None
        customer_side = [contact] + ([plan.champion] if plan.champion else [])
        pushback: Mail | None = None
        meeting: Event | None = None
        revised_value = list_price
        discount = 0
        for step, day in zip(plan.steps, days, strict=True):
            after = last.sent if last else None
            if step == "open":
                if plan.inbound:
                    budget = ""
                    money = None
                    if plan.budget_first:
                        money = write_amount(
                            rng,
                            round_to(list_price * rng.uniform(0.6, 0.9), product.step),
                            deal.company.currency,
                            lang,
                        )
                        budget = (
                            f"\n\nUnser Budget liegt bei ca. {money.text}."
                            if lang == "de"
                            else rng.choice(
                                [
                                    f"\n\nBudget-wise we have roughly {money.text} set aside for this.",
                                    f"\n\nFor context, we've budgeted around {money.text}.",
                                ]
                            )
                        )
                    subject, text = render(rng, "inbound", lang, self._fields(plan, rep, budget=budget))
                    sent = business_time(rng, day, contact, after)
                    thread = new_mail(
                        rng, contact, [rep], subject, letter(rng, contact, rep, text), sent, "deal"
                    )
                else:
                    subject, text = render(rng, "outbound", lang, self._fields(plan, contact))
                    sent = business_time(rng, day, rep, after)
                    thread = new_mail(
                        rng, rep, [contact], subject, letter(rng, rep, contact, text), sent, "deal"
                    )
                    money = None
                last = self._state(thread, plan, money=money, stage="lead")
            elif step == "lead_reply" and thread is not None:
                _, text = render(rng, "outbound_reply", lang, self._fields(plan, rep))
                last = self._state(
                    reply_to(
                        rng,
                        thread,
                        contact,
                        letter(rng, contact, rep, text),
                        business_time(rng, day, contact, after),
                    ),
                    plan,
                    stage="lead",
                )
            elif step == "schedule" and last is not None:
                call_day = day + timedelta(days=rng.randint(2, 6))
                start = self._meeting_start(call_day, rep)
                fields = self._fields(
                    plan,
                    contact,
                    weekday=self._weekday_text(start.date(), lang),
                    time=start.strftime("%H:%M" if lang == "de" else "%I:%M %p").lstrip("0"),
                )
                _, text = render(rng, "schedule_discovery", lang, fields)
                sched = reply_to(
                    rng,
                    last,
                    rep,
                    letter(rng, rep, contact, text),
                    business_time(rng, day, rep, after),
                    to=[contact],
                )
                last = self._state(sched, plan, stage="lead")
                meeting = self._event(plan, "discovery", start, sched.sent, "qualified")
                if plan.reschedule:
                    moved = self._meeting_start(start.date() + timedelta(days=rng.randint(1, 4)), rep)
                    fields.update(
                        weekday=self._weekday_text(moved.date(), lang),
                        time=moved.strftime("%H:%M" if lang == "de" else "%I:%M %p").lstrip("0"),
                    )
                    _, text = render(rng, "reschedule", lang, fields | {"first": rep.first})
                    ask = reply_to(
                        rng,
                        sched,
                        contact,
                        letter(rng, contact, rep, text),
                        business_time(
                            rng,
                            min(start.date() - timedelta(days=1), day + timedelta(days=1)),
                            contact,
                            sched.sent,
                        ),
                    )
                    last = self._state(ask, plan, stage="lead")
                    meeting.start, meeting.sequence = moved, 1
            elif step == "discovery":
                pass  # the call itself is the calendar event written at scheduling time
            elif step == "recap":
                held = meeting.start.date() if meeting else day
                subject, text = render(rng, "discovery_recap", lang, self._fields(plan, contact))
                sent = business_time(
                    rng, max(day, held), rep, max(after, meeting.start) if meeting and after else after
                )
                last = self._state(
                    new_mail(
                        rng,
                        rep,
                        [contact],
                        subject,
                        letter(rng, rep, contact, text),
                        sent,
                        "deal",
                        cc=customer_side[1:],
                    ),
                    plan,
                    stage="qualified",
                )
                thread = last
            elif step == "demo" and last is not None:
                start = self._meeting_start(day, rep)
                if start <= last.sent:
                    start = self._meeting_start(last.sent.date() + timedelta(days=3), rep)
                meeting = self._event(plan, "demo", start, last.sent, "demo")
            elif step == "demo_followup" and last is not None:
                demo_at = meeting.start if meeting else last.sent
                _, text = render(rng, "demo_followup", lang, self._fields(plan, rep))
                sent = business_time(
                    rng, max(day, demo_at.date() + timedelta(days=1)), contact, max(demo_at, last.sent)
                )
                last = self._state(
                    reply_to(rng, last, contact, letter(rng, contact, rep, text), sent, to=[rep]),
                    plan,
                    stage="demo",
                )
            elif step == "proposal" and last is not None:
                sent = business_time(rng, day, rep, last.sent)
                money = self._amount(list_price, plan, lang)
                close = phrase_close_date(
                    rng,
                    sent.date(),
                    sent.date() + timedelta(days=rng.randint(20, 60)),
                    lang,
                    us=deal.company.country == "US",
                )
                subject, text = render(
                    rng, "proposal", lang, self._fields(plan, contact, amount=money.text, close=close[0])
                )
                attachments = []
                if rng.random() < 0.6:
                    name = (
                        f"{self.workspace.name.replace(' ', '_')}_Proposal_{deal.company.name.split()[0]}.pdf"
                    )
                    attachments.append(
                        Attachment(
                            name,
                            "application/pdf",
                            simple_pdf(
                                [
                                    f"{self.workspace.name} - Proposal",
                                    deal.company.name,
                                    deal.product,
                                    f"Total: {money.text}",
                                ]
                            ),
                        )
                    )
                proposal = new_mail(
                    rng,
                    rep,
                    [contact],
                    subject,
                    letter(rng, rep, contact, text),
                    sent,
                    "deal",
                    cc=customer_side[1:],
                    attachments=attachments,
                    html=rng.random() < 0.4,
                )
                last = self._state(proposal, plan, money=money, close=close, stage="proposal")
            elif step == "ack" and proposal is not None:
                _, text = render(rng, "proposal_ack", lang, self._fields(plan, rep))
                cc = [plan.procurement] if plan.procurement else []
                last = self._state(
                    reply_to(
                        rng,
                        proposal,
                        contact,
                        letter(rng, contact, rep, text),
                        business_time(rng, day, contact, last.sent if last else None),
                        to=[rep],
                        cc=cc,
                    ),
                    plan,
                    stage="proposal",
                )
            elif step == "pushback" and last is not None:
                discount = rng.choice([5, 8, 10, 12, 15, 20])
                revised_value = round_to(list_price * (100 - discount) / 100, product.step)
                discount = round(100 - revised_value * 100 / list_price)
                writer = plan.procurement or contact
                asked = write_amount(
                    rng,
                    round_to(revised_value * rng.uniform(0.85, 0.95), product.step),
                    deal.company.currency,
                    lang,
                )
                _, text = render(rng, "pushback", lang, self._fields(plan, rep, budget=asked.text))
                pushback = reply_to(
                    rng,
                    last,
                    writer,
                    letter(rng, writer, rep, text),
                    business_time(rng, day, writer, last.sent),
                    to=[rep],
                )
                last = self._state(
                    pushback, plan, money=asked if asked.text in pushback.body else None, stage="negotiation"
                )
            elif step == "discount" and pushback is not None and last is not None:
                money = write_amount(rng, revised_value, deal.company.currency, "en")
                close = (
                    absolute_text(rng, deal.close_date or day + timedelta(days=21), "en"),
                    deal.close_date or day + timedelta(days=21),
                )
                _, text = render(
                    rng,
                    "discount_request",
                    "en",
                    self._fields(
                        plan, self.manager, amount=money.text, discount=str(discount), close=f"by {close[0]}"
                    ),
                )
                sent = business_time(rng, day, rep, last.sent)
                fwd = new_mail(
                    rng,
                    rep,
                    [self.manager],
                    forward_prefix(rep.client, "en") + strip_prefixes(pushback.subject),
                    letter(rng, rep, self.manager, text, casual=True),
                    sent,
                    "deal",
                    forwarded=pushback,
                )
                self._state(fwd, plan, money=money, close=close, stage="negotiation")
                approval_text = render(
                    rng,
                    "discount_approval",
                    "en",
                    self._fields(plan, rep, amount=money.text, close=f"by {close[0]}"),
                )[1]
                last = self._state(
                    reply_to(
                        rng,
                        fwd,
                        self.manager,
                        letter(rng, self.manager, rep, approval_text, casual=True),
                        business_time(rng, day, self.manager, fwd.sent),
                    ),
                    plan,
                    money=money,
                    close=close,
                    stage="negotiation",
                )
            elif step == "revised" and pushback is not None and last is not None:
                money = self._amount(revised_value, plan, lang)
                sent = business_time(rng, day, rep, last.sent)
                target = (deal.close_date or sent.date()) + timedelta(days=rng.randint(0, 10))
                if rng.random() < 0.3:  # a short "sign by next Friday" push
                    target = sent.date() + timedelta(days=rng.randint(3, 11))
                if target <= sent.date():
                    target = sent.date() + timedelta(days=rng.randint(10, 30))
                close = phrase_close_date(rng, sent.date(), target, lang, us=deal.company.country == "US")
                _, text = render(
                    rng,
                    "revised_offer",
                    lang,
                    self._fields(
                        plan, pushback.sender, amount=money.text, discount=str(discount), close=close[0]
                    ),
                )
                last = self._state(
                    reply_to(
                        rng,
                        pushback,
                        rep,
                        letter(rng, rep, pushback.sender, text),
                        sent,
                        to=[pushback.sender],
                        cc=[contact] if pushback.sender != contact else [],
                    ),
                    plan,
                    money=money,
                    close=close,
                    stage="negotiation",
                )
            elif step == "negotiation_meeting" and last is not None:
                self._event(plan, "negotiation", self._meeting_start(day, rep), last.sent, "negotiation")
            elif step == "slip" and last is not None:
                old = deal.close_date or day
                sent = business_time(rng, day, contact, last.sent)
                target = max(old, sent.date()) + timedelta(days=rng.randint(20, 45))
                new_close = phrase_close_date(rng, sent.date(), target, lang, us=deal.company.country == "US")
                _, text = render(
                    rng,
                    "slip",
                    lang,
                    self._fields(plan, rep, new_close=new_close[0], old_close=absolute_text(rng, old, lang)),
                )
                last = self._state(
                    reply_to(rng, last, contact, letter(rng, contact, rep, text), sent, to=[rep]),
                    plan,
                    close=new_close,
                    stage=last.stage,
                )
            elif step == "won" and last is not None:
                self._write_won(plan, day, last, revised_value, lang)
                last = self.mails[-1]
            elif step == "lost" and last is not None:
                self._write_lost(plan, day, last, lang)
                last = self.mails[-1]
            elif step == "check_in" and last is not None:
                _, text = render(rng, "check_in", lang, self._fields(plan, contact))
                last = self._state(
                    reply_to(
                        rng,
                        last,
                        rep,
                        letter(rng, rep, contact, text),
                        business_time(rng, day, rep, last.sent),
                        to=[contact],
                    ),
                    plan,
                    stage=last.stage,
                )
            elif step == "next_meeting" and last is not None:
                start = self._meeting_start(as_of + timedelta(days=rng.randint(2, 12)), rep)
                fields = self._fields(
                    plan,
                    contact,
                    weekday=self._weekday_text(start.date(), lang),
                    time=start.strftime("%H:%M" if lang == "de" else "%I:%M %p").lstrip("0"),
                )
                _, text = render(rng, "next_meeting", lang, fields)
                last = self._state(
                    reply_to(
                        rng,
                        last,
                        rep,
                        letter(rng, rep, contact, text),
                        business_time(rng, day, rep, last.sent),
                        to=[contact],
                    ),
                    plan,
                    stage=last.stage,
                )
                self._event(plan, "next", start, last.sent, plan.reach)
        final: dict[Status, Stage] = {"won": "closed_won", "lost": "closed_lost", "open": plan.reach}
        deal.stage = final[plan.outcome]
        deal.status = plan.outcome

    def _write_won(self, plan: DealPlan, day: date, last: Mail, value: float, lang: Language) -> None:
        rng, deal = self.rng, plan.deal
        contact, rep = deal.contacts[0], deal.rep
        sent = business_time(rng, day, contact, last.sent)
        restate = deal.value is not None and rng.random() < 0.5
        money = self._amount(deal.value, plan, lang) if restate and deal.value is not None else None
        _, text = render(
            rng, "won", lang, self._fields(plan, rep, amount=money.text if money else "the agreed amount")
        )
        if lang == "de" and not money:
            text = text.replace("the agreed amount", "den vereinbarten Betrag")
        if money is not None and money.text not in text:
            money = None
        signed = Attachment(
            f"Signed_Order_Form_{deal.company.name.split()[0]}.pdf",
            "application/pdf",
            simple_pdf(["Order Form", deal.company.name, deal.product, "Signed"]),
        )
        won = reply_to(
            rng, last, contact, letter(rng, contact, rep, text), sent, to=[rep], attachments=[signed]
        )
        self._state(won, plan, money=money, close=(sent.date().isoformat(), sent.date()), stage="closed_won")
        won.close_date_text = None  # the close date is the day it was signed, not written out
        _, thanks = render(rng, "won_thanks", lang, self._fields(plan, contact))
        self._state(
            reply_to(rng, won, rep, letter(rng, rep, contact, thanks), business_time(rng, day, rep, sent)),
            plan,
            stage="closed_won",
        )
        if rng.random() < 0.5:
            team = [u for u, _ in self.workspace.users if u.email != rep.email]
            money = self._amount(deal.value, plan, "en") if deal.value is not None else None
            subject, text = render(
                rng,
                "won_internal",
                "en",
                # internal mail is in English even for German-speaking customers
                self._fields(
                    plan,
                    team[0],
                    amount=money.text if money else "signed",
                    demo=rng.choice(self.industry.demo_words),
                ),
            )
            self._state(
                new_mail(
                    rng,
                    rep,
                    team,
                    subject,
                    text + f"\n\n{rep.first}",
                    business_time(rng, day, rep, sent),
                    "deal",
                ),
                plan,
                money=money if money and money.text in text else None,
                stage="closed_won",
            )
        if plan.kickoff:
            self._event(
                plan,
                "kickoff",
                self._meeting_start(day + timedelta(days=rng.randint(5, 12)), rep),
                sent,
                "closed_won",
            )

    def _write_lost(self, plan: DealPlan, day: date, last: Mail, lang: Language) -> None:
        rng, deal = self.rng, plan.deal
        contact, rep = deal.contacts[0], deal.rep
        if plan.cancel_followup:
            follow = self._event(
                plan,
                "followup",
                self._meeting_start(day + timedelta(days=rng.randint(3, 8)), rep),
                last.sent,
                plan.reach,
            )
            follow.cancelled, follow.sequence = True, 1
        sent = business_time(rng, day, contact, last.sent)
        _, text = render(rng, "lost", lang, self._fields(plan, rep))
        lost = reply_to(rng, last, contact, letter(rng, contact, rep, text), sent, to=[rep])
        self._state(lost, plan, close=(sent.date().isoformat(), sent.date()), stage="closed_lost")
        lost.close_date_text = None
        if rng.random() < 0.6:
            _, text = render(rng, "lost_reply", lang, self._fields(plan, contact))
            self._state(
                reply_to(rng, lost, rep, letter(rng, rep, contact, text), business_time(rng, day, rep, sent)),
                plan,
                stage="closed_lost",
            )

    def industry_product(self, name: str) -> Product:
        for p in self.industry.products:
            if name in (p.name, p.name_de):
                return p
        raise KeyError(name)


def _ordinal(n: int) -> str:
    return "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("abcdefghijkmnopqrstuvwxyz") for _ in range(n))


def _event_uid(rng: random.Random, organizer: Person) -> str:
    if organizer.client == "outlook":
        return "040000008200E00074C5B7101A82E008" + "".join(rng.choice("0123456789ABCDEF") for _ in range(80))
    return "".join(rng.choice("abcdefghijklmnopqrstuv0123456789") for _ in range(26)) + "@google.com"
