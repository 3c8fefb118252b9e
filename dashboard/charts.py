"""The dashboard's charts (Altair), each built from a small DataFrame a query returned."""

from __future__ import annotations

import altair as alt
import pandas as pd

PRIORITY_COLORS = alt.Scale(domain=["high", "medium", "low"], range=["#d62728", "#ff7f0e", "#9e9e9e"])


def pipeline_by_stage(frame: pd.DataFrame) -> alt.Chart:
    order = frame["stage"].tolist()
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="Open pipeline value"),
            y=alt.Y("stage:N", sort=order, title=None),
            tooltip=["stage", alt.Tooltip("deals:Q", title="deals"), alt.Tooltip("value:Q", format=",.0f")],
        )
        .properties(height=max(120, 32 * len(frame)))
    )


def insights_by_priority(frame: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("insights:Q", title="New insights today", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("priority:N", sort=["high", "medium", "low"], title=None),
            color=alt.Color("priority:N", scale=PRIORITY_COLORS, legend=None),
            tooltip=["priority", "insights"],
        )
        .properties(height=110)
    )


def forecast_band(history: pd.DataFrame) -> alt.LayerChart:
    """Worst-to-best band with the likely line, and the actual bookings as points once known."""
    base = alt.Chart(history).encode(x=alt.X("as_of:T", title="Forecast made on"))
    band = base.mark_area(opacity=0.25, color="#1f77b4").encode(
        y=alt.Y("worst:Q", title="Revenue in horizon"), y2="best:Q",
        tooltip=[alt.Tooltip("as_of:T"), alt.Tooltip("worst:Q", format=",.0f"), alt.Tooltip("best:Q", format=",.0f")],
    )
    likely = base.mark_line(color="#1f77b4", strokeWidth=2).encode(
        y="likely:Q", tooltip=[alt.Tooltip("as_of:T"), alt.Tooltip("likely:Q", format=",.0f")])
    actual = base.transform_filter("isValid(datum.actual)").mark_point(color="#2ca02c", filled=True, size=50).encode(
        y="actual:Q", tooltip=[alt.Tooltip("as_of:T"), alt.Tooltip("actual:Q", format=",.0f", title="actual")])
    return (band + likely + actual).properties(height=320)


def health_history(history: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(history)
        .mark_line(point=True)
        .encode(x=alt.X("as_of:T", title=None, axis=alt.Axis(format="%b %d", tickCount="day")), y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="Health"),
                tooltip=["as_of:T", "score:Q"])
        .properties(height=160)
    )


def drivers(frame: pd.DataFrame, label: str, value: str) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title="Impact"),
            y=alt.Y(f"{label}:N", sort="-x", title=None),
            color=alt.condition(f"datum['{value}'] >= 0", alt.value("#2ca02c"), alt.value("#d62728")),
            tooltip=[label, value],
        )
        .properties(height=max(120, 40 * len(frame)))
    )
