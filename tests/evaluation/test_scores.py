"""The scorer on hand-made truth: each number means what the scenarios README says."""

from __future__ import annotations

from vectoros_pipelines.evaluation.scores import score_scenario

TRUTH = {
    "messages": {"m1": {"deal": "D1"}, "m2": {"deal": "D1"}, "m3": {"deal": "D1"}, "m4": {"deal": "D2"},
                 "m5": {"deal": None}, "m6": {"deal": None}},
    "events": {"e1": {"deal": "D2"}, "e2": {"deal": None}},
    "deals": {
        "D1": {"company": "Acme Corporation", "domain": "acme.com", "value": 120000, "currency": "USD",
               "stage": "negotiation", "status": "open", "contact_email": "John@acme.com"},
        "D2": {"company": "Helios Solar GmbH", "domain": "helios-solar.de", "value": None, "currency": None,
               "stage": "demo", "status": "open", "contact_email": "k@helios-solar.de"},
    },
}


def _deal(deal_id: int, messages: list[str], events: list[str] = (), **fields: object) -> dict:  # type: ignore[assignment]
    base = {"id": deal_id, "company": None, "domain": None, "value": None, "currency": None, "stage": "lead",
            "status": "open", "contact_email": None, "messages": messages, "events": list(events)}
    return base | fields


def test_a_perfect_run_scores_one_everywhere() -> None:
    exported = [
        _deal(1, ["m1", "m2", "<m3>"], company="ACME Corp", domain="acme.com", value=120500, currency="usd",
              stage="negotiation", contact_email="john@acme.com"),
        _deal(2, ["m4"], ["e1"], company="Helios Solar", domain="helios-solar.de", stage="demo",
              contact_email="k@helios-solar.de"),
    ]
    score = score_scenario(TRUTH, exported)
    assert score.message_capture.f1 == score.event_capture.f1 == score.matching.f1 == 1.0
    assert score.duplicate_deals == 0
    assert set(score.fields.values()) == {1.0}, score.misses


def test_split_deal_counts_a_duplicate_and_loses_pairwise_recall() -> None:
    exported = [_deal(1, ["m1", "m2"]), _deal(2, ["m3"]), _deal(3, ["m4", "m5"], ["e1"])]
    score = score_scenario(TRUTH, exported)
    assert score.duplicate_deals == 1
    # true pairs: D1 has 3, D2 has 1 → 4; predicted pairs 1 + 3 = 4, of which right: (m1,m2) and (m4,e1)
    assert (score.matching.tp, score.matching.fp, score.matching.fn) == (2, 2, 2)
    assert (score.message_capture.tp, score.message_capture.fp, score.message_capture.fn) == (4, 1, 0)


def test_fields_come_from_the_deal_holding_most_of_the_true_deals_messages() -> None:
    exported = [_deal(1, ["m1"], value=1.0), _deal(2, ["m2", "m3"], value=119000, company="Acme", currency="USD")]
    score = score_scenario(TRUTH, exported)
    assert score.fields["value"] == 0.5  # D1 via deal 2 within 1 %; D2 never created
    assert score.unmatched_true_deals == ["D2"]
    assert score.event_capture.fn == 1
