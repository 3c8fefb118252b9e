"""One deal: health and its drivers, the emails and meetings behind it with their evidence, its history, fixes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import actions, charts, queries, session
from dashboard.display import ago, deal_page_link, md, money

KIND_ICONS = {"email_in": ":material/call_received:", "email_out": ":material/call_made:",
              "email_internal": ":material/forum:", "meeting": ":material/event:", "crm": ":material/database:"}

principal = session.require_principal()

raw_id = st.query_params.get("deal", "")
deal_id = int(raw_id) if raw_id.isdigit() else None
# Looked up with the signed-in workspace: another workspace's id reads exactly like an unknown one.
deal = session.read_fresh(queries.get_deal, principal, deal_id) if deal_id is not None else None
if deal is None:
    st.title("Deal")
    st.warning(f"No deal {raw_id!r} in {principal.workspace_name}." if raw_id else "No deal chosen.")
    st.page_link("app_pages/deals.py", label="Back to deals", icon=":material/arrow_back:")
    st.stop()

assert deal_id is not None
st.title(deal["company"] or deal["name"] or f"Deal {deal_id}")
if deal["merged_into"] is not None:
    st.warning(f"This deal was merged into deal {deal['merged_into']}.")
    deal_page_link(deal["merged_into"], f"Open deal {deal['merged_into']}")

corrected = set((deal.get("corrections") or {}).keys())


def _label(field: str) -> str:
    return f"{field.replace('_', ' ')} ✎" if field in corrected else field.replace("_", " ")


cols = st.columns(5)
cols[0].metric(_label("value"), money(deal["value"], deal["currency"]))
cols[1].metric(_label("stage"), deal["stage"])
cols[2].metric(_label("status"), deal["status"])
cols[3].metric(_label("close_date"), str(deal["close_date"] or "—"))
cols[4].metric("last activity", ago(deal["last_activity_at"]))
st.caption(
    f"Contact: {deal['contact_name'] or ''} {deal['contact_email'] or '—'} · Product: {deal['product'] or '—'} · "
    f"Owner: {deal['owner_email'] or '—'} · Domain: {deal['domain'] or '—'} · Source: {deal['source']}"
    + (f" (confidence {deal['confidence']:.2f})" if deal["confidence"] is not None else "")
    + (" · ✎ corrected by hand" if corrected else "")
)

overview, timeline_tab, history_tab, fix_tab = st.tabs(["Health", "Timeline", "Audit trail", "Correct & merge"])

with overview:
    health = session.read(queries.deal_health, principal, deal_id)
    if health is None:
        st.caption("Not scored yet; the hourly monitor scores open deals.")
    else:
        left, right = st.columns([1, 2])
        left.metric("Health", f"{health.score:.0f} / 100", f"win probability {health.win_probability:.0%}",
                    delta_color="off", delta_arrow="off")
        left.caption(f"as of {health.as_of} · model {health.model_version or '—'}")
        right.altair_chart(charts.health_history(health.history), width="stretch")
        drivers = pd.DataFrame(health.drivers)
        if not drivers.empty:
            label = next((c for c in ("driver", "feature", "name", "label") if c in drivers), drivers.columns[0])
            value = next((c for c in ("impact", "contribution", "weight", "shap", "value")
                          if c in drivers and pd.api.types.is_numeric_dtype(drivers[c])), None)
            st.markdown("**Why this score**")
            if value:
                st.altair_chart(charts.drivers(drivers, label, value), width="stretch")
            st.dataframe(drivers, hide_index=True, width="stretch")

with timeline_tab:
    items = session.read_fresh(queries.deal_timeline, principal, deal_id)
    if not items:
        st.caption("No emails or meetings linked yet.")
    for item in items:
        with st.container(border=True):
            st.markdown(f"{KIND_ICONS.get(item.kind, '')} **{md(item.title)}**")
            st.caption(f"{item.occurred_at:%Y-%m-%d %H:%M} UTC · {item.kind} · " + md(", ".join(item.people[:6]))
                       + (f" +{len(item.people) - 6}" if len(item.people) > 6 else ""))
            if item.facts:
                st.markdown("**Extracted**" + (f" (confidence {item.confidence:.2f})" if item.confidence else ""))
                lines = []
                for fact in item.facts:
                    if fact.context:
                        before, span, after = fact.context
                        source = f" — from {fact.source_field}: {md(before)}:blue-background[**{md(span)}**]{md(after)}"
                    else:
                        source = f" — “{md(fact.span_text)}”" if fact.span_text else ""
                    lines.append(f"- `{fact.field}` = **{md(fact.value)}**{source}")
                st.markdown("\n".join(lines))
            if item.summary:
                with st.expander("Text"):
                    st.text(item.summary)

with history_tab:
    trail = session.read_fresh(queries.deal_audit_trail, principal, deal_id)
    if trail.empty:
        st.caption("No changes recorded.")
    else:
        st.dataframe(trail, hide_index=True, width="stretch")

with fix_tab:
    blocked = session.role_note(principal, "user")
    if blocked:
        st.info(blocked)
    with st.form("correct_field"):
        st.markdown("**Correct a field** — your value wins over later automatic updates.")
        field = st.selectbox("Field", list(actions.CORRECTABLE_FIELDS), key="correct_field_name")
        value = st.text_input("New value", key="correct_field_value",
                              help="Numbers for value, YYYY-MM-DD for close_date, one of the stages for stage.")
        if st.form_submit_button("Save correction", disabled=bool(blocked)) and session.act(
                actions.correct_deal_field, principal, deal_id, field, value,
                success=f"{field} corrected").ok:
            st.rerun()

    if deal["merged_into"] is not None:
        if st.button("Undo merge", key="undo_merge", disabled=bool(blocked)) and session.act_on_engine(
                actions.unmerge_deal, principal, deal_id, success="Merge undone").ok:
            st.rerun()
    else:
        st.markdown("**Merge a duplicate into this deal**")
        term = st.text_input("Find the duplicate", placeholder="company or deal id", key="merge_search")
        choices = session.read(queries.deal_choices, principal, term, deal_id) if term else pd.DataFrame()
        if not choices.empty:
            labels = {int(r.id): f"#{r.id} {r.company} · {money(r.value)} · {r.stage}" for r in choices.itertuples()}
            duplicate = st.selectbox("Duplicate deal", list(labels), format_func=labels.__getitem__, key="merge_pick")
            if st.button("Merge into this deal", key="merge_go", disabled=bool(blocked)) and session.act_on_engine(
                    actions.merge_deals, principal, int(duplicate), deal_id,
                    success=f"Deal {duplicate} merged into this one").ok:
                st.rerun()
        children = session.read(queries.merged_children, principal, deal_id)
        if not children.empty:
            st.markdown("**Deals merged into this one**")
            for child in children.itertuples():
                c1, c2 = st.columns([4, 1])
                c1.write(f"#{child.id} {child.company} · {money(child.value)} · {child.stage}")
                if c2.button("Undo", key=f"unmerge_{child.id}", disabled=bool(blocked)) and session.act_on_engine(
                        actions.unmerge_deal, principal, int(child.id), success=f"Deal {child.id} restored").ok:
                    st.rerun()
