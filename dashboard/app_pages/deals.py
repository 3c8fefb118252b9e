"""Deals: the pipeline as a searchable, sortable table paged through the database."""

from __future__ import annotations

import streamlit as st

from dashboard import queries, session
from dashboard.actions import STAGES, STATUSES
from dashboard.display import deal_table

SORT_LABELS = {"value": "Value", "last_activity_at": "Last activity", "close_date": "Close date",
               "company": "Company", "stage": "Stage", "created_at": "Created", "id": "Id"}

principal = session.require_principal()
st.title("Deals")

cols = st.columns([3, 2, 2, 2, 1])
search = cols[0].text_input("Search", placeholder="company, contact, domain, product or deal id", key="deal_search")
stages = cols[1].multiselect("Stage", STAGES, key="deal_stages")
statuses = cols[2].multiselect("Status", STATUSES, default=["open"], key="deal_statuses")
sort = cols[3].selectbox("Sort by", list(SORT_LABELS), format_func=SORT_LABELS.__getitem__, key="deal_sort")
descending = cols[4].toggle("Desc.", value=True, key="deal_desc")

page_size = 50
filters = (search, tuple(stages), tuple(statuses), sort, descending)
if st.session_state.get("deal_filters") != filters:  # a new search starts at its first page
    st.session_state["deal_filters"] = filters
    st.session_state["deal_page"] = 0
page = int(st.session_state.get("deal_page", 0))

query = queries.DealQuery(search=search, stages=tuple(stages), statuses=tuple(statuses), sort=sort,
                          descending=descending, page=page, page_size=page_size)
rows, total = session.read(queries.deals_page, principal, query)
pages = max(1, -(-total // page_size))
st.caption(f"{total:,} deals · page {page + 1} of {pages:,}")

st.caption("Pick a row to open the deal.")
deal_table(
    rows, "deal_table",
    column_order=["id", "company", "name", "health", "stage", "status", "value", "currency", "close_date", "owner",
                  "contact", "source", "last_activity_at"],
    column_config={
        "health": st.column_config.ProgressColumn("Health", min_value=0, max_value=100, format="%.0f"),
        "value": st.column_config.NumberColumn("Value", format="%.0f"),
        "last_activity_at": st.column_config.DatetimeColumn("Last activity", format="YYYY-MM-DD HH:mm"),
    },
)

nav = st.columns([1, 1, 2, 4])
if nav[0].button("← Previous", disabled=page == 0, key="deal_prev"):
    st.session_state["deal_page"] = page - 1
    st.rerun()
if nav[1].button("Next →", disabled=page + 1 >= pages, key="deal_next"):
    st.session_state["deal_page"] = page + 1
    st.rerun()
