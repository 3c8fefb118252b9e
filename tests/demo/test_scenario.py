"""The demo generator writes scenarios in the labelled format, reproducibly and consistently with its labels."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path

import icalendar
import pytest

from vectoros_pipelines.demo import generate_scenario, iter_labelled_messages
from vectoros_pipelines.demo.scenario import build_scenario

STAGES = {"lead", "qualified", "demo", "proposal", "negotiation", "closed_won", "closed_lost"}


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed7")
    generate_scenario(out, seed=7)
    return out


@pytest.fixture(scope="module")
def german_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed11_de")
    generate_scenario(out, seed=11, industry="logistics", languages=("en", "de"))
    return out


@cache  # parsing with policy.default is slow; several tests read the same mailbox
def _messages(folder: Path) -> list[tuple[Path, EmailMessage]]:
    parser = BytesParser(policy=policy.default)
    return [(p, parser.parsebytes(p.read_bytes())) for p in sorted((folder / "mailbox").glob("*.eml"))]  # type: ignore[misc]


def _text(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain", "html"))
    assert body is not None
    return str(body.get_content())


def _truth(folder: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((folder / "truth.json").read_text(encoding="utf-8"))


def _parse_amount(text: str) -> tuple[float, str]:
    """An independent reading of the amount forms the generator writes, to check the text says the value."""
    currency = next(
        c
        for c, marks in {
            "USD": ("$", "USD", "dollar"),
            "EUR": ("€", "EUR", "euro", "Euro"),
            "GBP": ("£", "GBP", "pound"),
        }.items()
        if any(m in text for m in marks)
    )
    number = re.search(r"\d[\d.,\s]*\d|\d", text.split(" over ")[0].split(" für ")[0].split(" total")[0])
    assert number is not None, text
    digits = number.group(0).strip()
    suffix = text[number.end() : number.end() + 1].upper()
    if re.fullmatch(r"\d+(\.\d+)?", digits) and suffix in ("K", "M"):
        return float(digits) * (1_000 if suffix == "K" else 1_000_000), currency
    digits = re.sub(r",00$", "", digits)
    return float(re.sub(r"[.,\s]", "", digits)), currency


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    generate_scenario(first, seed=21, n_deals=8)
    generate_scenario(second, seed=21, n_deals=8)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_workspace_json_has_several_reps_with_roles(scenario_dir: Path) -> None:
    workspace = json.loads((scenario_dir / "workspace.json").read_text())
    assert set(workspace) == {"name", "domains", "timezone", "as_of", "users"}
    roles = [u["role"] for u in workspace["users"]]
    assert roles.count("admin") == 1 and 3 <= roles.count("user") + 1 <= 6
    assert all(u["email"].endswith("@" + workspace["domains"][0]) for u in workspace["users"])
    assert workspace["as_of"].startswith("2026-10-30T09:00:00")


def test_every_message_parses_with_headers_and_is_labelled(scenario_dir: Path) -> None:
    truth = _truth(scenario_dir)
    workspace = json.loads((scenario_dir / "workspace.json").read_text())
    as_of = parsedate_to_datetime("Fri, 30 Oct 2026 09:00:00 +0000")
    seen = []
    for path, msg in _messages(scenario_dir):
        assert not msg.defects, (path, msg.defects)
        for header in ("Message-ID", "Date", "From", "To", "Subject"):
            assert msg[header], (path, header)
        date = msg["Date"].datetime
        assert date.tzinfo is not None and date.year == 2026 and date < as_of.replace(hour=18)
        seen.append(msg["Message-ID"].strip("<>"))
        _text(msg)
    assert len(seen) == len(set(seen))
    assert set(seen) == set(truth["messages"])
    assert workspace["domains"]


def test_replies_point_to_messages_in_the_mailbox(scenario_dir: Path) -> None:
    messages = _messages(scenario_dir)
    ids = {m["Message-ID"].strip("<>") for _, m in messages}
    replies = [m for _, m in messages if m["In-Reply-To"]]
    assert len(replies) > len(messages) / 3
    for reply in replies:
        assert reply["In-Reply-To"].strip("<>") in ids
        assert reply["In-Reply-To"] in reply["References"]


def test_mailbox_mixes_clients_formats_and_non_deal_mail(scenario_dir: Path) -> None:
    messages = _messages(scenario_dir)
    bodies = "\n".join(_text(m) for _, m in messages)
    ids = " ".join(m["Message-ID"] for _, m in messages)
    assert "@mail.gmail.com" in ids and ".prod.outlook.com" in ids
    assert "-----Original Message-----" in bodies and re.search(r"^On .+ wrote:$", bodies, re.M)
    assert any(m.get_content_type() == "multipart/alternative" for _, m in messages)
    pdfs = [a for _, m in messages for a in m.iter_attachments() if a.get_content_type() == "application/pdf"]
    assert pdfs and all(a.get_content().startswith(b"%PDF-") for a in pdfs)
    assert any(m["List-Unsubscribe"] for _, m in messages)
    assert any(m["Subject"].startswith(("Fwd:", "FW:")) for _, m in messages)
    truth = _truth(scenario_dir)["messages"]
    share = sum(1 for v in truth.values() if v["deal"] is None) / len(truth)
    assert 0.3 <= share <= 0.5


def test_calendar_parses_and_every_event_is_labelled(scenario_dir: Path) -> None:
    calendar = icalendar.Calendar.from_ical((scenario_dir / "calendar.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    truth = _truth(scenario_dir)
    assert {str(e["UID"]) for e in events} == set(truth["events"])
    assert all(e.get("ORGANIZER") and e.get("ATTENDEE") for e in events)
    assert any(e.get("RRULE") for e in events)
    assert sum(1 for e in events if str(e.get("STATUS")) == "CANCELLED") == 1
    assert any(int(e.get("SEQUENCE", 0)) > 0 and str(e.get("STATUS")) == "CONFIRMED" for e in events)
    deal_events = [v for v in truth["events"].values() if v["deal"]]
    assert len(deal_events) > len(events) / 2
    assert list(calendar.walk("VTIMEZONE"))


def test_deals_mix_outcomes_and_follow_the_label_format(scenario_dir: Path) -> None:
    deals = _truth(scenario_dir)["deals"]
    assert len(deals) == 25
    statuses = {d["status"] for d in deals.values()}
    assert statuses == {"open", "won", "lost"}
    for deal in deals.values():
        assert deal["stage"] in STAGES
        assert (deal["status"] == "won") == (deal["stage"] == "closed_won")
        assert (deal["status"] == "lost") == (deal["stage"] == "closed_lost")
        assert deal["currency"] in ({"USD", "EUR", "GBP"} if deal["value"] is not None else {None})
    free_mail = [d for d in deals.values() if d["domain"] is None]
    assert len(free_mail) == 1 and free_mail[0]["contact_email"].endswith("@gmail.com")
    by_company = defaultdict(list)
    for deal in deals.values():
        by_company[deal["company"]].append(deal)
    pairs = [ds for ds in by_company.values() if len(ds) == 2]
    assert pairs and all(
        a["product"] != b["product"] and a["contact_email"] != b["contact_email"] for a, b in pairs
    )


def test_deal_stories_include_internal_mail_stale_deals_and_slipping_dates() -> None:
    scenario = build_scenario(seed=7)
    own = scenario.workspace.domain
    internal = [
        m
        for m in scenario.mails
        if m.deal_id and all(p.email.endswith("@" + own) for p in [m.sender, *m.to, *m.cc])
    ]
    assert internal, "an internal discount discussion belongs to its deal"
    last_seen: dict[str, datetime] = {}
    close_dates: dict[str, set[date]] = defaultdict(set)
    for mail in scenario.mails:
        if mail.deal_id:
            last_seen[mail.deal_id] = mail.sent
            if mail.close_date_text:
                close_dates[mail.deal_id].add(mail.close_date)  # type: ignore[arg-type]
    stale = [
        d
        for d in scenario.deals
        if d.status == "open" and (scenario.workspace.as_of - last_seen[d.deal_id]).days > 30
    ]
    assert stale
    assert any(len(dates) > 1 for dates in close_dates.values())
    assert any(len(d.contacts) > 1 for d in scenario.deals)


@pytest.mark.parametrize(
    "seed,industry,languages",
    [(7, "saas", ("en",)), (11, "logistics", ("en", "de")), (5, "manufacturing", ("en", "de"))],
)
def test_truth_value_and_close_date_are_the_last_ones_stated(
    seed: int, industry: str, languages: tuple[str, ...]
) -> None:
    scenario = build_scenario(seed=seed, industry=industry, languages=languages)
    labelled = list(iter_labelled_messages(seed=seed, industry=industry, languages=languages))
    parser = BytesParser(policy=policy.default)
    last_amount: dict[str, tuple[float, str, str, bytes]] = {}
    last_close: dict[str, str] = {}
    for message in labelled:
        if message.deal_id and message.amount is not None:
            assert message.currency and message.amount_text
            last_amount[message.deal_id] = (
                message.amount,
                message.currency,
                message.amount_text,
                message.raw,
            )
        if message.deal_id and message.close_date is not None:
            last_close[message.deal_id] = message.close_date.isoformat()
    for deal in scenario.deals:
        truth = deal.truth()
        if deal.deal_id not in last_amount:
            assert truth["value"] is None
            continue
        value, currency, text, raw = last_amount[deal.deal_id]
        assert (truth["value"], truth["currency"]) == (value, currency)
        msg = parser.parsebytes(raw)
        assert text in _text(msg), (deal.deal_id, text)  # type: ignore[arg-type]
        assert _parse_amount(text) == (value, currency), text
        assert truth["close_date"] == last_close.get(deal.deal_id)


def test_amounts_are_written_in_many_forms() -> None:
    texts = [
        m.amount_text
        for seed in (1, 2, 3)
        for m in iter_labelled_messages(seed=seed, languages=("en", "de"))
        if m.amount_text
    ]
    assert any(re.fullmatch(r"\$\d+[Kk]", t) for t in texts)
    assert any(t.startswith("USD ") for t in texts)
    assert any(re.search(r"\d\.\d{3} €", t) for t in texts)
    assert any(" over " in t or " für " in t or "Laufzeit" in t for t in texts)
    assert any(t.endswith("dollars") or t.endswith("pounds") or t.endswith("euros") for t in texts)
    assert any("£" in t or "GBP" in t for t in texts)


def test_german_customers_write_german_when_asked(german_dir: Path, scenario_dir: Path) -> None:
    truth = _truth(german_dir)["messages"]
    german_words = ("Angebot", "Vertrag", "Rabatt", "Viele Grüße", "Mit freundlichen Grüßen")
    german_deal_mail = [
        m
        for p, m in _messages(german_dir)
        if truth[m["Message-ID"].strip("<>")]["deal"] and any(w in _text(m) for w in german_words)
    ]
    assert len(german_deal_mail) >= 5
    assert any(re.search(r"^Am .+ schrieb .+:$", _text(m), re.M) for m in german_deal_mail)
    english = [m for _, m in _messages(scenario_dir) if "Angebot" in _text(m) or "Rabatt" in _text(m)]
    assert not english


def test_seeds_and_industries_change_companies_and_products() -> None:
    def companies(seed: int, industry: str = "saas") -> set[str]:
        return {d.company.name for d in build_scenario(seed=seed, industry=industry).deals}

    assert companies(1) != companies(2)
    assert len(companies(1) & companies(2)) < 10
    products = {
        ind: {d.product for d in build_scenario(seed=3, industry=ind).deals}
        for ind in ("saas", "manufacturing", "logistics")
    }
    assert not products["saas"] & products["manufacturing"]
    assert not products["manufacturing"] & products["logistics"]
    with pytest.raises(ValueError, match="unknown industry"):
        build_scenario(industry="bakery")


def test_generation_is_fast() -> None:
    started = time.perf_counter()
    list(iter_labelled_messages(seed=99, n_deals=25))
    # about 0.3 s on an idle 2-core machine; the margin absorbs a loaded CI box running tests in parallel
    assert time.perf_counter() - started < 5.0


def test_summary_counts_match_the_files(tmp_path: Path) -> None:
    summary = generate_scenario(tmp_path, seed=4, n_deals=10, industry="manufacturing")
    truth = _truth(tmp_path)
    assert summary.messages == len(truth["messages"]) == len(list(summary.mailbox_dir.glob("*.eml")))
    assert summary.deal_messages == sum(1 for v in truth["messages"].values() if v["deal"])
    assert summary.events == len(truth["events"])
    assert sum(summary.deals_by_status.values()) == summary.deals == 10
    # a second run into the same folder replaces the mailbox instead of adding to it
    generate_scenario(tmp_path, seed=5, n_deals=3)
    assert len(list(summary.mailbox_dir.glob("*.eml"))) == len(_truth(tmp_path)["messages"])
