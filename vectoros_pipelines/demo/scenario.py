"""Generates a whole labelled company: workspace, mailbox, calendar and truth.

`generate_scenario` writes the folder format of ../shared/data/scenarios/README.md;
`iter_labelled_messages` yields the same messages with their labels in memory,
for training extraction models over many seeds and industries.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from vectoros_pipelines.demo.deals import STAGE_ORDER, DealPlan, StoryWriter
from vectoros_pipelines.demo.eml import render_mail
from vectoros_pipelines.demo.ics import render_calendar
from vectoros_pipelines.demo.industries import Industry
from vectoros_pipelines.demo.industries import industry as get_industry
from vectoros_pipelines.demo.model import (
    Company,
    Deal,
    Event,
    Language,
    Mail,
    MailClient,
    Person,
    Scenario,
    ScenarioSummary,
    Stage,
    Status,
    Workspace,
)
from vectoros_pipelines.demo.noise import NoiseWriter
from vectoros_pipelines.demo.people import PeopleFactory, ascii_slug
from vectoros_pipelines.demo.pools import (
    COUNTRIES,
    COUNTRY_WEIGHTS_DE,
    COUNTRY_WEIGHTS_EN,
    CUSTOMER_TITLES,
    PROCUREMENT_TITLES,
    SELLER_STEMS,
)

DEFAULT_END = date(2026, 10, 30)
NON_DEAL_SHARE = 0.4
SUPPORTED_LANGUAGES = ("en", "de")
_DEPARTMENTS = {
    "en": [("Finance", "Operations"), ("EMEA", "North America"), ("Plant 1", "Plant 2")],
    "de": [("Finanzen", "Logistik"), ("Werk Nord", "Werk Süd")],
}


@dataclass(frozen=True, slots=True)
class LabelledMessage:
    """One generated message with everything the generator knows about it."""

    message_id: str
    raw: bytes
    deal_id: str | None
    category: str  # "deal" or the kind of non-deal mail
    language: Language
    amount: float | None  # amount this message newly states for its deal
    currency: str | None
    amount_text: str | None
    close_date: date | None
    close_date_text: str | None
    stage: Stage | None
    company: str | None  # the deal's customer
    company_domain: str | None
    contact_email: str | None


def _as_of(end: date, tz: str) -> datetime:
    return datetime.combine(end, time(9, 0), ZoneInfo(tz))


def _workspace(
    rng: random.Random, people: PeopleFactory, ind: Industry, end: date, german: bool
) -> tuple[Workspace, list[Person], Person | None, dict[str, Person], Person | None]:
    stem = rng.choice(SELLER_STEMS)
    name = f"{stem}{rng.choice(ind.seller_suffixes)}"
    domain = f"{ascii_slug(stem)}{rng.choice(['', 'hq', 'app', ''])}.{ind.seller_tld}"
    people.reserve_domain(domain)
    tz = rng.choice(["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London"])
    client: MailClient = rng.choice(["gmail", "outlook"])
    style = rng.randrange(5)

    def staff(title: str, culture: str | None = None, language: Language = "en") -> Person:
        return people.person(
            culture=culture
            or rng.choice(
                ["anglo", "anglo", "hispanic", "indian", "east_asian", "african_arabic", "dutch_french"]
            ),
            domain=domain,
            company=name,
            title=title,
            timezone=tz,
            language=language,
            client=client,
            email_style=style,
        )

    manager = staff(rng.choice(["VP Sales", "Head of Sales", "Sales Director"]))
    reps = [manager] + [staff("Account Executive") for _ in range(rng.randint(2, 3))]
    dach = None
    if german:
        dach = people.person(
            culture="german",
            domain=domain,
            company=name,
            title="Account Executive DACH",
            timezone="Europe/Berlin",
            language="de",
            client=client,
            email_style=style,
            phone_prefix="+49",
        )
        reps.append(dach)
    engineer = staff("Solutions Engineer") if rng.random() < 0.6 else None
    office = {"hr": staff("People Operations"), "ceo": staff("CEO"), "finance": staff("Finance Manager")}
    users: list[tuple[Person, str]] = [(manager, "admin")] + [(r, "user") for r in reps[1:]]
    if engineer is not None:
        users.append((engineer, "user"))
    users.append((office["finance"], "viewer"))
    workspace = Workspace(
        name=name, domain=domain, timezone=tz, as_of=_as_of(end, tz), users=users, staff=list(office.values())
    )
    return workspace, reps, engineer, office, dach


def _outcomes(rng: random.Random, n: int) -> list[tuple[Status, Stage]]:
    won = max(1, round(n * 0.28)) if n >= 3 else min(n, 1)
    lost = max(1, round(n * 0.24)) if n >= 3 else max(0, n - 1)
    open_n = max(0, n - won - lost)
    open_stages: list[Stage] = [
        "lead",
        "qualified",
        "demo",
        "proposal",
        "negotiation",
        "proposal",
        "demo",
        "negotiation",
        "qualified",
    ]
    rng.shuffle(open_stages)
    result: list[tuple[Status, Stage]] = []
    result += [("won", "negotiation" if rng.random() < 0.7 else "proposal") for _ in range(won)]
    result += [("lost", rng.choice(["qualified", "demo", "proposal", "negotiation"])) for _ in range(lost)]
    result += [("open", open_stages[i % len(open_stages)]) for i in range(open_n)]
    rng.shuffle(result)
    return result


def _customer(
    rng: random.Random, people: PeopleFactory, company: Company, title_pool: dict[str, list[str]]
) -> Person:
    country = COUNTRIES[company.country]
    culture = country.cultures[0] if rng.random() < 0.6 else rng.choice(country.cultures)
    assert company.domain is not None
    return people.person(
        culture=culture,
        domain=company.domain,
        company=company.name,
        title=rng.choice(title_pool[company.language]),
        timezone=company.timezone,
        language=company.language,
        phone_prefix=country.phone_prefix,
    )


def _plan_deals(
    rng: random.Random,
    people: PeopleFactory,
    ind: Industry,
    n: int,
    reps: list[Person],
    dach: Person | None,
    german: bool,
) -> list[DealPlan]:
    weights = COUNTRY_WEIGHTS_DE if german else COUNTRY_WEIGHTS_EN
    outcomes = _outcomes(rng, n)
    small = min(ind.products, key=lambda p: p.high)
    free_mail_index = rng.randrange(n)
    # the two deals at one company are neighbours in planning order and never the free-mail customer
    pairs = [i for i in range(n - 1) if free_mail_index not in (i, i + 1)]
    pair_index = rng.choice(pairs) if pairs else -1
    ae_reps = reps[1:] if dach is None else [r for r in reps[1:] if r is not dach]
    plans: list[DealPlan] = []
    rescheduled = cancelled = False
    pair_company: Company | None = None
    pair_departments: tuple[str, str] = ("", "")
    for i, (outcome, reach) in enumerate(outcomes):
        country = rng.choices(list(weights), weights=list(weights.values()))[0]
        if i == free_mail_index:
            country = rng.choice(["US", "GB"])
        company = people.company(country_code=country, nouns=ind.customer_nouns, german=german)
        if i == pair_index + 1 and pair_company is not None:
            company = pair_company
        product = rng.choice(ind.products)
        if i == free_mail_index:
            product = small
            company = Company(
                name=company.name,
                domain=None,
                country=company.country,
                timezone=company.timezone,
                currency=company.currency,
                language="en",
            )
            contact = people.free_mail_person(
                culture=COUNTRIES[country].cultures[0],
                company=company.name,
                title=rng.choice(["Owner", "Founder", "Managing Partner"]),
                timezone=company.timezone,
                language="en",
                phone_prefix=COUNTRIES[country].phone_prefix,
            )
        else:
            contact = _customer(rng, people, company, CUSTOMER_TITLES)
        if company.language == "de" and dach is not None:
            rep = dach
        else:
            rep = rng.choice(ae_reps + [reps[0]] if rng.random() < 0.15 else ae_reps)
        department = None
        if i == pair_index:
            pair_company = company
            pair_departments = rng.choice(_DEPARTMENTS[company.language])
            department = pair_departments[0]
        elif i == pair_index + 1 and pair_company is not None:
            department = pair_departments[1]
            others = [
                p
                for p in ind.products
                if p.name != plans[-1].deal.product and p.name_de != plans[-1].deal.product
            ]
            product = rng.choice(others)
        deal = Deal(
            deal_id=f"X{i:03d}",
            company=company,
            contacts=[contact],
            rep=rep,
            product=product.name_de if company.language == "de" else product.name,
        )
        reach_i = STAGE_ORDER.index(reach)
        plan = DealPlan(
            deal=deal,
            outcome=outcome,
            reach=reach,
            department=department,
            inbound=rng.random() < 0.6 or i == free_mail_index,
            stale=outcome == "open" and reach != "lead" and rng.random() < 0.4,
            slip=reach_i >= 3 and outcome != "lost" and rng.random() < 0.4,
            multi_year=rng.choice([2, 3]) if product.multi_year and rng.random() < 0.4 else 0,
            kickoff=outcome == "won" and rng.random() < 0.5,
        )
        plan.budget_first = plan.inbound and rng.random() < 0.25
        if reach_i >= 3 and company.domain and rng.random() < 0.45:
            plan.procurement = _customer(rng, people, company, PROCUREMENT_TITLES)
            deal.contacts.append(plan.procurement)
        if reach_i >= 1 and company.domain and rng.random() < 0.3:
            plan.champion = _customer(rng, people, company, CUSTOMER_TITLES)
            deal.contacts.append(plan.champion)
        if not rescheduled and reach_i >= 1:
            plan.reschedule = rescheduled = True
        if not cancelled and outcome == "lost":
            plan.cancel_followup = cancelled = True
        plans.append(plan)
    return plans


def _renumber(scenario_mails: list[Mail], plans: list[DealPlan], events: list[Event]) -> None:
    """Deal ids in order of first contact, like a CRM would number them."""
    first_seen: dict[str, datetime] = {}
    for mail in scenario_mails:
        if mail.deal_id and mail.deal_id not in first_seen:
            first_seen[mail.deal_id] = mail.sent
    order = sorted(
        (p.deal.deal_id for p in plans),
        key=lambda d: (first_seen.get(d, datetime.max.replace(tzinfo=ZoneInfo("UTC"))), d),
    )
    width = max(2, len(str(len(order))))
    mapping = {old: f"D{i + 1:0{width}d}" for i, old in enumerate(order)}
    for mail in scenario_mails:
        if mail.deal_id:
            mail.deal_id = mapping[mail.deal_id]
    for event in events:
        if event.deal_id:
            event.deal_id = mapping[event.deal_id]
    for plan in plans:
        plan.deal.deal_id = mapping[plan.deal.deal_id]


def build_scenario(
    *,
    seed: int = 7,
    n_deals: int = 25,
    months: int = 6,
    end: date | None = None,
    industry: str = "saas",
    languages: tuple[str, ...] = ("en",),
) -> Scenario:
    """The whole company in memory; deterministic for a given set of arguments."""
    unknown = set(languages) - set(SUPPORTED_LANGUAGES)
    if unknown or not languages:
        raise ValueError(f"languages must be drawn from {SUPPORTED_LANGUAGES}, got {languages!r}")
    if n_deals < 1 or months < 1:
        raise ValueError("n_deals and months must be at least 1")
    ind = get_industry(industry)
    end = end or DEFAULT_END
    rng = random.Random(f"vectoros-demo/{seed}/{industry}/{','.join(languages)}")
    people = PeopleFactory(rng)
    german = "de" in languages
    workspace, reps, engineer, office, dach = _workspace(rng, people, ind, end, german)
    window_start = end - timedelta(days=round(months * 30.44))
    plans = _plan_deals(rng, people, ind, n_deals, reps, dach, german)
    stories = StoryWriter(
        rng=rng,
        workspace=workspace,
        manager=reps[0],
        engineer=engineer,
        industry=ind,
        window_start=window_start,
    )
    for plan in plans:
        stories.write(plan, end)
    noise = NoiseWriter(
        rng=rng,
        workspace=workspace,
        people=people,
        industry_key=ind.key,
        window_start=window_start,
        as_of=end,
        languages=languages,
        reps=reps,
        staff=office,
    )
    noise.write(round(len(stories.mails) * NON_DEAL_SHARE / (1 - NON_DEAL_SHARE)))
    mails = sorted(
        stories.mails + noise.mails, key=lambda m: (m.sent.astimezone(ZoneInfo("UTC")), m.message_id)
    )
    _keep_before(mails, workspace.as_of)
    events = sorted(stories.events + noise.events, key=lambda e: (e.start.astimezone(ZoneInfo("UTC")), e.uid))
    _renumber(mails, plans, events)
    deals = sorted((p.deal for p in plans), key=lambda d: d.deal_id)
    return Scenario(
        seed=seed, industry=industry, workspace=workspace, mails=mails, events=events, deals=deals
    )


def _keep_before(mails: list[Mail], as_of: datetime) -> None:
    """A reply bumped past the export moment is pulled back just before it, keeping thread order."""
    late = [m for m in mails if m.sent >= as_of]
    for i, mail in enumerate(late):
        mail.sent = (as_of - timedelta(minutes=3 * (len(late) - i))).astimezone(mail.sent.tzinfo)


def truth_json(scenario: Scenario) -> dict[str, object]:
    return {
        "messages": {m.message_id: {"deal": m.deal_id} for m in scenario.mails},
        "events": {e.uid: {"deal": e.deal_id} for e in scenario.events},
        "deals": {d.deal_id: d.truth() for d in scenario.deals},
    }


def write_scenario(scenario: Scenario, out_dir: Path) -> ScenarioSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    mailbox = out_dir / "mailbox"
    mailbox.mkdir(exist_ok=True)
    for stale in mailbox.glob("*.eml"):  # a rerun into the same folder must not leave old messages behind
        stale.unlink()
    width = max(3, len(str(len(scenario.mails))))
    for i, mail in enumerate(scenario.mails, start=1):
        (mailbox / f"{i:0{width}d}.eml").write_bytes(render_mail(mail))
    workspace_path = out_dir / "workspace.json"
    workspace_path.write_text(
        json.dumps(scenario.workspace.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    calendar_path = out_dir / "calendar.ics"
    calendar_path.write_bytes(render_calendar(scenario.workspace, scenario.events))
    truth_path = out_dir / "truth.json"
    truth_path.write_text(
        json.dumps(truth_json(scenario), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return summarize(scenario, out_dir)


def summarize(scenario: Scenario, out_dir: Path) -> ScenarioSummary:
    return ScenarioSummary(
        out_dir=out_dir,
        workspace_path=out_dir / "workspace.json",
        mailbox_dir=out_dir / "mailbox",
        calendar_path=out_dir / "calendar.ics",
        truth_path=out_dir / "truth.json",
        seed=scenario.seed,
        industry=scenario.industry,
        messages=len(scenario.mails),
        deal_messages=sum(1 for m in scenario.mails if m.deal_id),
        events=len(scenario.events),
        deal_events=sum(1 for e in scenario.events if e.deal_id),
        deals=len(scenario.deals),
        deals_by_status=dict(sorted(Counter(d.status for d in scenario.deals).items())),
        deals_by_stage=dict(sorted(Counter(d.stage for d in scenario.deals).items())),
        messages_by_category=dict(sorted(Counter(m.category for m in scenario.mails).items())),
    )


def generate_scenario(
    out_dir: Path,
    *,
    seed: int = 7,
    n_deals: int = 25,
    months: int = 6,
    end: date | None = None,
    industry: str = "saas",
    languages: tuple[str, ...] = ("en",),
) -> ScenarioSummary:
    """Writes workspace.json, mailbox/*.eml, calendar.ics and truth.json for one generated company."""
    scenario = build_scenario(
        seed=seed, n_deals=n_deals, months=months, end=end, industry=industry, languages=languages
    )
    return write_scenario(scenario, Path(out_dir))


def iter_labelled_messages(
    *,
    seed: int = 7,
    n_deals: int = 25,
    months: int = 6,
    end: date | None = None,
    industry: str = "saas",
    languages: tuple[str, ...] = ("en",),
) -> Iterator[LabelledMessage]:
    """Every message of one generated company as raw RFC 822 bytes with its labels, oldest first."""
    scenario = build_scenario(
        seed=seed, n_deals=n_deals, months=months, end=end, industry=industry, languages=languages
    )
    deals = {d.deal_id: d for d in scenario.deals}
    for mail in scenario.mails:
        deal = deals.get(mail.deal_id) if mail.deal_id else None
        yield LabelledMessage(
            message_id=mail.message_id,
            raw=render_mail(mail),
            deal_id=mail.deal_id,
            category=mail.category,
            language=mail.language,
            amount=mail.amount.value if mail.amount else None,
            currency=mail.amount.currency if mail.amount else None,
            amount_text=mail.amount.text if mail.amount else None,
            close_date=mail.close_date,
            close_date_text=mail.close_date_text,
            stage=mail.stage,
            company=deal.company.name if deal else None,
            company_domain=deal.company.domain if deal else None,
            contact_email=deal.contacts[0].email if deal else None,
        )


__all__ = [
    "LabelledMessage",
    "ScenarioSummary",
    "build_scenario",
    "generate_scenario",
    "iter_labelled_messages",
    "truth_json",
    "write_scenario",
]
