"""Integrations: sources with their status and errors, connect a file source, sync now, replay quarantined mail."""

from __future__ import annotations

import streamlit as st

from dashboard import actions, queries, session
from dashboard.display import ago

RUNS = "vectoros_sync_runs"
FINAL_STATES = {"SUCCESS", "FAILURE", "CANCELED"}

principal = session.require_principal()
blocked = session.role_note(principal, "admin")
st.title("Integrations")
if blocked:
    st.info(f"You can see the integrations; managing them — connecting, syncing, replaying — {blocked[0].lower()}"
            f"{blocked[1:]}")

sources = session.read(queries.integrations_status, principal)
if sources.empty:
    st.caption("No sources connected yet.")
else:
    sources["last sync"] = sources["last_sync_at"].map(ago)
    st.dataframe(sources, hide_index=True, width="stretch",
                 column_order=["provider", "kind", "account", "status", "last sync", "captured", "quarantined",
                               "last_error"])

    connected = sources[sources["status"] != "disconnected"]
    if not connected.empty:
        with st.expander("Disconnect a source"):
            labels = {int(r.id): f"{r.provider} · {r.account}" for r in connected.itertuples()}
            target = st.selectbox("Source", list(labels), format_func=labels.__getitem__, key="disconnect_pick")
            st.caption("Syncing stops and its stored token is destroyed; mail already captured stays.")
            if st.button("Disconnect", key="disconnect", disabled=bool(blocked)) and session.act(
                    actions.disconnect_integration, principal, int(target), success=f"Disconnected {labels[target]}").ok:
                st.rerun()

left, right = st.columns(2)
with left, st.form("connect_source"):
    st.markdown("**Connect a file or folder**")
    st.caption("mbox files, Maildir folders or .ics calendars on the VectorOS server. "
               "Google and Microsoft accounts connect through their OAuth sign-in (`vectoros connect`).")
    kind = st.radio("Holds", ["mail", "calendar"], horizontal=True, key="connect_kind")
    path = st.text_input("Absolute path", key="connect_path", placeholder="/srv/exports/sales.mbox")
    if st.form_submit_button("Connect", disabled=bool(blocked)) and session.act(
            actions.connect_file_source, principal, kind, path, success=f"Connected {path}").ok:
        st.rerun()

with right:
    st.markdown("**Sync now**")
    st.caption("Launches this month's capture for this workspace on the Dagster webserver.")
    # The role is checked before Dagster is asked: a launched run cannot be rolled back.
    # dagster_runs imports the Dagster client (~1 s): only when a sync is asked for or being watched.
    if st.button("Sync now", key="sync_now", disabled=bool(blocked), type="primary") and session.act(
            actions.may_sync, principal).ok:
        from dashboard import dagster_runs

        try:
            run = dagster_runs.launch_sync(principal.workspace_slug, principal.email)
        except dagster_runs.DagsterUnavailable as exc:
            st.error(f"Could not start the sync: {exc}")
        else:
            session.act(actions.record_sync_request, principal, run.run_id, run.partition)
            st.session_state.setdefault(RUNS, []).insert(0, run)
    for run in st.session_state.get(RUNS, [])[:5]:
        from dashboard import dagster_runs

        try:
            status = dagster_runs.run_status(run.run_id)
        except dagster_runs.DagsterUnavailable as exc:
            status = f"unknown ({exc})"
        icon = {"SUCCESS": "✅", "FAILURE": "❌", "CANCELED": "⏹"}.get(status, "⏳")
        st.markdown(f"{icon} [{run.run_id[:8]}]({run.url}) · partition `{run.partition}` · **{status}**")
    if any(True for _ in st.session_state.get(RUNS, [])):
        st.button("Refresh status", key="sync_refresh")

st.subheader("Recent syncs")
syncs = session.read(queries.recent_syncs, principal)
if syncs.empty:
    st.caption("No syncs recorded yet.")
else:
    st.dataframe(syncs, hide_index=True, width="stretch")

st.subheader("Quarantined messages")
quarantined = session.read(queries.quarantined_items, principal)
if quarantined.empty:
    st.caption("Nothing quarantined: every captured message was processed or is waiting its turn.")
else:
    st.caption("These failed three times. Fix the cause (or upgrade VectorOS), then replay them: they go back to "
               "pending and the next run tries again.")
    picked = st.dataframe(quarantined, hide_index=True, width="stretch", key="quarantine_table", on_select="rerun",
                          selection_mode="multi-row")
    rows = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
    chosen = quarantined.iloc[rows] if rows else quarantined
    label = f"Replay {len(rows)} selected" if rows else f"Replay all {len(quarantined)} shown"
    if st.button(label, key="replay", disabled=bool(blocked)):
        replayed = 0
        for kind, group in chosen.groupby("kind"):
            outcome = session.act(actions.replay_quarantined, principal, str(kind), [int(i) for i in group["id"]])
            replayed += outcome.value or 0
        if replayed:
            st.session_state[session.FLASH] = f"{replayed} messages sent back to pending"
            st.rerun()
