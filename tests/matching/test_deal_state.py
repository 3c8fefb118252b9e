"""Folding per-message evidence into deal fields: stage, status and company name."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests.matching.builders import deal_result
from vectoros_pipelines.extraction.result import ExtractionResult, Span
from vectoros_pipelines.matching.deal_state import fold_evidence
from vectoros_pipelines.matching.evidence import MessageFacts, SourceRef

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _facts(i: int, result: ExtractionResult, direction: str = "inbound") -> MessageFacts:
    external = () if direction == "internal" else ("buyer@acme.com",)
    return MessageFacts(
        ref=SourceRef("email", i, f"m{i}"), occurred_at=T0 + timedelta(days=i), subject="s", subject_key="s",
        thread_refs=(), own_keys=(f"m{i}",), external_emails=external, external_domains=(), participant_names=(),
        direction=direction, extraction=result,
    )


def test_open_stages_only_move_forward() -> None:
    fields = fold_evidence([_facts(0, deal_result(stage="proposal")), _facts(1, deal_result(stage="demo"))])
    assert (fields.stage, fields.status) == ("proposal", "open")


def test_customer_closing_message_sets_the_outcome() -> None:
    fields = fold_evidence([_facts(0, deal_result(stage="negotiation")),
                            _facts(1, deal_result(stage="closed_lost", outcome="lost")),
                            _facts(2, deal_result(stage="proposal"), direction="outbound")])
    assert (fields.stage, fields.status) == ("closed_lost", "lost")


def test_customer_still_negotiating_outweighs_our_closed_claim() -> None:
    fields = fold_evidence([_facts(0, deal_result(stage="proposal")),
                            _facts(1, deal_result(stage="closed_won", outcome="won"), direction="outbound"),
                            _facts(2, deal_result(stage="negotiation"))])
    assert (fields.stage, fields.status) == ("negotiation", "open")


def test_post_sale_talk_does_not_reopen() -> None:
    fields = fold_evidence([_facts(0, deal_result(stage="closed_won", outcome="won"), direction="outbound"),
                            _facts(1, deal_result(stage="qualified"))])
    assert (fields.stage, fields.status) == ("closed_won", "won")


def test_written_name_beats_domain_label() -> None:
    results = [deal_result("Steinbrueck", "steinbrueck.de")] * 3 + [deal_result("Steinbrück Components SE", "steinbrueck.de")]
    fields = fold_evidence([_facts(i, r) for i, r in enumerate(results)])
    assert fields.company == "Steinbrück Components SE"


def test_spaced_written_name_is_not_the_domain_label() -> None:
    results = [deal_result("Ostranderretail", "ostranderretail.fr")] * 3 + [
        deal_result("Ostrander Retail S.A.R.L.", "ostranderretail.fr")]
    assert fold_evidence([_facts(i, r) for i, r in enumerate(results)]).company == "Ostrander Retail S.A.R.L."


def test_most_written_name_with_fuller_spelling() -> None:
    results = [deal_result("Quarry Lane", "quarrylane.com"), deal_result("Quarry Lane Software", "quarrylane.com"),
               deal_result("Quarry Lane Software Inc.", "quarrylane.com")]
    assert fold_evidence([_facts(i, r) for i, r in enumerate(results)]).company_key == "quarry lane software"


def test_legal_name_without_domain_fit_beats_domain_label() -> None:
    results = [deal_result("Rf-law", "rf-law.com"), deal_result("Rowan & Finch LLP", "rf-law.com"),
               deal_result("Rowan & Finch LLP", "rf-law.com")]
    assert fold_evidence([_facts(i, r) for i, r in enumerate(results)]).company == "Rowan & Finch LLP"


def test_signed_name_unlike_the_domain_needs_repeating() -> None:
    once = [deal_result("Tbx", "tbx.net"), deal_result("Pike Harbour", "tbx.net"), deal_result("Tbx", "tbx.net")]
    assert fold_evidence([_facts(i, r) for i, r in enumerate(once)]).company == "Tbx"
    twice = once + [deal_result("Pike Harbour", "tbx.net")]
    assert fold_evidence([_facts(i, r) for i, r in enumerate(twice)]).company == "Pike Harbour"


def test_signed_name_sharing_the_domain_beats_its_label_at_once() -> None:
    results = [deal_result("Vantorlabs", "vantorlabs.com")] * 3 + [deal_result("Vantor Labs", "vantorlabs.com")]
    assert fold_evidence([_facts(i, r) for i, r in enumerate(results)]).company == "Vantor Labs"


def _event(i: int, title: str, result: ExtractionResult) -> MessageFacts:
    return MessageFacts(
        ref=SourceRef("event", i, f"e{i}"), occurred_at=T0 + timedelta(days=i), subject=title, subject_key=title.lower(),
        thread_refs=(), own_keys=(f"e{i}",), external_emails=("buyer@acme.com",), external_domains=(),
        participant_names=(), direction="meeting", extraction=result,
    )


def test_event_title_advances_the_stage() -> None:
    fields = fold_evidence([_facts(0, deal_result(stage="qualified")), _event(1, "Vertragsbesprechung Acme", deal_result())])
    assert (fields.stage, fields.status) == ("negotiation", "open")


def test_event_title_never_moves_back_or_reopens() -> None:
    fields = fold_evidence([_facts(0, deal_result(stage="negotiation")), _event(1, "Product demo", deal_result())])
    assert fields.stage == "negotiation"
    fields = fold_evidence([_facts(0, deal_result(stage="closed_won", outcome="won")), _event(1, "Pricing review", deal_result())])
    assert (fields.stage, fields.status) == ("closed_won", "won")


def test_a_meeting_that_mail_follows_took_place_and_qualifies_the_lead() -> None:
    inquiry = _facts(0, deal_result(stage="lead"))
    booked = [inquiry, _event(3, "Coffee with Rob", deal_result())]
    assert fold_evidence(booked).stage == "lead"  # nothing after it yet: still ahead of us
    held = fold_evidence([*booked, _facts(4, deal_result(), direction="outbound")])
    assert held.stage == "qualified" and held.sources["stage"] == SourceRef("event", 3, "e3")
    called_off = replace(booked[1], cancelled=True)
    assert fold_evidence([inquiry, called_off, _facts(4, deal_result())]).stage == "lead"


def test_stage_follows_status_correction() -> None:
    fields = fold_evidence([_facts(0, deal_result(stage="proposal"))], {"status": "lost"})
    assert (fields.stage, fields.status) == ("closed_lost", "lost")
    fields = fold_evidence([_facts(0, deal_result(stage="closed_won", outcome="won"))], {"status": "open"})
    assert (fields.stage, fields.status) == ("lead", "open")  # the furthest open stage the evidence reached


def test_a_name_with_a_legal_form_was_written_even_when_it_spells_the_domain() -> None:
    # Customers' signatures say "ECKERT Anlagenbau GmbH" at eckert-anlagenbau.de; a colleague's note says "Eckert".
    results = [deal_result("ECKERT Anlagenbau GmbH", "eckert-anlagenbau.de"), deal_result("Eckert", "eckert-anlagenbau.de"),
               deal_result("ECKERT Anlagenbau GmbH", "eckert-anlagenbau.de"), deal_result("Eckert", "eckert-anlagenbau.de"),
               deal_result("Eckert", "eckert-anlagenbau.de")]
    assert fold_evidence([_facts(i, r) for i, r in enumerate(results)]).company == "ECKERT Anlagenbau GmbH"



def test_a_shorter_spelling_inside_the_fuller_name_counts_for_it() -> None:
    results = [deal_result("Kranich Logistik", "kranich-logistik.de")] * 3 + [
        deal_result("Spedition Kranich Logistik GmbH", "kranich-logistik.de")] * 2
    fields = fold_evidence([_facts(i, r) for i, r in enumerate(results)])
    assert fields.company == "Spedition Kranich Logistik GmbH"



def test_a_cancelled_meetings_description_decides_nothing() -> None:
    called_off = replace(_event(5, "Abgesagt: Angebotsbesprechung", deal_result(stage="closed_lost", outcome="lost")),
                         cancelled=True)
    fields = fold_evidence([_facts(0, deal_result(stage="proposal")), called_off])
    assert (fields.stage, fields.status) == ("proposal", "open")


def test_a_cancelled_meeting_does_not_move_the_stage_by_its_title() -> None:
    called_off = replace(_event(3, "Product demo - Acme", deal_result()), cancelled=True)
    assert fold_evidence([_facts(0, deal_result(stage="qualified")), called_off]).stage == "qualified"


def test_a_loss_guessed_at_in_our_chaser_holds_once_the_customer_answers_without_taking_anything_up() -> None:
    proposal = _facts(0, deal_result(stage="proposal"), direction="outbound")
    chaser = _facts(5, deal_result(stage="closed_lost"), direction="outbound")  # closed_lost, no outcome: guessed
    unanswered = fold_evidence([proposal, chaser])
    assert (unanswered.stage, unanswered.status) == ("proposal", "open")
    answered = fold_evidence([proposal, chaser, _facts(6, deal_result())])
    assert (answered.stage, answered.status) == ("closed_lost", "lost")
    assert answered.sources["status"] == chaser.ref
    out_of_office = replace(_facts(6, deal_result()), subject="Automatic reply: Acme proposal")
    assert fold_evidence([proposal, chaser, out_of_office]).status == "open"
    still_talking = _facts(6, deal_result(stage="proposal"))  # "we're still reviewing your proposal"
    assert fold_evidence([proposal, chaser, still_talking]).status == "open"
    met_again = _event(6, "Acme / Northwind", deal_result())
    assert fold_evidence([proposal, chaser, met_again, _facts(7, deal_result())]).status == "open"


def _priced(i: int, phrase: str, direction: str = "outbound") -> MessageFacts:
    result = deal_result(stage="proposal")
    result.spans["stage_hint"] = Span("body", 0, len(phrase), phrase)
    return _facts(i, result, direction=direction)


def test_prices_answering_a_first_enquiry_are_a_price_list_and_after_a_meeting_a_proposal() -> None:
    enquiry = _facts(0, deal_result(stage="lead"))
    assert fold_evidence([enquiry, _priced(1, "Pricing for")]).stage == "lead"
    assert fold_evidence([enquiry, _priced(1, "our proposal")]).stage == "proposal"
    after_demo = [enquiry, _event(2, "Product demo", deal_result()), _priced(3, "pricing for")]
    assert fold_evidence(after_demo).stage == "proposal"
