"""A small, readable warehouse for dashboard tests: two workspaces, each with its own people and deals.

Acme (workspace A) has an admin, a user and a viewer, deals with health scores,
an email whose extracted facts carry source spans, a meeting, insights,
forecasts with actuals, an integration with a quarantined message and a merged
duplicate. Globex (workspace B) has one user and one secret deal, so tests
can check that nothing of B leaks into A.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from dashboard.auth import hash_password
from vectoros_pipelines.security.crypto import load_cipher
from vectoros_pipelines.storage.schema import (
    activities,
    audit_log,
    captured_calendar_events,
    captured_emails,
    deal_changes,
    deal_health_scores,
    deals,
    insights,
    integrations,
    revenue_forecasts,
    sync_logs,
)
from vectoros_pipelines.storage.workspaces import add_user, create_workspace

PASSWORD = "correct horse battery"
BODY = ("Hi Dana,\n\nThanks for the demo yesterday. We would like to move ahead with the Analytics Suite "
        "for 48,000 EUR per year, signed before the end of the quarter.\n\nBest,\nLena Fischer\nInitech GmbH")


@dataclass(frozen=True)
class Seeded:
    workspace_a: int
    workspace_b: int
    big_deal: int  # Initech, with email, meeting, health and an insight
    duplicate: int  # Initech duplicate, merged into big_deal
    small_deal: int
    secret_deal: int  # belongs to workspace B
    insight: int
    quarantined_email: int
    integration: int


def _span(text: str, needle: str, field: str) -> dict[str, object]:
    start = text.index(needle)
    return {"field": field, "start": start, "end": start + len(needle), "text": needle}


def seed(engine: Engine) -> Seeded:
    now = datetime.now(UTC)
    today = now.date()
    cipher = load_cipher()
    with engine.begin() as conn:
        acme = create_workspace(conn, "Acme", ["acme.com"])
        globex = create_workspace(conn, "Globex", ["globex.com"])
        hashed = hash_password(PASSWORD)
        add_user(conn, acme.id, "admin@acme.com", "Ada Admin", "admin", hashed)
        add_user(conn, acme.id, "dana@acme.com", "Dana Seller", "user", hashed)
        add_user(conn, acme.id, "vic@acme.com", "Vic Viewer", "viewer", hashed)
        add_user(conn, globex.id, "gina@globex.com", "Gina Globex", "user", hashed)
        # Dana also belongs to Globex, as a viewer: the switcher must offer it.
        add_user(conn, globex.id, "dana@acme.com", "Dana Seller", "viewer", hashed)

        def deal(ws: int, **values: object) -> int:
            base = {"workspace_id": ws, "source": "email", "status": "open", "currency": "EUR",
                    "opened_at": now - timedelta(days=20), "last_activity_at": now - timedelta(days=1)}
            return int(conn.execute(deals.insert().values(**(base | values))).inserted_primary_key[0])  # type: ignore[index]

        big = deal(acme.id, name="Initech analytics", company="Initech GmbH", domain="initech.de", value=48000.0,
                   stage="proposal", contact_name="Lena Fischer", contact_email="lena@initech.de",
                   product="Analytics Suite", owner_email="dana@acme.com", close_date=today + timedelta(days=20),
                   confidence=0.93, field_sources={"value": "msg-1@initech.de"})
        duplicate = deal(acme.id, name="Initech", company="Initech", domain="initech.de", value=45000.0,
                         stage="demo", confidence=0.82)
        small = deal(acme.id, name="Hooli pilot", company="Hooli", domain="hooli.com", value=9000.0,
                     stage="qualified", close_date=today + timedelta(days=50), source="calendar",
                     owner_email="admin@acme.com")
        deal(acme.id, name="Umbrella renewal", company="Umbrella Corp", value=120000.0, stage="closed_won",
             status="won", closed_at=now, source="crm")
        secret = deal(globex.id, name="Secret", company="Globex Secret Project", value=999999.0, stage="negotiation")
        conn.execute(deals.update().where(deals.c.id == duplicate).values(merged_into=big))

        integration = int(conn.execute(integrations.insert().values(
            workspace_id=acme.id, provider="mail_files", kind="mail", account="/srv/mail/sales.mbox",
            status="active", last_sync_at=now - timedelta(minutes=5))).inserted_primary_key[0])  # type: ignore[index]
        conn.execute(sync_logs.insert().values(
            workspace_id=acme.id, integration_id=integration, partition_key=f"{now:%Y-%m}|acme",
            started_at=now - timedelta(minutes=6), finished_at=now - timedelta(minutes=5), fetched=12, new=3))

        subject = "Analytics Suite — next steps"
        extracted = {
            "is_deal_related": True, "confidence": 0.93, "company": "Initech GmbH", "company_domain": "initech.de",
            "amount": 48000.0, "currency": "EUR", "contact_name": "Lena Fischer", "contact_email": "lena@initech.de",
            "product": "Analytics Suite", "stage_hint": "proposal", "close_date_hint": None, "outcome": None,
            "spans": {"amount": _span(BODY, "48,000 EUR", "body"), "product": _span(BODY, "Analytics Suite", "body"),
                      "company": _span(BODY, "Initech GmbH", "body")},
            "extractor": "local", "extractor_version": "test", "reasons": [],
        }
        email = int(conn.execute(captured_emails.insert().values(
            workspace_id=acme.id, integration_id=integration, message_key="msg-1@initech.de", month=f"{now:%Y-%m}",
            subject=subject, from_email="lena@initech.de", from_name="Lena Fischer",
            participants=[{"email": "lena@initech.de", "name": "Lena Fischer", "role": "from"},
                          {"email": "dana@acme.com", "name": "Dana Seller", "role": "to"}],
            direction="inbound", sent_at=now - timedelta(days=1), body_ciphertext=cipher.encrypt_text(BODY),
            body_key_id=cipher.key_id, status="processed", is_deal_related=True, confidence=0.93, deal_id=big,
            extracted_data=extracted, extracted_at=now - timedelta(hours=2))).inserted_primary_key[0])  # type: ignore[index]
        quarantined = int(conn.execute(captured_emails.insert().values(
            workspace_id=acme.id, integration_id=integration, message_key="sha256:broken", month=f"{now:%Y-%m}",
            subject="=?x-unknown?B?broken?=", source_locator="sales.mbox#8812", status="quarantined", attempts=3,
            last_error="cannot decode body: unknown charset 'x-unknown'")).inserted_primary_key[0])  # type: ignore[index]
        event = int(conn.execute(captured_calendar_events.insert().values(
            workspace_id=acme.id, integration_id=integration, uid="evt-1@acme.com", month=f"{now:%Y-%m}",
            summary="Initech demo", starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2, hours=-1),
            organizer_email="dana@acme.com", attendees=[{"email": "lena@initech.de", "name": "Lena Fischer"}],
            status="processed", deal_id=big)).inserted_primary_key[0])  # type: ignore[index]
        conn.execute(activities.insert(), [
            {"workspace_id": acme.id, "deal_id": big, "kind": "email_in", "email_id": email, "event_id": None,
             "occurred_at": now - timedelta(days=1), "summary": subject},
            {"workspace_id": acme.id, "deal_id": big, "kind": "meeting", "email_id": None, "event_id": event,
             "occurred_at": now - timedelta(days=2), "summary": "Initech demo"},
        ])
        conn.execute(deal_changes.insert().values(
            workspace_id=acme.id, deal_id=big, field="value", old_value=None, new_value=48000.0, email_id=email,
            changed_at=now - timedelta(days=1)))
        conn.execute(audit_log.insert().values(
            # what matching's automatic merge writes (storage.deal_writes.merge_deals)
            workspace_id=acme.id, action="deal.merge", subject_type="deal", subject_id=str(duplicate),
            details={"winner": big, "loser": duplicate, "reasons": ["same domain"], "emails": [], "events": [],
                     "activities": []}))

        conn.execute(deal_health_scores.insert(), [
            {"workspace_id": acme.id, "deal_id": big, "as_of": today - timedelta(days=d), "score": 70.0 + d,
             "win_probability": 0.7, "model_version": "prior-1",
             "drivers": [{"feature": "replied within a day", "impact": 0.12},
                         {"feature": "single-threaded", "impact": -0.08}]}
            for d in range(3)
        ] + [{"workspace_id": acme.id, "deal_id": small, "as_of": today, "score": 31.0, "win_probability": 0.3,
              "drivers": [], "model_version": "prior-1"},
             {"workspace_id": globex.id, "deal_id": secret, "as_of": today, "score": 99.0, "win_probability": 0.99,
              "drivers": [], "model_version": "prior-1"}])

        insight = int(conn.execute(insights.insert().values(
            workspace_id=acme.id, deal_id=small, kind="at_risk", title="Hooli pilot is at risk (health 31)",
            description="No reply for 9 days after the pilot proposal.", evidence={"days_silent": 9},
            actions=["Call the champion", "Loop in their CFO"], priority="high", owner_email="admin@acme.com",
            detected_at=now)).inserted_primary_key[0])  # type: ignore[index]
        conn.execute(insights.insert().values(
            workspace_id=acme.id, deal_id=big, kind="single_threaded", title="Initech talks to one person only",
            priority="medium", owner_email="dana@acme.com", detected_at=now - timedelta(days=2)))
        conn.execute(insights.insert().values(
            workspace_id=globex.id, deal_id=secret, kind="upsell", title="Globex secret upsell", priority="high",
            detected_at=now))

        forecasts = []
        for weeks_back in range(12, -1, -1):
            as_of = today - timedelta(weeks=weeks_back)
            for horizon in (30, 60, 90):
                likely = 50000.0 * horizon / 30 + 1000 * weeks_back
                forecasts.append({
                    "workspace_id": acme.id, "as_of": as_of, "horizon_days": horizon, "currency": "EUR",
                    "likely": likely, "best": likely * 1.3, "worst": likely * 0.7, "confidence": 0.8,
                    "baseline_run_rate": likely * 0.9, "baseline_weighted_pipeline": likely * 1.4,
                    "actual": likely * 1.05 if as_of + timedelta(days=horizon) <= today else None,
                    "drivers": [{"deal_id": big, "company": "Initech GmbH", "contribution": 33600.0}],
                })
        conn.execute(revenue_forecasts.insert(), forecasts)
    return Seeded(acme.id, globex.id, big, duplicate, small, secret, insight, quarantined, integration)


def as_of(days: int) -> date:
    return datetime.now(UTC).date() - timedelta(days=days)
