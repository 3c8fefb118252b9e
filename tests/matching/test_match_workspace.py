"""match_workspace against a real warehouse: what a sales rep would see in their deal list."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine, func, select, update

from tests.matching.builders import (
    Mail,
    deal_of,
    deal_result,
    make_workspace,
    not_deal,
    store_event,
    store_mail,
)
from vectoros_pipelines.matching.service import match_workspace, unmerge_deal
from vectoros_pipelines.storage.schema import activities, audit_log, deal_changes, deals


def _live_deals(engine: Engine, workspace_id: int) -> list:
    with engine.connect() as conn:
        return conn.execute(select(deals).where(deals.c.workspace_id == workspace_id,
                                                deals.c.merged_into.is_(None)).order_by(deals.c.id)).all()


def test_a_thread_becomes_one_deal_and_replies_follow_it(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("m1", "john@acme.com", ["rep@seller.io"], "Pricing for Acme", 0,
             deal_result("Acme Corp", "acme.com", "john@acme.com", amount=100_000, product="Enterprise plan",
                         stage="qualified")),
        # A terse reply the classifier does not recognise: the thread carries it.
        Mail("m2", "rep@seller.io", ["john@acme.com"], "Re: Pricing for Acme", 1, not_deal(0.1),
             in_reply_to="m1", references=["m1"]),
        Mail("m3", "john@acme.com", ["rep@seller.io"], "Re: Pricing for Acme", 2,
             deal_result("Acme", "acme.com", "john@acme.com", amount=120_000, stage="negotiation"),
             in_reply_to="m2", references=["m1", "m2"]),
    ])
    report = match_workspace(engine, ws, index=None, embedder=None)
    assert (report.created, report.linked, report.skipped) == (1, 2, 0)
    [deal] = _live_deals(engine, ws.id)
    assert {deal_of(engine, ws, k) for k in ("m1", "m2", "m3")} == {deal.id}
    assert (deal.company, deal.domain, deal.value, deal.stage, deal.contact_email) == (
        "Acme Corp", "acme.com", 120_000, "negotiation", "john@acme.com")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(activities).where(
            activities.c.deal_id == deal.id)).scalar_one() == 3
        value_changes = conn.execute(select(deal_changes.c.new_value, deal_changes.c.email_id).where(
            deal_changes.c.deal_id == deal.id, deal_changes.c.field == "value").order_by(deal_changes.c.id)).all()
    # Every amount on screen traces back to the message that stated it.
    assert [v for v, _ in value_changes] == [100_000, 120_000]
    assert value_changes[-1].email_id is not None


def test_running_again_changes_nothing(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("a1", "john@acme.com", ["rep@seller.io"], "Acme pilot", 0, deal_result("Acme", "acme.com", "john@acme.com")),
        Mail("a2", "news@letters.example", ["rep@seller.io"], "Weekly digest", 1, not_deal()),
    ])
    first = match_workspace(engine, ws, index=None, embedder=None)
    with engine.connect() as conn:
        changes = conn.execute(select(func.count()).select_from(deal_changes)).scalar_one()
    second = match_workspace(engine, ws, index=None, embedder=None)
    assert (first.created, first.skipped) == (1, 1)
    assert (second.examined, second.linked, second.created, second.merged) == (0, 0, 0, 0)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(deal_changes)).scalar_one() == changes
    assert len(_live_deals(engine, ws.id)) == 1


def test_low_confidence_never_creates_but_a_known_contact_still_links(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("u1", "maybe@prospect.com", ["rep@seller.io"], "Some thoughts", 0,
             deal_result("Prospect", "prospect.com", "maybe@prospect.com", confidence=0.6)),
        Mail("k1", "john@acme.com", ["rep@seller.io"], "Acme rollout", 1, deal_result("Acme", "acme.com", "john@acme.com")),
        Mail("k2", "john@acme.com", ["rep@seller.io"], "Training dates", 3,
             deal_result("Acme", "acme.com", "john@acme.com", confidence=0.65)),
    ])
    report = match_workspace(engine, ws, index=None, embedder=None)
    assert report.created == 1
    assert deal_of(engine, ws, "u1") is None
    assert deal_of(engine, ws, "k2") == deal_of(engine, ws, "k1") is not None


def test_subject_threading_without_reply_headers(engine: Engine) -> None:
    """Some clients drop In-Reply-To: the same subject among the same people is still one conversation."""
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("s1", "nate@quarry.io", ["rep@seller.io"], "Pro plan order", 0,
             deal_result("Quarry", "quarry.io", "nate@quarry.io", amount=48_000, product="Pro plan")),
        Mail("s2", "nate@quarry.io", ["rep@seller.io"], "Signed: Pro plan order", 5,
             deal_result("Quarry", "quarry.io", "nate@quarry.io", outcome="won", stage="closed_won")),
        Mail("s3", "nate@quarry.io", ["rep@seller.io"], "Enterprise upgrade next year", 60,
             deal_result("Quarry", "quarry.io", "nate@quarry.io", amount=72_000, product="Enterprise plan")),
        # No headers, no product: the subject and the person tie it to the upgrade, not to the won deal.
        Mail("s4", "nate@quarry.io", ["rep@seller.io"], "RE: Enterprise upgrade next year", 62,
             deal_result("Quarry", "quarry.io", "nate@quarry.io", stage="proposal")),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    won, upgrade = deal_of(engine, ws, "s1"), deal_of(engine, ws, "s3")
    assert deal_of(engine, ws, "s2") == won
    assert upgrade not in (None, won)
    assert deal_of(engine, ws, "s4") == upgrade
    rows = {d.id: d for d in _live_deals(engine, ws.id)}
    assert (rows[won].status, rows[won].stage) == ("won", "closed_won")
    assert (rows[upgrade].status, rows[upgrade].value) == ("open", 72_000)


def test_one_company_two_products_stay_two_deals(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("p1", "lena@meridian.com", ["rep@seller.io"], "Pro plan for our clinic", 0,
             deal_result("Meridian Health", "meridian.com", "lena@meridian.com", amount=24_000, product="Pro plan")),
        Mail("p2", "raj@meridian.com", ["rep@seller.io"], "Enterprise evaluation", 2,
             deal_result("Meridian Health", "meridian.com", "raj@meridian.com", amount=90_000,
                         product="Enterprise plan + Data Connectors pack")),
        Mail("p3", "raj@meridian.com", ["rep@seller.io"], "Demo recording", 4,
             deal_result("Meridian Health", "meridian.com", "raj@meridian.com", stage="demo")),
        Mail("p4", "lena@meridian.com", ["rep@seller.io"], "Pro plan quote", 5,
             deal_result("Meridian Health", "meridian.com", "lena@meridian.com", product="Pro plan")),
    ])
    report = match_workspace(engine, ws, index=None, embedder=None)
    assert report.merged == 0
    assert len(_live_deals(engine, ws.id)) == 2
    assert deal_of(engine, ws, "p1") == deal_of(engine, ws, "p4") != deal_of(engine, ws, "p2") == deal_of(engine, ws, "p3")


def test_internal_mail_about_a_deal_joins_it(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("i1", "k.vogel@helios-solar.de", ["rep@seller.io"], "Angebot Enterprise", 0,
             deal_result("Helios Solar GmbH", "helios-solar.de", "k.vogel@helios-solar.de", amount=45_000,
                         currency="EUR")),
        Mail("i2", "rep@seller.io", ["boss@seller.io"], "Discount for Helios?", 1,
             deal_result("Helios Solar", None, None, confidence=0.9)),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "i2") == deal_of(engine, ws, "i1") is not None


def test_colleagues_name_a_customer_by_one_word_or_with_umlauts(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("n1", "anna@calloway-outdoor.com", ["rep@seller.io"], "Research brief", 0,
             deal_result("Calloway Outdoor Co.", "calloway-outdoor.com", "anna@calloway-outdoor.com", amount=95_000)),
        Mail("n2", "f.roth@mueller-backwaren.de", ["rep@seller.io"], "Anfrage Linie 2", 0,
             deal_result("Müller Backwaren GmbH & Co. KG", "mueller-backwaren.de", "f.roth@mueller-backwaren.de")),
        Mail("n3", "anna@retailhub.com", ["rep@seller.io"], "Store rollout", 0,
             deal_result("Retail Hub Inc.", "retailhub.com", "anna@retailhub.com")),
        # Internal notes the classifier calls unrelated: the customer's name in the subject carries them.
        Mail("n4", "rep@seller.io", ["boss@seller.io"], "Calloway - pricing in dollars", 1, not_deal(0.05)),
        Mail("n5", "rep@seller.io", ["boss@seller.io"], "Müller Backwaren – Nachlass?", 1, not_deal(0.01)),
        # A generic word of a customer's name names nobody.
        Mail("n6", "rep@seller.io", ["boss@seller.io"], "Retail forecast for Q3", 1, not_deal(0.05)),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "n4") == deal_of(engine, ws, "n1") is not None
    assert deal_of(engine, ws, "n5") == deal_of(engine, ws, "n2") is not None
    assert deal_of(engine, ws, "n6") is None


def test_our_reply_to_a_vendors_quote_starts_no_deal_in_this_run_or_the_next(engine: Engine) -> None:
    from dataclasses import replace

    ws = make_workspace(engine)
    quote = replace(not_deal(0.3), reasons=["classifier 0.91", "we are the buyer (please find attached our quotation)"])
    store_mail(engine, ws, [
        Mail("v1", "sales@chartwell-bi.com", ["rep@seller.io"], "Quotation Q-20417 - renewal", 0, quote),
        Mail("v2", "rep@seller.io", ["sales@chartwell-bi.com"], "RE: Quotation Q-20417 - renewal", 1,
             deal_result("Chartwell BI", "chartwell-bi.com", "sales@chartwell-bi.com", amount=18_000),
             in_reply_to="v1", references=["v1"]),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    # The next hourly run sees only the newest reply; the quote it answers was skipped an hour ago.
    store_mail(engine, ws, [
        Mail("v3", "rep@seller.io", ["sales@chartwell-bi.com"], "RE: Quotation Q-20417 - renewal", 2,
             deal_result("Chartwell BI", "chartwell-bi.com", "sales@chartwell-bi.com", amount=16_500),
             in_reply_to="v2", references=["v1", "v2"]),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    assert _live_deals(engine, ws.id) == []


def test_a_meeting_with_a_vendor_of_ours_starts_no_deal_but_a_customer_saying_our_proposal_does(engine: Engine) -> None:
    from dataclasses import replace

    ws = make_workspace(engine)
    quote = replace(not_deal(0.3), reasons=["classifier 0.21", "we are the buyer (anbei wie besprochen unser angebot)"])
    redlines = replace(deal_result("Calloway Outdoor", "calloway.com", "dana@calloway.com", confidence=0.3),
                       is_deal_related=False, reasons=["classifier 0.99", "we are the buyer (please find our proposal)"])
    store_mail(engine, ws, [
        Mail("b1", "kovac@pixelpunkt.at", ["rep@seller.io"], "Angebot Messestand", 0, quote),
        Mail("b2", "dana@calloway.com", ["rep@seller.io"], "MSA redlines", 0, redlines),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    # Next run: meetings with both.
    store_event(engine, ws, "evt-v", "Abstimmung Messestand", ["kovac@pixelpunkt.at", "rep@seller.io"], 2,
                deal_result("Pixelpunkt", "pixelpunkt.at", "kovac@pixelpunkt.at", confidence=0.93))
    store_event(engine, ws, "evt-c", "MSA call", ["dana@calloway.com", "rep@seller.io"], 2,
                deal_result("Calloway Outdoor", "calloway.com", "dana@calloway.com", confidence=0.93))
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "evt-v") is None
    assert deal_of(engine, ws, "evt-c") is not None


def test_a_team_note_written_before_the_deal_existed_joins_it(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        # The colleague's note comes first (the customer's inquiry reached someone else), the deal a day later.
        Mail("t1", "rep@seller.io", ["boss@seller.io"], "Kowalski Posen – Preis", 0, not_deal(0.06)),
        Mail("t2", "m.nowak@zm-kowalski.pl", ["rep@seller.io"], "Offer servo drives", 1,
             deal_result("ZM Kowalski", "zm-kowalski.pl", "m.nowak@zm-kowalski.pl", amount=210_000)),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "t1") == deal_of(engine, ws, "t2") is not None


def test_meetings_link_by_attendee(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [Mail("e1", "john@acme.com", ["rep@seller.io"], "Acme trial", 0,
                                 deal_result("Acme", "acme.com", "john@acme.com"))])
    store_event(engine, ws, "evt-1", "Acme weekly sync", ["john@acme.com", "rep@seller.io"], 2, not_deal(0.4))
    store_event(engine, ws, "evt-2", "Dentist", [], 3, not_deal(0.01))
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "evt-1") == deal_of(engine, ws, "e1") is not None
    assert deal_of(engine, ws, "evt-2") is None


def test_duplicates_are_merged_and_can_be_unmerged(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        # The owner writes from a personal address first: no company domain to go on.
        Mail("d1", "maria.bakes@gmail.com", ["rep@seller.io"], "Starter plan?", 0,
             deal_result(None, None, "maria.bakes@gmail.com", product="Starter plan")),
        Mail("d2", "orders@bluebird-bakery.com", ["rep@seller.io"], "Order form", 3,
             deal_result("Bluebird Bakery", "bluebird-bakery.com", "orders@bluebird-bakery.com", amount=6000)),
        # A message with both addresses shows they are one customer.
        Mail("d3", "maria.bakes@gmail.com", ["rep@seller.io", "orders@bluebird-bakery.com"], "Order form signed", 6,
             deal_result("Bluebird Bakery", "bluebird-bakery.com", "maria.bakes@gmail.com", outcome="won")),
    ])
    report = match_workspace(engine, ws, index=None, embedder=None)
    assert report.created == 2 and report.merged == 1
    [deal] = _live_deals(engine, ws.id)
    assert {deal_of(engine, ws, k) for k in ("d1", "d2", "d3")} == {deal.id}
    assert (deal.status, deal.value) == ("won", 6000)
    with engine.connect() as conn:
        loser = conn.execute(select(deals.c.id).where(deals.c.merged_into == deal.id)).scalar_one()
        assert conn.execute(select(func.count()).select_from(audit_log).where(
            audit_log.c.action == "deal.merge")).scalar_one() == 1

    unmerge_deal(engine, ws.id, loser, actor="manager@seller.io")
    assert len(_live_deals(engine, ws.id)) == 2
    assert deal_of(engine, ws, "d2") == loser
    # The pair a person separated is never merged again automatically.
    store_mail(engine, ws, [Mail("d4", "orders@bluebird-bakery.com", ["rep@seller.io", "maria.bakes@gmail.com"],
                                 "Invoice question", 8, deal_result("Bluebird Bakery", "bluebird-bakery.com", None))])
    again = match_workspace(engine, ws, index=None, embedder=None)
    assert again.merged == 0 and len(_live_deals(engine, ws.id)) == 2


def test_corrections_win_over_new_evidence(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [Mail("c1", "john@acme.com", ["rep@seller.io"], "Acme quote", 0,
                                 deal_result("Acme", "acme.com", "john@acme.com", amount=50_000))])
    match_workspace(engine, ws, index=None, embedder=None)
    deal_id = deal_of(engine, ws, "c1")
    with engine.begin() as conn:
        conn.execute(update(deals).where(deals.c.id == deal_id).values(value=55_000, corrections={"value": 55_000}))
    store_mail(engine, ws, [Mail("c2", "john@acme.com", ["rep@seller.io"], "Re: Acme quote", 2,
                                 deal_result("Acme", "acme.com", "john@acme.com", amount=40_000, stage="proposal"),
                                 in_reply_to="c1")])
    match_workspace(engine, ws, index=None, embedder=None)
    [deal] = _live_deals(engine, ws.id)
    assert (deal.value, deal.stage) == (55_000, "proposal")


def test_workspaces_never_share_deals(engine: Engine) -> None:
    one = make_workspace(engine, "One", "one.io")
    two = make_workspace(engine, "Two", "two.io")
    store_mail(engine, one, [Mail("w1", "john@acme.com", ["rep@one.io"], "Acme deal", 0,
                                  deal_result("Acme", "acme.com", "john@acme.com"))])
    store_mail(engine, two, [Mail("w2", "john@acme.com", ["rep@two.io"], "Acme deal", 1,
                                  deal_result("Acme", "acme.com", "john@acme.com"))])
    match_workspace(engine, one, index=None, embedder=None)
    match_workspace(engine, two, index=None, embedder=None)
    assert len(_live_deals(engine, one.id)) == len(_live_deals(engine, two.id)) == 1
    assert deal_of(engine, one, "w1") != deal_of(engine, two, "w2")


def test_a_colleague_copying_the_contact_joins_but_another_department_starts_a_deal(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("c1", "tom@freight.com", ["rep@seller.io"], "Evaluating BI platforms", 0,
             deal_result("Freight Lines", "freight.com", "tom@freight.com", stage="qualified")),
        # Procurement joins the same deal and copies Tom.
        Mail("c2", "marc@freight.com", ["rep@seller.io", "tom@freight.com"], "Freight / Seller - next steps", 5,
             deal_result("Freight Lines", "freight.com", "marc@freight.com", stage="qualified")),
        # Finance writes in fresh, copying nobody: another buying centre.
        Mail("c3", "raj@freight.com", ["rep@seller.io"], "Consolidated financial reporting", 9,
             deal_result("Freight Lines", "freight.com", "raj@freight.com", stage="lead")),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "c2") == deal_of(engine, ws, "c1")
    assert deal_of(engine, ws, "c3") not in (None, deal_of(engine, ws, "c1"))


def test_another_departments_deal_copying_a_colleague_later_is_not_merged_into_the_first(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("f1", "fiona@marlow.co.uk", ["rep@seller.io"], "Customer segmentation project", 0,
             deal_result("Marlow Home", "marlow.co.uk", "fiona@marlow.co.uk", stage="qualified")),
        Mail("r1", "raj@marlow.co.uk", ["rep@seller.io"], "Forecasting for FP&A", 10,
             deal_result("Marlow Home", "marlow.co.uk", "raj@marlow.co.uk", stage="lead")),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    # Weeks later the second deal's kick-off copies Fiona, who introduced Raj: still Raj's own deal.
    store_mail(engine, ws, [
        Mail("r2", "raj@marlow.co.uk", ["rep@seller.io", "fiona@marlow.co.uk"], "Forecasting pilot kick-off", 40,
             deal_result("Marlow Home", "marlow.co.uk", "raj@marlow.co.uk", stage="demo")),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "r2") == deal_of(engine, ws, "r1") != deal_of(engine, ws, "f1")
    assert len(_live_deals(engine, ws.id)) == 2


def test_a_signing_platforms_notice_joins_the_customers_deal_but_never_starts_one(engine: Engine) -> None:
    ws = make_workspace(engine)
    notice = replace(deal_result("Cascade Ridge", "cascaderidge.org", "heather@cascaderidge.org", stage="closed_won",
                                 outcome="won", confidence=0.7), reasons=["platform notice (docusign.net)"])
    orphan = replace(deal_result("Lakeside", "lakeside.com", "kim@lakeside.com", stage="closed_won", outcome="won",
                                 confidence=0.7), reasons=["platform notice (docusign.net)"])
    store_mail(engine, ws, [
        Mail("h1", "heather@cascaderidge.org", ["rep@seller.io"], "Pen test scope and pricing", 0,
             deal_result("Cascade Ridge", "cascaderidge.org", "heather@cascaderidge.org", stage="proposal")),
        Mail("n1", "dse_na3@docusign.net", ["rep@seller.io"], "Completed: Cascade Ridge - Seller MSA", 30, notice),
        Mail("n2", "dse_na3@docusign.net", ["rep@seller.io"], "Completed: Lakeside - Seller MSA", 31, orphan),
    ])
    match_workspace(engine, ws, index=None, embedder=None, create_threshold=0.6)
    assert deal_of(engine, ws, "n1") == deal_of(engine, ws, "h1") is not None
    assert deal_of(engine, ws, "n2") is None and len(_live_deals(engine, ws.id)) == 1
    assert _live_deals(engine, ws.id)[0].status == "won"


def test_an_introduction_after_the_close_starts_the_colleagues_own_deal(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("r1", "nikhil@fernhill.io", ["rep@seller.io"], "FY27 renewal order form", 0,
             deal_result("Fernhill", "fernhill.io", "nikhil@fernhill.io", stage="negotiation")),
        Mail("r2", "nikhil@fernhill.io", ["rep@seller.io"], "Re: FY27 renewal order form", 8,
             deal_result("Fernhill", "fernhill.io", "nikhil@fernhill.io", stage="closed_won", outcome="won"),
             in_reply_to="r1", references=["r1"]),
        # Ten days later he introduces a colleague with a need of her own.
        Mail("i1", "nikhil@fernhill.io", ["rep@seller.io", "ananya@fernhill.io"], "Intro: Ananya <> Rep (warehouse sync)", 18,
             deal_result("Fernhill", "fernhill.io", "nikhil@fernhill.io")),
        Mail("a1", "ananya@fernhill.io", ["rep@seller.io"], "Warehouse sync scoping", 22,
             deal_result("Fernhill", "fernhill.io", "ananya@fernhill.io", stage="qualified")),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "r2") == deal_of(engine, ws, "r1")
    assert deal_of(engine, ws, "i1") not in (None, deal_of(engine, ws, "r1"))
    assert deal_of(engine, ws, "a1") == deal_of(engine, ws, "i1")


def test_a_newcomer_describing_a_use_case_starts_a_deal_but_one_talking_terms_joins(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("b1", "ben@halcyon.com", ["rep@seller.io"], "Lifecycle campaign analytics", 0,
             deal_result("Halcyon", "halcyon.com", "ben@halcyon.com", stage="lead")),
        # Another team writes in fresh about its own use case: a deal of its own.
        Mail("r1", "rachel@halcyon.com", ["rep@seller.io"], "Analytics for our streaming app", 10,
             deal_result("Halcyon", "halcyon.com", "rachel@halcyon.com", stage="qualified")),
        # Procurement writing about the contract joins the deal on the table.
        Mail("p1", "procurement@halcyon.com", ["rep@seller.io"], "Vendor onboarding", 30,
             deal_result("Halcyon", "halcyon.com", "procurement@halcyon.com", stage="negotiation")),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "r1") not in (None, deal_of(engine, ws, "b1"))
    assert deal_of(engine, ws, "p1") in (deal_of(engine, ws, "b1"), deal_of(engine, ws, "r1"))


def test_a_quiet_deal_revived_about_another_product_is_a_new_deal(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("q1", "nate@quarry.io", ["rep@seller.io"], "Pricing for 40 users", 0,
             deal_result("Quarry", "quarry.io", "nate@quarry.io", amount=48_500)),
        Mail("q2", "nate@quarry.io", ["rep@seller.io"], "Upgrade?", 100, not_deal(0.02)),
        Mail("q3", "rep@seller.io", ["nate@quarry.io"], "Re: Upgrade?", 101,
             deal_result("Quarry", "quarry.io", "nate@quarry.io", amount=72_000, product="Enterprise plan"),
             in_reply_to="q2", references=["q2"]),
    ])
    report = match_workspace(engine, ws, index=None, embedder=None)
    assert report.merged == 0
    first, upgrade = deal_of(engine, ws, "q1"), deal_of(engine, ws, "q3")
    assert upgrade not in (None, first)
    assert deal_of(engine, ws, "q2") == upgrade  # the opening message joins its thread's deal


def test_new_deal_adopts_only_earlier_mail_that_reads_as_deal_talk(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        # The contact's earlier mail: another matter, lunch — no deal signal, own threads and subjects.
        Mail("u1", "ellen@larkspur-law.com", ["rep@seller.io"], "Escrow paperwork for the building", 0, not_deal(0.02)),
        Mail("u2", "ellen@larkspur-law.com", ["rep@seller.io"], "Lunch on Friday?", 3, not_deal(0.01)),
        # Earlier mail that does read as deal talk (a weak classifier score, an amount) is the deal's prelude.
        Mail("p1", "ellen@larkspur-law.com", ["rep@seller.io"], "Seats for our litigation team", 5,
             deal_result(None, "larkspur-law.com", "ellen@larkspur-law.com", amount=40_000, confidence=0.4)),
        Mail("d1", "ellen@larkspur-law.com", ["rep@seller.io"], "Larkspur order form", 10,
             deal_result("Larkspur Law", "larkspur-law.com", "ellen@larkspur-law.com", amount=42_000,
                         stage="negotiation")),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    [deal] = _live_deals(engine, ws.id)
    assert deal_of(engine, ws, "d1") == deal_of(engine, ws, "p1") == deal.id
    assert deal_of(engine, ws, "u1") is None and deal_of(engine, ws, "u2") is None


def test_a_contacts_unrelated_mail_does_not_pile_into_a_thin_deal(engine: Engine) -> None:
    ws = make_workspace(engine)
    mails = [Mail("d1", "ellen@larkspur-law.com", ["rep@seller.io"], "Larkspur order form", 0,
                  deal_result("Larkspur Law", "larkspur-law.com", "ellen@larkspur-law.com", amount=42_000))]
    # A thread of the deal the classifier does not recognise, then weeks of unrelated correspondence.
    mails += [Mail(f"r{i}", "ellen@larkspur-law.com", ["rep@seller.io"], "Re: Larkspur order form", 1 + i,
                   not_deal(0.05), in_reply_to="d1", references=["d1"]) for i in range(2)]
    mails += [Mail(f"x{i}", "ellen@larkspur-law.com", ["rep@seller.io"], f"Matter {i} filing", 5 + i, not_deal(0.01))
              for i in range(6)]
    store_mail(engine, ws, mails)
    match_workspace(engine, ws, index=None, embedder=None)
    [deal] = _live_deals(engine, ws.id)
    assert {deal_of(engine, ws, k) for k in ("d1", "r0", "r1")} == {deal.id}
    assert all(deal_of(engine, ws, f"x{i}") is None for i in range(6))


def test_a_contacts_short_note_joins_a_deal_that_is_mostly_deal_talk(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail(f"d{i}", "ellen@larkspur-law.com", ["rep@seller.io"], f"Larkspur rollout step {i}", i,
             deal_result("Larkspur Law", "larkspur-law.com", "ellen@larkspur-law.com", amount=42_000))
        for i in range(3)
    ] + [Mail("n1", "ellen@larkspur-law.com", ["rep@seller.io"], "We're official!", 5, not_deal(0.05))])
    match_workspace(engine, ws, index=None, embedder=None)
    [deal] = _live_deals(engine, ws.id)
    assert deal_of(engine, ws, "n1") == deal.id


def test_an_integrator_copied_on_one_customers_deal_does_not_pull_another_customers_mail_into_it(engine: Engine) -> None:
    ws = make_workspace(engine)
    store_mail(engine, ws, [
        Mail("b1", "anna@brandtner.de", ["rep@seller.io"], "AMR fleet for Hall 3", 0,
             deal_result("Brandtner Logistik", "brandtner.de", "anna@brandtner.de", stage="proposal")),
        # The integrator is copied once on Brandtner's thread, a week in.
        Mail("b2", "anna@brandtner.de", ["rep@seller.io", "kai@integrator.de"], "Re: AMR fleet for Hall 3", 6,
             deal_result("Brandtner Logistik", "brandtner.de", "anna@brandtner.de", stage="negotiation"),
             in_reply_to="b1", references=["b1"]),
        # Weeks later the integrator introduces another customer, on a thread of its own.
        Mail("m1", "kai@integrator.de", ["rep@seller.io", "tom@mertens.de"], "Mertens: robots for the parts warehouse", 20,
             deal_result("Mertens Autoteile", "mertens.de", "tom@mertens.de", stage="lead")),
        Mail("r1", "lisa@riedel.de", ["rep@seller.io"], "Riedel: shuttle system", 21,
             deal_result("Riedel Versand", "riedel.de", "lisa@riedel.de", stage="qualified")),
        # Riedel's contact then visits Brandtner as a reference, copied on Brandtner's mail.
        Mail("b3", "anna@brandtner.de", ["rep@seller.io", "lisa@riedel.de"], "Re: AMR fleet for Hall 3", 22,
             deal_result("Brandtner Logistik", "brandtner.de", "anna@brandtner.de"), in_reply_to="b2", references=["b1", "b2"]),
    ])
    match_workspace(engine, ws, index=None, embedder=None)
    brandtner, mertens, riedel = deal_of(engine, ws, "b1"), deal_of(engine, ws, "m1"), deal_of(engine, ws, "r1")
    assert deal_of(engine, ws, "b3") == brandtner
    assert len({brandtner, mertens, riedel}) == 3 and None not in (brandtner, mertens, riedel)
    # Our own mail to the integrator that names the customer in its subject stays with that customer.
    store_mail(engine, ws, [Mail("b4", "rep@seller.io", ["kai@integrator.de"], "Brandtner Hall 3: installation slots", 30,
                                 deal_result("Integrator GmbH", "integrator.de", "kai@integrator.de"))])
    match_workspace(engine, ws, index=None, embedder=None)
    assert deal_of(engine, ws, "b4") == brandtner
