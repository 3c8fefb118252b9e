"""Sign in with an e-mail address and password checked against the argon2 hashes in `users`."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, session

st.title("VectorOS")
st.caption("Revenue intelligence from your team's mail and calendars.")

with st.form("sign_in"):
    email = st.text_input("E-mail", key="sign_in_email")
    password = st.text_input("Password", type="password", key="sign_in_password")
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    found = session.with_connection(lambda conn: auth.sign_in(conn, email, password))
    if found:
        session.start_session(found)
        st.rerun()
    else:
        st.error("That e-mail and password do not match an account.")

if auth.trusted_header_enabled():
    st.info(f"Single sign-on is enabled: your proxy must send the {auth.TRUSTED_HEADER} header.")
