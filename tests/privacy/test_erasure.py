"""GDPR erasure removes one person's data from SQL and Qdrant in one workspace only, and leaves an audit row."""

from __future__ import annotations

import numpy as np
from qdrant_client import QdrantClient
from sqlalchemy import Engine, func, select

from tests.conftest import FIXTURES
from vectoros_pipelines.capture.calendar_capture import import_calendar_source
from vectoros_pipelines.capture.mail_capture import import_mail_source
from vectoros_pipelines.storage.erasure import erase_person, erase_workspace, subject_hash
from vectoros_pipelines.storage.schema import audit_log, captured_calendar_events, captured_emails, deals
from vectoros_pipelines.storage.workspaces import Workspace, add_user, create_workspace
from vectoros_pipelines.vectors.index import DealVector, VectorIndex

JOHN = "john.smith@acme-corp.com"


def _loaded(engine: Engine, name: str) -> tuple[Workspace, int]:
    with engine.begin() as conn:
        ws = create_workspace(conn, name, ["northwind.example"])
        add_user(conn, ws.id, JOHN, "John", "viewer")
        deal_id = conn.execute(deals.insert().values(workspace_id=ws.id, company="Acme", contact_email=JOHN,
                                                     contact_name="John Smith").returning(deals.c.id)).scalar_one()
    import_mail_source(engine, ws, FIXTURES / "mail" / "basic")
    import_calendar_source(engine, ws, FIXTURES / "calendar" / "basic")
    return ws, deal_id


def _count(engine: Engine, table, ws: Workspace) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(table.c.workspace_id == ws.id)).scalar_one()


def test_erase_person_is_complete_and_confined(engine: Engine) -> None:
    a, deal_a = _loaded(engine, "Alpha")
    b, deal_b = _loaded(engine, "Beta")
    index = VectorIndex(QdrantClient(location=":memory:"), "per_workspace")
    for ws, deal in ((a, deal_a), (b, deal_b)):
        index.upsert(ws.id, [DealVector(deal, np.ones(384, dtype=np.float32) / np.sqrt(384), {"status": "open"})])

    report = erase_person(engine, a, JOHN.upper(), index, actor="admin@northwind.example")

    assert (report.emails, report.events, report.users, report.deals_scrubbed) == (2, 1, 1, 1)
    assert _count(engine, captured_emails, a) == 1  # only the unparseable junk file is left
    assert _count(engine, captured_calendar_events, a) == 8  # the weekly internal meeting is kept
    with engine.connect() as conn:
        contact = conn.execute(select(deals.c.contact_email).where(deals.c.id == deal_a)).scalar_one()
        audit = conn.execute(select(audit_log).where(audit_log.c.action == "privacy.erase_person")).one()
    assert contact is None
    assert audit.subject_id == subject_hash(JOHN) and JOHN not in str(audit.details)
    assert index.count(a.id) == 0
    # The other workspace holding the same person is untouched.
    assert _count(engine, captured_emails, b) == 3 and index.count(b.id) == 1


def test_erase_workspace_removes_rows_and_vectors(engine: Engine) -> None:
    a, deal_a = _loaded(engine, "Alpha")
    b, _ = _loaded(engine, "Beta")
    index = VectorIndex(QdrantClient(location=":memory:"), "per_workspace")
    index.upsert(a.id, [DealVector(deal_a, np.ones(384, dtype=np.float32) / np.sqrt(384), {"status": "open"})])
    erase_workspace(engine, a, index)
    assert _count(engine, captured_emails, a) == 0 and index.count(a.id) == 0
    assert _count(engine, captured_emails, b) == 3
