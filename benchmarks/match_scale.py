"""How matching scales with the number of open deals in a workspace.

Seeds a fresh SQLite warehouse with N open deals (each with one linked message),
then matches 2,000 newly extracted messages — replies in known threads, mail
from known contacts, new deals, and mail that is not about a deal — and prints
messages/s. Lookups by thread, contact and domain are dict lookups, so the rate
should hardly move from 0 to 10,000 deals.

    python benchmarks/match_scale.py            # N = 0, 1000, 10000
    python benchmarks/match_scale.py 50000
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

T0 = datetime(2026, 1, 1, tzinfo=UTC)
MESSAGES = 2000


def _result(i: int, company: str, domain: str, contact: str, related: bool) -> dict:
    from vectoros_pipelines.extraction.result import ExtractionResult

    if not related:
        return ExtractionResult(is_deal_related=False, confidence=0.02).to_json()
    return ExtractionResult(is_deal_related=True, confidence=0.95, company=company, company_domain=domain,
                            contact_email=contact, amount=1000.0 * (i % 90 + 10), currency="USD",
                            stage_hint="proposal").to_json()


def _email(ws_id: int, key: str, sender: str, to: str, subject: str, at: datetime, data: dict,
           deal_id: int | None = None, thread: str | None = None) -> dict:
    return {
        "workspace_id": ws_id, "message_key": key, "month": at.strftime("%Y-%m"), "subject": subject,
        "normalized_subject": subject.lower(), "thread_key": thread or key, "in_reply_to": thread,
        "references": [thread] if thread else [], "from_email": sender,
        "participants": [{"email": sender, "name": None, "role": "from"}, {"email": to, "name": None, "role": "to"}],
        "direction": "inbound" if sender.endswith(".example") else "outbound", "sent_at": at, "status": "processed",
        "is_deal_related": data["is_deal_related"], "confidence": data["confidence"], "extracted_data": data,
        "extracted_at": at, "deal_id": deal_id, "matched_at": at if deal_id else None,
    }


def run(open_deals: int) -> tuple[float, dict[str, int]]:
    from vectoros_pipelines.matching.service import match_workspace
    from vectoros_pipelines.storage.db import get_engine
    from vectoros_pipelines.storage.schema import captured_emails, deals
    from vectoros_pipelines.storage.workspaces import add_user, create_workspace

    rng = random.Random(open_deals)
    with tempfile.TemporaryDirectory() as home:
        os.environ["VECTOROS_HOME"] = home
        os.environ.pop("VECTOROS_DATABASE_URL", None)
        engine = get_engine()
        with engine.begin() as conn:
            ws = create_workspace(conn, f"bench {open_deals}", ["seller.io"])
            add_user(conn, ws.id, "rep@seller.io")
            deal_rows = [{"workspace_id": ws.id, "name": f"Company {i}", "company": f"Company {i}",
                          "company_key": f"company {i}", "domain": f"c{i}.example", "contact_email": f"buyer@c{i}.example",
                          "stage": "proposal", "status": "open", "opened_at": T0, "last_activity_at": T0}
                         for i in range(open_deals)]
            for start in range(0, len(deal_rows), 1000):
                conn.execute(insert(deals), deal_rows[start:start + 1000])
            emails = [_email(ws.id, f"seed{i}", f"buyer@c{i}.example", "rep@seller.io", f"topic {i}", T0,
                             _result(i, f"Company {i}", f"c{i}.example", f"buyer@c{i}.example", True), deal_id=i + 1)
                      for i in range(open_deals)]
            for i in range(MESSAGES):
                at = T0 + timedelta(days=1, minutes=i)
                kind = rng.random()
                known = rng.randrange(open_deals) if open_deals else None
                if known is not None and kind < 0.4:  # a reply in a known thread
                    emails.append(_email(ws.id, f"m{i}", "rep@seller.io", f"buyer@c{known}.example",
                                         f"re: topic {known}", at, _result(i, "", "", "", False), thread=f"seed{known}"))
                elif known is not None and kind < 0.6:  # a known contact on a new thread
                    emails.append(_email(ws.id, f"m{i}", f"buyer@c{known}.example", "rep@seller.io", f"new {i}", at,
                                         _result(i, f"Company {known}", f"c{known}.example", f"buyer@c{known}.example", True)))
                elif kind < 0.8:  # a new customer
                    emails.append(_email(ws.id, f"m{i}", f"cto@n{i}.example", "rep@seller.io", f"inquiry {i}", at,
                                         _result(i, f"Newco {i}", f"n{i}.example", f"cto@n{i}.example", True)))
                else:  # not about a deal
                    emails.append(_email(ws.id, f"m{i}", f"news@list{i}.example", "rep@seller.io", f"digest {i}", at,
                                         _result(i, "", "", "", False)))
            for start in range(0, len(emails), 1000):
                conn.execute(insert(captured_emails), emails[start:start + 1000])
        started = time.perf_counter()
        report = match_workspace(engine, ws, index=None, embedder=None)
        seconds = time.perf_counter() - started
        engine.dispose()
    return MESSAGES / seconds, {"linked": report.linked, "created": report.created, "merged": report.merged,
                                "skipped": report.skipped}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [0, 1000, 10000]
    print(f"match_workspace, SQLite, {MESSAGES} new messages per run (no embedding search)")
    for n in sizes:
        rate, counts = run(n)
        print(f"  {n:>6} open deals: {rate:8.0f} messages/s   {counts}")


if __name__ == "__main__":
    main()
