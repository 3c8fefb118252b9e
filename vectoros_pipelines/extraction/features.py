"""Hand-made features for the deal classifier: what TF-IDF over words cannot see (headers, direction, parties)."""

from __future__ import annotations

import numpy as np

from vectoros_pipelines.extraction.message_view import MessageView

FEATURE_NAMES = (
    "bulk", "role_sender", "inbound", "outbound", "internal_only", "no_direction",
    "external_company_domain", "external_free_mail_only", "many_external_domains", "many_participants",
    "money", "big_money", "buyer_side", "stage_lead", "stage_qualified", "stage_demo", "stage_proposal",
    "stage_negotiation", "stage_won", "stage_lost", "reply", "forward", "unsubscribe_text", "meeting_words",
    "deal_attachment", "short_text", "injection", "is_event",
)
_STAGE_FEATURE = {
    "lead": "stage_lead", "qualified": "stage_qualified", "demo": "stage_demo", "proposal": "stage_proposal",
    "negotiation": "stage_negotiation", "closed_won": "stage_won", "closed_lost": "stage_lost",
}
_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}


def hand_features(view: MessageView) -> np.ndarray:
    row = np.zeros(len(FEATURE_NAMES), dtype=np.float64)

    def put(name: str, value: float | bool) -> None:
        row[_INDEX[name]] = float(value)

    parties = view.parties
    put("bulk", bool(view.bulk_reasons))
    put("role_sender", view.role_sender)
    put("inbound", parties.direction == "inbound")
    put("outbound", parties.direction == "outbound")
    put("internal_only", parties.direction == "internal")
    put("no_direction", parties.direction == "unknown")
    put("external_company_domain", parties.company_domain is not None)
    put("external_free_mail_only", parties.only_free_mail)
    put("many_external_domains", len(parties.external_domains) >= 3)
    put("many_participants", view.participant_count >= 8)
    put("money", bool(view.amounts))
    put("big_money", any(m.amount >= 1000 for m in view.amounts))
    put("buyer_side", min(len(view.buyer_hits), 3) / 3)
    if view.stage is not None:
        put(_STAGE_FEATURE[view.stage.stage], True)
    put("reply", view.is_reply)
    put("forward", view.is_forward)
    put("unsubscribe_text", view.unsubscribe_text)
    put("meeting_words", view.meeting_words)
    put("deal_attachment", view.deal_attachment)
    put("short_text", len(view.text) < 200)
    put("injection", view.injection)
    put("is_event", view.kind == "event")
    return row
