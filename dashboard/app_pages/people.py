"""Workspaces & people: who has access with which role, and new workspaces (admins only)."""

from __future__ import annotations

from zoneinfo import available_timezones

import streamlit as st

from dashboard import actions, session
from dashboard.actions import ActionError
from vectoros_pipelines.storage.workspaces import ROLES, list_users

principal = session.require_principal()
blocked = session.role_note(principal, "admin")
st.title("Workspaces & people")
st.caption(f"Workspace **{principal.workspace_name}** (`{principal.workspace_slug}`) · you are {principal.role}")

people = session.with_connection(lambda conn: list_users(conn, principal.workspace_id))
st.dataframe([{"id": u.id, "email": u.email, "name": u.name, "role": u.role} for u in people], hide_index=True,
             width="stretch")
if blocked:
    st.info(blocked)

left, right = st.columns(2)
with left, st.form("save_user"):
    st.markdown("**Add a person or change a role**")
    email = st.text_input("E-mail", key="user_email")
    name = st.text_input("Name", key="user_name")
    role = st.selectbox("Role", ROLES, index=1, key="user_role")
    password = st.text_input("Password (leave empty to keep)", type="password", key="user_password")
    if st.form_submit_button("Save", disabled=bool(blocked)) and session.act(
            actions.save_user, principal, email, name, role, password or None, success=f"Saved {email}").ok:
        st.rerun()

with right:
    st.markdown("**Remove a person**")
    others = {u.id: f"{u.email} ({u.role})" for u in people if u.id != principal.user_id}
    if others:
        victim = st.selectbox("Person", list(others), format_func=others.__getitem__, key="remove_user_pick")
        confirm = st.checkbox("Yes, remove their access", key="remove_user_confirm")
        if st.button("Remove", key="remove_user", disabled=bool(blocked) or not confirm) and session.act(
                actions.remove_user, principal, int(victim), success=f"Removed {others[victim]}").ok:
            st.rerun()
    else:
        st.caption("Nobody else has access.")

st.subheader("Erase a person's data (GDPR)")
with st.form("erase_person"):
    st.caption("Deletes every message and meeting they took part in, their account and their name on deals, "
               "in this workspace only. An audit row records the erasure (with a hash, not the address).")
    erase_email = st.text_input("Their e-mail address", key="erase_email")
    erase_confirm = st.checkbox("Yes, erase it — this cannot be undone", key="erase_confirm")
    if st.form_submit_button("Erase", disabled=bool(blocked)) and erase_confirm:
        outcome = session.act_on_engine(actions.erase_person, principal, erase_email,
                                        success=f"Erased the data of {erase_email}")
        if outcome.ok:
            st.rerun()

st.subheader("New workspace")
with st.form("new_workspace"):
    ws_name = st.text_input("Company name", key="ws_name")
    ws_domains = st.text_input("Its own mail domains (comma-separated)", key="ws_domains", placeholder="acme.com")
    zones = sorted(available_timezones())
    ws_tz = st.selectbox("Time zone", zones, index=zones.index("UTC"), key="ws_tz")
    if st.form_submit_button("Create workspace", disabled=bool(blocked)):
        try:
            slug = actions.create_workspace(session.engine(), principal, ws_name,
                                            [d for d in ws_domains.split(",") if d.strip()], ws_tz)
        except ActionError as exc:
            st.error(str(exc))
        else:
            mine = next(p for p in session.with_connection(
                lambda conn: session.auth.memberships(conn, principal.email)) if p.workspace_slug == slug)
            session.allow(mine.user_id)
            session.clear_cache()
            st.session_state[session.FLASH] = f"Workspace {slug} created; switch to it in the sidebar."
            st.rerun()
