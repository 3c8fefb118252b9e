"""Command center: the pipeline at a glance and how fresh the data behind it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard import charts, queries, session
from dashboard.display import ago, deal_page_link, deal_table, money

principal = session.require_principal()
now = datetime.now(UTC)
today_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
week_start = today_start - timedelta(days=today_start.weekday())

st.title("Command center")

stages = session.read(queries.pipeline_by_stage, principal)
won = session.read(queries.won_totals, principal, now.date())
open_value = float(stages["value"].sum()) if not stages.empty else 0.0

cols = st.columns(4)
cols[0].metric("Open pipeline", money(open_value), f"{int(stages['deals'].sum()) if not stages.empty else 0} deals",
               delta_color="off", delta_arrow="off")
cols[1].metric("Won this month", money(won.month_value), f"{won.month_deals} deals", delta_color="off", delta_arrow="off")
cols[2].metric("Won this quarter", money(won.quarter_value), f"{won.quarter_deals} deals", delta_color="off", delta_arrow="off")
new_insights = session.read(queries.new_insights_by_priority, principal, today_start)
cols[3].metric("New insights today", int(new_insights["insights"].sum()) if not new_insights.empty else 0)

left, right = st.columns([3, 2])
with left:
    st.subheader("Pipeline by stage")
    if stages.empty:
        st.info("No open deals yet. Connect a mailbox on the Integrations page; deals appear as mail is captured.")
    else:
        st.altair_chart(charts.pipeline_by_stage(stages), width="stretch")
with right:
    st.subheader("Today's insights by priority")
    if new_insights.empty:
        st.caption("No new insights today.")
    else:
        st.altair_chart(charts.insights_by_priority(new_insights), width="stretch")
        st.page_link("app_pages/insights.py", label="Open insights", icon=":material/arrow_forward:")
    st.subheader("Biggest open deals")
    for deal in session.read(queries.biggest_open_deals, principal).itertuples():
        deal_page_link(deal.id, f"{deal.company or deal.name} · {money(deal.value, deal.currency)} · {deal.stage}")

st.subheader("Deals detected automatically this week")
auto = session.read(queries.auto_created_deals, principal, week_start)
if auto.empty:
    st.caption("None this week.")
else:
    for col, row in zip(st.columns(len(auto)), auto.itertuples(), strict=True):
        col.metric(f"From {row.source}", int(row.deals), money(row.value), delta_color="off", delta_arrow="off")
    latest = session.read(queries.latest_auto_created, principal, week_start)
    deal_table(latest, "auto_deals", column_config={
        "value": st.column_config.NumberColumn(format="%.0f"),
        "confidence": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
    })

st.subheader("Freshness")
freshness = session.read(queries.pipeline_freshness, principal)
cols = st.columns(4)
cols[0].metric("Last capture", ago(freshness.last_capture))
cols[1].metric("Last extraction", ago(freshness.last_extraction))
cols[2].metric("Last health scoring", ago(freshness.last_health))
cols[3].metric("Last forecast", ago(freshness.last_forecast))
sources = session.read(queries.integrations_status, principal)
if sources.empty:
    st.caption("No integrations connected.")
else:
    sources["last sync"] = sources["last_sync_at"].map(ago)
    st.dataframe(sources[["provider", "account", "status", "last sync", "captured", "quarantined", "last_error"]],
                 hide_index=True, width="stretch")
