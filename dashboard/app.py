"""VectorOS dashboard entry point: sign-in gate, workspace switcher, page navigation.

Run with `streamlit run dashboard/app.py`. Pages live in `dashboard/app_pages/`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import session  # noqa: E402

PAGES = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="VectorOS", page_icon=":material/insights:", layout="wide")


def _sidebar(principal: session.Principal) -> None:
    with st.sidebar:
        memberships = session.switchable(principal)
        labels = {p.user_id: f"{p.workspace_name} ({p.role})" for p in memberships}
        if len(memberships) > 1:
            chosen = st.selectbox("Workspace", options=list(labels), index=list(labels).index(principal.user_id)
                                  if principal.user_id in labels else 0, format_func=labels.__getitem__,
                                  key="workspace_switcher")
            if chosen != principal.user_id:
                session.switch_to(next(p for p in memberships if p.user_id == chosen))
                st.rerun()
        else:
            st.markdown(f"**{principal.workspace_name}**")
        st.caption(f"Signed in as {principal.email} · {principal.role}")
        if st.button("Sign out", key="sign_out"):
            session.sign_out()
            st.rerun()


# Google's OAuth redirect opens a new session, which is signed out with password sign-in:
# keep its query string through sign-in and hand it to the Integrations page afterwards.
OAUTH_CALLBACK_KEYS = ("state", "code", "error", "scope")
PENDING_CALLBACK = "pending_oauth_callback"

principal = session.current_principal()
if principal is None:
    if "state" in st.query_params and ("code" in st.query_params or "error" in st.query_params):
        st.session_state[PENDING_CALLBACK] = {k: st.query_params[k] for k in OAUTH_CALLBACK_KEYS
                                              if k in st.query_params}
    navigation = st.navigation([st.Page(PAGES / "sign_in.py", title="Sign in", icon=":material/login:")])
else:
    _sidebar(principal)
    integrations_page = st.Page(PAGES / "integrations.py", title="Integrations", icon=":material/cable:")
    navigation = st.navigation({
        "Pipeline": [
            st.Page(PAGES / "command_center.py", title="Command center", icon=":material/dashboard:", default=True),
            st.Page(PAGES / "forecast.py", title="Forecast", icon=":material/trending_up:"),
            st.Page(PAGES / "insights.py", title="Insights", icon=":material/lightbulb:"),
            st.Page(PAGES / "deals.py", title="Deals", icon=":material/handshake:"),
            st.Page(PAGES / "deal.py", title="Deal", icon=":material/description:", url_path="deal",
                    visibility="hidden"),
        ],
        "Workspace": [
            integrations_page,
            st.Page(PAGES / "people.py", title="Workspaces & people", icon=":material/group:"),
        ],
    })
    pending = st.session_state.pop(PENDING_CALLBACK, None)
    if pending:
        st.switch_page(integrations_page, query_params=pending)
session.show_flash()
navigation.run()
