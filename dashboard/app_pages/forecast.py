"""Forecast: likely / best / worst per horizon over time, accuracy against actuals, and what drives it."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboard import charts, queries, session
from dashboard.display import deal_table, money


def _pct(share: float | None) -> str:
    return f"{share:.0%}" if share is not None else "—"


principal = session.require_principal()
st.title("Forecast")

latest = session.read(queries.latest_forecast, principal)
if latest.empty:
    st.info("No forecast yet. The morning forecast schedule writes one each day at 08:00 in the workspace's time zone.")
    st.stop()

as_of = latest["as_of"].iloc[0]
currency = latest["currency"].dropna().iloc[0] if latest["currency"].notna().any() else None
st.caption(f"Latest forecast made on {as_of}")
for col, row in zip(st.columns(len(latest)), latest.itertuples(), strict=True):
    col.metric(f"Next {row.horizon_days} days — likely", money(row.likely, currency),
               f"worst {money(row.worst)} · best {money(row.best)}", delta_color="off", delta_arrow="off")

horizons = [int(h) for h in latest["horizon_days"]]
horizon = st.segmented_control("Horizon", options=horizons, default=horizons[0], format_func=lambda h: f"{h} days",
                               key="forecast_horizon") or horizons[0]

history = session.read(queries.forecast_history, principal, horizon)
st.subheader(f"{horizon}-day forecast over time")
st.altair_chart(charts.forecast_band(history), width="stretch")
st.caption("Band: worst to best case. Line: likely. Green points: what was actually booked in that window.")

test = queries.backtest(history)
st.subheader("Backtest")
if test.forecasts_scored == 0:
    st.caption("No forecast has reached its horizon yet, so there are no actuals to compare with.")
else:
    cols = st.columns(5)
    cols[0].metric("Forecasts scored", test.forecasts_scored)
    cols[1].metric("Error of likely (MAPE)", _pct(test.mape_likely))
    cols[2].metric("Actual inside the band", _pct(test.within_band))
    cols[3].metric("Run-rate baseline (MAPE)", _pct(test.mape_run_rate))
    cols[4].metric("Stage-weighted baseline (MAPE)", _pct(test.mape_weighted_pipeline))
    scored = history[history["actual"].notna()][["as_of", "worst", "likely", "best", "actual"]]
    with st.expander("Forecasts against actuals"):
        st.dataframe(scored.sort_values("as_of", ascending=False), hide_index=True, width="stretch")

st.subheader("What drives this forecast")
drivers = latest[latest["horizon_days"] == horizon]["drivers"].iloc[0]
if isinstance(drivers, list) and drivers:
    st.dataframe(pd.DataFrame([d if isinstance(d, dict) else {"driver": d} for d in drivers]), hide_index=True,
                 width="stretch")
elif isinstance(drivers, dict) and drivers:
    st.dataframe(pd.DataFrame({"driver": list(drivers), "value": list(drivers.values())}), hide_index=True,
                 width="stretch")
deals = session.read(queries.forecast_driving_deals, principal, datetime.now(UTC).date(), horizon)
st.caption(f"Open deals expected to close in the next {horizon} days, by expected value (value × win probability).")
if deals.empty:
    st.caption("No open deal has a close date in this window.")
else:
    deal_table(deals, "forecast_deals", column_config={
        "win_probability": st.column_config.ProgressColumn("Win probability", min_value=0.0, max_value=1.0,
                                                           format="%.2f"),
        "value": st.column_config.NumberColumn(format="%.0f"),
        "expected": st.column_config.NumberColumn("Expected", format="%.0f"),
    })
