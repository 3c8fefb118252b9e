"""Every dashboard action, through the UI and through the action functions, with roles and tenancy enforced."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from dashboard import actions, auth, dagster_runs
from tests.dashboard.conftest import texts
from tests.dashboard.seed import Seeded
from vectoros_pipelines.storage.schema import (
    audit_log,
    captured_emails,
    deal_changes,
    deals,
    insights,
    integrations,
    recommendation_feedback,
    users,
    workspaces,
)


def principal(engine: Engine, email: str, workspace_id: int | None = None) -> auth.Principal:
    with engine.connect() as conn:
        found = auth.memberships(conn, email)
    return next(p for p in found if workspace_id is None or p.workspace_id == workspace_id)


def button(at: AppTest, key: str) -> Any:
    return at.button(key=key)


# ── insights ─────────────────────────────────────────────────────────────────


def test_user_acknowledges_dismisses_and_rates_insights(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/insights.py")
    button(at, f"ack_{seeded.insight}").click().run()
    assert not at.exception
    assert "Acknowledged: Hooli pilot is at risk (health 31)" in texts(at)
    at.multiselect(key="insight_status").select("acknowledged").run()  # it left the default "open" filter
    at.selectbox(key=f"rating_{seeded.insight}").select(2)
    button(at, f"rate_{seeded.insight}").click().run()
    button(at, f"dismiss_{seeded.insight}").click().run()
    with engine.connect() as conn:
        status = conn.execute(select(insights.c.status).where(insights.c.id == seeded.insight)).scalar()
        feedback = conn.execute(
            select(recommendation_feedback.c.action, recommendation_feedback.c.rating,
                   recommendation_feedback.c.user_email, recommendation_feedback.c.workspace_id)
            .order_by(recommendation_feedback.c.id)).all()
    assert status == "dismissed"
    assert [tuple(f) for f in feedback] == [
        ("acknowledged", None, "dana@acme.com", seeded.workspace_a),
        ("rated", 2, "dana@acme.com", seeded.workspace_a),
        ("dismissed", None, "dana@acme.com", seeded.workspace_a),
    ]


def set_role(engine: Engine, email: str, workspace_id: int, role: str) -> None:
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.email == email, users.c.workspace_id == workspace_id)
                     .values(role=role))


def test_viewer_cannot_act_on_insights(app_as, engine: Engine, seeded: Seeded) -> None:
    assert button(app_as("vic@acme.com", "app_pages/insights.py"), f"ack_{seeded.insight}").disabled
    # The button is only comfort. Dana sees it enabled, is demoted to viewer by an admin, then presses it:
    at = app_as("dana@acme.com", "app_pages/insights.py", workspace_id=seeded.workspace_a)
    set_role(engine, "dana@acme.com", seeded.workspace_a, "viewer")
    button(at, f"ack_{seeded.insight}").click().run()
    # Streamlit ignores a press on what is now a disabled button; the action itself refuses too:
    assert button(at, f"ack_{seeded.insight}").disabled
    with engine.begin() as conn, pytest.raises(actions.PermissionDenied, match="needs the user role; you are viewer"):
        actions.set_insight_status(conn, principal(engine, "vic@acme.com"), seeded.insight, "acknowledged")
    with engine.connect() as conn:
        assert conn.execute(select(insights.c.status).where(insights.c.id == seeded.insight)).scalar() == "open"
        assert conn.execute(select(recommendation_feedback.c.id)).first() is None


def test_insight_of_another_workspace_cannot_be_touched(engine: Engine, seeded: Seeded) -> None:
    gina = principal(engine, "gina@globex.com")
    with engine.begin() as conn, pytest.raises(actions.NotFound):
        actions.set_insight_status(conn, gina, seeded.insight, "dismissed")


# ── deals ────────────────────────────────────────────────────────────────────


def test_user_of_workspace_a_cannot_open_a_deal_of_workspace_b_by_id(app_as, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/deal.py", deal=str(seeded.secret_deal))
    page = texts(at)
    assert f"No deal '{seeded.secret_deal}' in Acme." in page
    assert "Globex" not in page and "999999" not in page and "Secret" not in page


def test_garbage_deal_id_in_the_url_is_a_friendly_not_found(app_as, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/deal.py", deal="1 OR 1=1")
    assert "No deal '1 OR 1=1' in Acme." in texts(at)


def test_user_corrects_a_field_and_the_correction_is_stored_and_audited(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/deal.py", deal=str(seeded.big_deal))
    at.selectbox(key="correct_field_name").select("value")
    at.text_input(key="correct_field_value").input("52,500")
    at.button[[b.label for b in at.button].index("Save correction")].click().run()
    assert not at.exception and not at.error
    assert "value ✎ 52,500 EUR" in texts(at)
    with engine.connect() as conn:
        row = conn.execute(select(deals.c.value, deals.c.corrections).where(deals.c.id == seeded.big_deal)).one()
        change = conn.execute(select(deal_changes.c.actor, deal_changes.c.old_value, deal_changes.c.new_value)
                              .where(deal_changes.c.field == "value").order_by(deal_changes.c.id.desc()).limit(1)).one()
        audited = conn.execute(select(audit_log.c.actor).where(audit_log.c.action == "deal.correct")).scalar()
    assert row.value == 52500.0
    assert row.corrections == {"value": 52500.0}  # the shape matching folds in over automatic values
    assert tuple(change) == ("dana@acme.com", 48000.0, 52500.0)
    assert audited == "dana@acme.com"


def test_a_correction_survives_matching_deriving_the_deal_again(engine: Engine, seeded: Seeded) -> None:
    dana = principal(engine, "dana@acme.com", seeded.workspace_a)
    with engine.begin() as conn:
        actions.correct_deal_field(conn, dana, seeded.big_deal, "value", "52500")
        actions.correct_deal_field(conn, dana, seeded.big_deal, "stage", "negotiation")
    # Merging re-derives the winner's fields from all its messages (matching.service): corrections win.
    actions.merge_deals(engine, dana, seeded.small_deal, seeded.big_deal)
    with engine.connect() as conn:
        row = conn.execute(select(deals.c.value, deals.c.stage).where(deals.c.id == seeded.big_deal)).one()
    assert tuple(row) == (52500.0, "negotiation")


def test_bad_correction_value_is_explained(app_as, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/deal.py", deal=str(seeded.big_deal))
    at.selectbox(key="correct_field_name").select("close_date")
    at.text_input(key="correct_field_value").input("next friday")
    at.button[[b.label for b in at.button].index("Save correction")].click().run()
    assert "'next friday' is not a valid close_date (YYYY-MM-DD)" in [e.value for e in at.error]


def test_merge_then_undo_restores_the_deal_and_its_messages(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/deal.py", deal=str(seeded.big_deal))
    at.text_input(key="merge_search").input("Hooli").run()
    at.selectbox(key="merge_pick").select(seeded.small_deal)
    button(at, "merge_go").click().run()
    assert not at.exception and not at.error
    with engine.connect() as conn:
        assert conn.execute(select(deals.c.merged_into).where(deals.c.id == seeded.small_deal)).scalar() == \
            seeded.big_deal
    assert f"#{seeded.small_deal} Hooli" in texts(at)
    button(at, f"unmerge_{seeded.small_deal}").click().run()
    assert not at.error
    with engine.connect() as conn:
        assert conn.execute(select(deals.c.merged_into).where(deals.c.id == seeded.small_deal)).scalar() is None


def test_merge_moves_messages_and_undo_moves_back_exactly_those(engine: Engine, seeded: Seeded) -> None:
    dana = principal(engine, "dana@acme.com")
    message = select(captured_emails.c.deal_id).where(captured_emails.c.message_key == "msg-1@initech.de")
    with engine.begin() as conn:
        conn.execute(captured_emails.update().where(captured_emails.c.message_key == "msg-1@initech.de")
                     .values(deal_id=seeded.small_deal))
    actions.merge_deals(engine, dana, seeded.small_deal, seeded.big_deal)
    with engine.connect() as conn:
        assert conn.execute(message).scalar() == seeded.big_deal
    actions.unmerge_deal(engine, dana, seeded.small_deal)
    with engine.connect() as conn:
        assert conn.execute(message).scalar() == seeded.small_deal


def test_undo_an_automatic_merge_from_the_duplicates_page(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/deal.py", deal=str(seeded.duplicate))
    assert f"This deal was merged into deal {seeded.big_deal}." in texts(at)
    button(at, "undo_merge").click().run()
    assert not at.error
    with engine.connect() as conn:
        assert conn.execute(select(deals.c.merged_into).where(deals.c.id == seeded.duplicate)).scalar() is None
        row = conn.execute(select(audit_log.c.actor, audit_log.c.details)
                           .where(audit_log.c.action == "deal.unmerge")).one()
    assert row.actor == "dana@acme.com"
    assert row.details == {"winner": seeded.big_deal, "loser": seeded.duplicate}  # matching won't re-merge them


def test_deal_actions_refuse_other_workspaces_and_viewers(engine: Engine, seeded: Seeded) -> None:
    dana, vic = principal(engine, "dana@acme.com", seeded.workspace_a), principal(engine, "vic@acme.com")
    with pytest.raises(actions.NotFound):
        actions.merge_deals(engine, dana, seeded.secret_deal, seeded.big_deal)
    with pytest.raises(actions.PermissionDenied):
        actions.unmerge_deal(engine, vic, seeded.duplicate)
    with engine.begin() as conn:
        with pytest.raises(actions.NotFound):
            actions.correct_deal_field(conn, dana, seeded.secret_deal, "value", "1")
        with pytest.raises(actions.PermissionDenied):
            actions.correct_deal_field(conn, vic, seeded.big_deal, "value", "1")
        # A principal forged for workspace B with an A user's id is refused: the role is re-read from the row.
        forged = replace(dana, workspace_id=seeded.workspace_b)
        with pytest.raises(actions.PermissionDenied):
            actions.correct_deal_field(conn, forged, seeded.secret_deal, "value", "1")


# ── integrations ─────────────────────────────────────────────────────────────


def test_viewer_trying_an_admin_action_is_refused_by_the_server(app_as, engine: Engine, seeded: Seeded) -> None:
    assert button(app_as("vic@acme.com", "app_pages/integrations.py"), "replay").disabled
    at = app_as("admin@acme.com", "app_pages/integrations.py")
    set_role(engine, "admin@acme.com", seeded.workspace_a, "viewer")  # demoted after the page was drawn
    button(at, "replay").click().run()
    assert button(at, "replay").disabled and "needs the admin role (you are viewer)" in texts(at)
    with engine.begin() as conn, pytest.raises(actions.PermissionDenied, match="needs the admin role"):
        actions.replay_quarantined(conn, principal(engine, "vic@acme.com"), "email", [seeded.quarantined_email])
    with engine.connect() as conn:
        assert conn.execute(select(captured_emails.c.status).where(
            captured_emails.c.id == seeded.quarantined_email)).scalar() == "quarantined"


def test_user_role_cannot_connect_sources_either(engine: Engine, seeded: Seeded, tmp_path) -> None:
    dana = principal(engine, "dana@acme.com", seeded.workspace_a)
    with engine.begin() as conn, pytest.raises(actions.PermissionDenied, match="needs the admin role"):
        actions.connect_file_source(conn, dana, "mail", str(tmp_path))


def test_admin_replays_quarantined_messages(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("admin@acme.com", "app_pages/integrations.py")
    button(at, "replay").click().run()
    assert "1 messages sent back to pending" in texts(at)
    with engine.connect() as conn:
        row = conn.execute(select(captured_emails.c.status, captured_emails.c.attempts).where(
            captured_emails.c.id == seeded.quarantined_email)).one()
    assert tuple(row) == ("pending", 0)


def test_admin_connects_a_folder_and_bad_paths_are_explained(app_as, engine: Engine, seeded: Seeded, tmp_path) -> None:
    at = app_as("admin@acme.com", "app_pages/integrations.py")
    at.text_input(key="connect_path").input("relative/path")
    at.button[[b.label for b in at.button].index("Connect")].click().run()
    assert "give the absolute path of a file or folder on the VectorOS server" in [e.value for e in at.error]
    folder = tmp_path / "Maildir"
    folder.mkdir()
    at.text_input(key="connect_path").input(str(folder))
    at.button[[b.label for b in at.button].index("Connect")].click().run()
    assert not at.error
    with engine.connect() as conn:
        row = conn.execute(select(integrations.c.provider, integrations.c.workspace_id).where(
            integrations.c.account == str(folder))).one()
    assert tuple(row) == ("mail_files", seeded.workspace_a)


def test_admin_disconnects_a_source(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("admin@acme.com", "app_pages/integrations.py")
    at.selectbox(key="disconnect_pick").select(seeded.integration)
    button(at, "disconnect").click().run()
    assert not at.error
    with engine.connect() as conn:
        assert conn.execute(select(integrations.c.status).where(
            integrations.c.id == seeded.integration)).scalar() == "disconnected"


def test_sync_now_without_a_webserver_says_how_to_start_it(app_as, seeded: Seeded, monkeypatch) -> None:
    monkeypatch.setenv("DAGSTER_WEBSERVER_PORT", "1")  # nothing listens there
    at = app_as("admin@acme.com", "app_pages/integrations.py")
    button(at, "sync_now").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "Could not start the sync: the Dagster webserver is not running at http://127.0.0.1:1" in errors
    assert "dagster dev" in errors


class FakeDagster:
    """Records what the dashboard asks of the GraphQL client."""

    def __init__(self) -> None:
        self.submitted: list[dict[str, Any]] = []

    def submit_job_execution(self, job_name: str, **kwargs: Any) -> str:
        self.submitted.append({"job_name": job_name, **kwargs})
        return "0f1e2d3c-run"

    def get_run_status(self, run_id: str) -> Any:
        from dagster import DagsterRunStatus

        return DagsterRunStatus.STARTED


def test_sync_now_launches_the_workspace_partition_and_shows_its_status(
        app_as, engine: Engine, seeded: Seeded, monkeypatch) -> None:
    fake = FakeDagster()
    monkeypatch.setattr(dagster_runs, "client", lambda timeout=10: fake)
    at = app_as("admin@acme.com", "app_pages/integrations.py")
    button(at, "sync_now").click().run()
    assert not at.error
    [call] = fake.submitted
    assert call["job_name"] == "__ASSET_JOB"
    assert call["asset_selection"] == ["captured_emails", "captured_calendar_events"]
    assert call["tags"]["dagster/partition"].endswith("|acme")
    assert call["tags"]["vectoros/requested_by"] == "admin@acme.com"
    assert "**STARTED**" in texts(at) and "0f1e2d3c" in texts(at)
    with engine.connect() as conn:
        details = conn.execute(select(audit_log.c.details).where(audit_log.c.action == "sync.launch")).scalar_one()
    assert details["run_id"] == "0f1e2d3c-run"


def test_viewer_cannot_launch_a_sync(app_as, engine: Engine, seeded: Seeded, monkeypatch) -> None:
    fake = FakeDagster()
    monkeypatch.setattr(dagster_runs, "client", lambda timeout=10: fake)
    assert button(app_as("vic@acme.com", "app_pages/integrations.py"), "sync_now").disabled
    at = app_as("admin@acme.com", "app_pages/integrations.py")
    set_role(engine, "admin@acme.com", seeded.workspace_a, "viewer")
    button(at, "sync_now").click().run()
    assert fake.submitted == []
    with engine.begin() as conn, pytest.raises(actions.PermissionDenied, match="needs the admin role"):
        actions.may_sync(conn, principal(engine, "vic@acme.com"))


# ── people and workspaces ────────────────────────────────────────────────────


def test_workspace_switcher_changes_every_query_to_the_other_workspace(app_as, seeded: Seeded) -> None:
    at = app_as("dana@acme.com", "app_pages/deals.py", workspace_id=seeded.workspace_a)
    assert "Initech GmbH" in list(at.dataframe[0].value["company"])
    switcher = at.selectbox(key="workspace_switcher")
    target = next(o for o in switcher.options if o.startswith("Globex"))
    switcher.select(target).run()
    assert not at.exception
    at.switch_page("app_pages/deals.py")
    at.run()
    assert list(at.dataframe[0].value["company"]) == ["Globex Secret Project"]
    assert "Signed in as dana@acme.com · viewer" in texts(at)


def test_admin_adds_a_person_who_can_then_sign_in(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("admin@acme.com", "app_pages/people.py")
    at.text_input(key="user_email").input("new@acme.com")
    at.selectbox(key="user_role").select("viewer")
    at.text_input(key="user_password").input("a long enough password")
    at.button[[b.label for b in at.button].index("Save")].click().run()
    assert not at.error
    with engine.connect() as conn:
        assert [p.role for p in auth.sign_in(conn, "new@acme.com", "a long enough password")] == ["viewer"]


def test_admin_removes_a_person_and_their_open_session_loses_access(app_as, engine: Engine, seeded: Seeded) -> None:
    vic_session = app_as("vic@acme.com", "app_pages/deals.py")
    at = app_as("admin@acme.com", "app_pages/people.py")
    vic_id = principal(engine, "vic@acme.com").user_id
    at.selectbox(key="remove_user_pick").select(vic_id)
    at.checkbox(key="remove_user_confirm").check().run()
    at.button(key="remove_user").click().run()
    assert not at.error
    vic_session.run()
    assert "Sign in" in [b.label for b in vic_session.button]


def test_viewer_cannot_manage_people(engine: Engine, seeded: Seeded) -> None:
    vic = principal(engine, "vic@acme.com")
    with engine.begin() as conn, pytest.raises(actions.PermissionDenied):
        actions.save_user(conn, vic, "evil@acme.com", None, "admin", "a long enough password")
    with engine.connect() as conn:
        assert conn.execute(select(users.c.id).where(users.c.email == "evil@acme.com")).first() is None


def test_admin_creates_a_workspace_and_can_switch_to_it(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("admin@acme.com", "app_pages/people.py")
    at.text_input(key="ws_name").input("Initrode")
    at.text_input(key="ws_domains").input("initrode.com")
    at.button[[b.label for b in at.button].index("Create workspace")].click().run()
    assert not at.error, [e.value for e in at.error]
    with engine.connect() as conn:
        ws = conn.execute(select(workspaces.c.id).where(workspaces.c.slug == "initrode")).scalar()
        role = conn.execute(select(users.c.role).where(users.c.workspace_id == ws,
                                                       users.c.email == "admin@acme.com")).scalar()
    assert role == "admin"
    assert any(o.startswith("Initrode") for o in at.selectbox(key="workspace_switcher").options)


# ── trusted header ───────────────────────────────────────────────────────────


def test_trusted_header_signs_in_only_when_enabled(engine: Engine, seeded: Seeded, monkeypatch) -> None:
    headers = {"x-forwarded-email": "Dana@acme.com"}
    with engine.connect() as conn:
        assert auth.principals_from_headers(conn, headers) == []
        monkeypatch.setenv(auth.TRUSTED_HEADER_FLAG, "1")
        found = auth.principals_from_headers(conn, headers)
        assert {p.workspace_slug for p in found} == {"acme", "globex"}
        assert auth.principals_from_headers(conn, {"X-Forwarded-Email": "stranger@evil.com"}) == []


def test_admin_erases_a_person_in_their_workspace_only(app_as, engine: Engine, seeded: Seeded) -> None:
    at = app_as("admin@acme.com", "app_pages/people.py")
    at.text_input(key="erase_email").input("Lena@Initech.de")
    at.checkbox(key="erase_confirm").check()
    at.button[[b.label for b in at.button].index("Erase")].click().run()
    assert not at.error, [e.value for e in at.error]
    with engine.connect() as conn:
        left = conn.execute(select(captured_emails.c.id).where(
            captured_emails.c.workspace_id == seeded.workspace_a, captured_emails.c.from_email == "lena@initech.de")).all()
        contact = conn.execute(select(deals.c.contact_email).where(deals.c.id == seeded.big_deal)).scalar_one()
        erased = conn.execute(select(audit_log.c.subject_id).where(audit_log.c.action == "privacy.erase_person")).all()
    assert left == [] and contact is None and len(erased) == 1 and "lena" not in erased[0][0]


def test_non_admin_cannot_erase(engine: Engine, seeded: Seeded) -> None:
    user = principal(engine, "vic@acme.com")
    with pytest.raises(actions.PermissionDenied):
        actions.erase_person(engine, user, "lena@initech.de")
    with engine.connect() as conn:
        assert conn.execute(select(deals.c.contact_email).where(deals.c.id == seeded.big_deal)).scalar_one()
