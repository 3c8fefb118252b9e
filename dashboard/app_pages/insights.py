"""Insights: open alerts with their evidence; acknowledge, dismiss or rate them (feedback the rules learn from)."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from dashboard import actions, queries, session
from dashboard.display import ago, deal_page_link, md

PAGE_SIZE = 20
PRIORITY_BADGE = {"high": ":red-badge[high]", "medium": ":orange-badge[medium]", "low": ":gray-badge[low]"}

principal = session.require_principal()
st.title("Insights")

options = session.read(queries.insight_filter_options, principal)
cols = st.columns(4)
kinds = cols[0].multiselect("Kind", options["kind"], key="insight_kind")
priorities = cols[1].multiselect("Priority", options["priority"], key="insight_priority")
owners = cols[2].multiselect("Owner", options["owner"], key="insight_owner")
statuses = cols[3].multiselect("Status", ["open", "acknowledged", "dismissed", "resolved"], default=["open"],
                               key="insight_status")
filters = queries.InsightFilters(tuple(kinds), tuple(priorities), tuple(owners), tuple(statuses))

page = int(st.session_state.get("insight_page", 0))
rows, total = session.read(queries.insights_page, principal, filters, PAGE_SIZE, page * PAGE_SIZE)
st.caption(f"{total} insights match · showing {page * PAGE_SIZE + 1 if total else 0}–{page * PAGE_SIZE + len(rows)}")

blocked = session.role_note(principal, "user")
if blocked:
    st.info(f"You can read insights; acting on them {blocked[0].lower() + blocked[1:]}")


def _show_json(label: str, value: Any) -> None:
    if not isinstance(value, dict | list) or not value:
        return
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        st.markdown(f"**{label}**\n" + "\n".join(f"- {md(v)}" for v in value))
    elif isinstance(value, dict) and all(not isinstance(v, dict | list) for v in value.values()):
        st.markdown(f"**{label}**\n" + "\n".join(f"- {md(k)}: {md(v)}" for k, v in value.items()))
    else:
        st.markdown(f"**{label}**")
        st.code(json.dumps(value, indent=2, default=str), language="json")


for insight in rows.itertuples():
    with st.container(border=True):
        head, meta = st.columns([4, 1])
        head.markdown(f"{PRIORITY_BADGE.get(insight.priority, md(insight.priority))} **{md(insight.title)}**")
        meta.caption(f"{insight.kind} · {ago(insight.detected_at)} · {insight.status}")
        if isinstance(insight.description, str) and insight.description:  # pandas turns a NULL into NaN
            st.markdown(md(insight.description))
        details = st.columns([2, 2, 1])
        with details[0]:
            _show_json("Evidence", insight.evidence)
        with details[1]:
            _show_json("Suggested actions", insight.actions)
        with details[2]:
            if insight.deal_id is not None and insight.deal_id == insight.deal_id:  # NaN-safe
                deal_page_link(insight.deal_id, insight.company or f"Deal {int(insight.deal_id)}")
            if isinstance(insight.owner, str) and insight.owner:
                st.caption(f"Owner: {insight.owner}")
        buttons = st.columns([1, 1, 1, 1, 2])
        acknowledge = buttons[0].button("Acknowledge", key=f"ack_{insight.id}",
                                        disabled=bool(blocked) or insight.status != "open")
        dismiss = buttons[1].button("Dismiss", key=f"dismiss_{insight.id}",
                                    disabled=bool(blocked) or insight.status not in ("open", "acknowledged"))
        rating = buttons[2].selectbox("Useful?", [5, 4, 3, 2, 1], key=f"rating_{insight.id}",
                                      format_func=lambda r: "★" * r, label_visibility="collapsed",
                                      disabled=bool(blocked))
        rate = buttons[3].button("Rate", key=f"rate_{insight.id}", disabled=bool(blocked))
        if acknowledge:
            done = session.act(actions.set_insight_status, principal, int(insight.id), "acknowledged",
                               success=f"Acknowledged: {insight.title}")
        elif dismiss:
            done = session.act(actions.set_insight_status, principal, int(insight.id), "dismissed",
                               success=f"Dismissed: {insight.title}")
        elif rate:
            done = session.act(actions.rate_insight, principal, int(insight.id), int(rating),
                               success=f"Rated {rating}/5 — thank you")
        else:
            continue
        if done.ok:
            st.rerun()

nav = st.columns([1, 1, 6])
if nav[0].button("← Previous", disabled=page == 0, key="insight_prev"):
    st.session_state["insight_page"] = page - 1
    st.rerun()
if nav[1].button("Next →", disabled=(page + 1) * PAGE_SIZE >= total, key="insight_next"):
    st.session_state["insight_page"] = page + 1
    st.rerun()
