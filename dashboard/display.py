"""Small display helpers shared by the pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st


def money(value: float | None, currency: str | None = None) -> str:
    if value is None or pd.isna(value):
        return "—"
    text = f"{value / 1_000_000:,.2f}M" if abs(value) >= 1_000_000 else f"{value:,.0f}"
    return f"{text} {currency}" if currency else text


def ago(moment: Any) -> str:
    """'3 h ago' for a timestamp, 'never' for none; naive timestamps (SQLite) are UTC."""
    if moment is None or (not isinstance(moment, datetime) and pd.isna(moment)):
        return "never"
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize(UTC) if stamp.tzinfo is None else stamp
    seconds = (pd.Timestamp(datetime.now(UTC)) - stamp).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


DEAL_PAGE = "app_pages/deal.py"
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def md(text: object) -> str:
    """Text from mail, calendars or CRM files, escaped so Streamlit shows it literally.

    Unescaped, a subject like `![x](https://tracker/pixel)` would make every reader's
    browser fetch that URL, and `**` or `[...]( )` would restyle the page.
    """
    return re.sub(r"\s+", " ", str(text)).translate(_MARKDOWN_SPECIAL)


def deal_page_link(deal_id: Any, label: str) -> None:
    """A link to a deal that stays inside the app.

    A plain URL (markdown link, LinkColumn) reloads the browser tab, which starts a new
    Streamlit session and signs the person out; `st.page_link` navigates in place.
    """
    st.page_link(DEAL_PAGE, label=label, query_params={"deal": str(int(deal_id))}, icon=":material/open_in_new:")


def deal_table(frame: pd.DataFrame, key: str, **kwargs: Any) -> None:
    """A table of deals where picking a row opens that deal's page."""
    picked = st.dataframe(frame, hide_index=True, width="stretch", key=key, on_select="rerun",
                          selection_mode="single-row", **kwargs)
    rows = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
    if rows:
        st.switch_page(DEAL_PAGE, query_params={"deal": str(int(frame.iloc[rows[0]]["id"]))})
