"""Integrations: sources with their status and errors, connect Google accounts (OAuth) or a file source,
sync now, replay quarantined mail."""

from __future__ import annotations

import time

import streamlit as st

from dashboard import actions, oauth_connect, queries, session
from dashboard.display import ago

RUNS = "vectoros_sync_runs"
FINAL_STATES = {"SUCCESS", "FAILURE", "CANCELED"}

principal = session.require_principal()
blocked = session.role_note(principal, "admin")
st.title("Integrations")
# Google's redirect comes back to this page: finish it before the tables, so the new account is listed.
oauth_connect.handle_callback(principal)
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

GOOGLE_LINKS = "vectoros_google_consent_links"
CLI = ("vectoros integrations connect {provider} --workspace {workspace} --client-secrets client_secret.json")

st.subheader("Connect a Google account")
try:
    oauth_connect.configured_client_secrets()
    not_configured: str | None = None
except oauth_connect.NotConfigured as exc:
    not_configured = str(exc)
if not_configured:
    st.info(
        f"Signing in with Google from here is not set up: {not_configured}.\n\n"
        "To set it up, create an OAuth client of type **Web application** in Google Cloud Console "
        "(APIs & Services → Credentials), add "
        f"`{oauth_connect.redirect_uri()}` as an authorized redirect URI, enable the Gmail and Google Calendar "
        f"APIs, and start the dashboard with `{oauth_connect.CLIENT_SECRETS_ENV}` set to the downloaded JSON file "
        f"(and `{oauth_connect.DASHBOARD_URL_ENV}` to the address people open the dashboard at, if it is not "
        f"{oauth_connect.DEFAULT_DASHBOARD_URL})."
    )
    st.markdown("Meanwhile an admin can connect from a terminal on the VectorOS server (a **Desktop app** client):")
    for provider in ("gmail", "google-calendar"):
        st.code(CLI.format(provider=provider, workspace=principal.workspace_slug), language="bash")
else:
    st.caption("Read-only access to one mailbox or calendar. Google asks the account's owner to consent, then "
               "sends the browser back to this page, where the token is stored encrypted. A sign-in link works "
               f"once, for {oauth_connect.STATE_TTL_S // 60} minutes, and only for you in this workspace.")
    links: dict[tuple[int, str], oauth_connect.ConsentLink] = st.session_state.setdefault(GOOGLE_LINKS, {})
    google_left, google_right = st.columns([1, 2])
    with google_left:
        provider = st.radio("Account", list(oauth_connect.PROVIDERS), format_func=oauth_connect.PROVIDERS.__getitem__,
                            horizontal=True, key="google_provider")
        # Generating the link is the admin action (checked server-side); it is not done on every rerun
        # so each visit does not leave a pending sign-in behind.
        if st.button(f"Sign in with Google for {oauth_connect.PROVIDERS[provider]}", key="google_start",
                     disabled=bool(blocked)):
            started = session.act(oauth_connect.start_connection, principal, provider)
            if started.ok and started.value is not None:
                links[(principal.workspace_id, provider)] = started.value
    with google_right:
        link = links.get((principal.workspace_id, provider))
        if link is not None and link.expires_at > time.time():
            st.link_button(f"Continue to Google ({oauth_connect.PROVIDERS[provider]})", link.url, type="primary")
            st.caption("Google opens in a new tab and returns to the Integrations page there (sign in again if that "
                       "tab asks; the connection finishes right after). Or paste the address it returned to below.")
            with st.form("google_paste"):
                pasted = st.text_input("Address Google sent you back to", key="google_pasted",
                                       placeholder=f"{oauth_connect.redirect_uri()}?state=…&code=…")
                if st.form_submit_button("Finish connecting", disabled=bool(blocked)) and pasted.strip():
                    try:
                        code, state, error = oauth_connect.parse_pasted_redirect(pasted)
                    except oauth_connect.OAuthConnectError as exc:
                        st.error(str(exc))
                    else:
                        if error:
                            oauth_connect.abandon(state)
                            st.error(oauth_connect.describe_google_error(error))
                        else:
                            done = session.act_on_engine(oauth_connect.complete_connection, principal, code, state)
                            if done.ok and done.value is not None:
                                links.pop((principal.workspace_id, provider), None)
                                st.session_state[session.FLASH] = (
                                    f"Connected {oauth_connect.PROVIDERS[done.value.provider]} {done.value.account}; "
                                    "the next sensor tick syncs it")
                                st.rerun()
st.caption("IMAP mailboxes (Outlook / Microsoft 365 and other providers) connect only from the command line "
           "(`vectoros integrations connect imap`): typing a mailbox password into a web page would put it through "
           "the browser and this server's session, and the CLI tests the login before anything is saved.")

left, right = st.columns(2)
with left, st.form("connect_source"):
    st.markdown("**Connect a file or folder**")
    st.caption("mbox files, Maildir folders or .ics calendars on the VectorOS server. "
               "Google accounts connect above; IMAP mailboxes (Outlook / Microsoft 365) with `vectoros "
               "integrations connect imap`.")
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
