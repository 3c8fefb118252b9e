"""What was known about a workspace's deals on a given day.

Every forecast, baseline and backtest goes through `view_as_of`, which is the
only place that decides what "known on day D" means:

* a deal exists from the day it was opened (or first stored when the source has
  no created date) — later deals are invisible;
* a close counts if it happened on or before D; a deal that closed later is
  still open on D, and its final status, date and amount are hidden;
* the amount at stake of a deal not closed by D is a reference price known on D
  (the median won amount of its product up to D), because the stored amount of a
  deal that closed later is its realised amount, which nobody knew on D.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from vectoros_pipelines.scoring.records import DealRecord

COLUMNS = ("id", "opened", "closed", "status", "value", "product")


def deals_frame(records: Iterable[DealRecord]) -> pd.DataFrame:
    """One row per deal: opened/closed as day timestamps, final status and stored value."""
    rows = []
    for r in records:
        opened = r.known_since
        closed = r.closed_on
        rows.append({
            "id": r.id,
            "opened": pd.Timestamp(opened).normalize() if opened else pd.NaT,
            "closed": pd.Timestamp(closed).normalize() if closed else pd.NaT,
            "status": r.status,
            "value": float(r.value) if r.value is not None else np.nan,
            "product": r.product or "",
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["opened"] = pd.to_datetime(frame["opened"]).dt.tz_localize(None) if len(frame) else frame["opened"]
    frame["closed"] = pd.to_datetime(frame["closed"]).dt.tz_localize(None) if len(frame) else frame["closed"]
    return frame


@dataclass(frozen=True)
class AsOfView:
    as_of: pd.Timestamp
    deals: pd.DataFrame  # visible deals; columns: id, opened, closed, status, value, product, stake

    @property
    def won(self) -> pd.DataFrame:
        return self.deals[self.deals["status"] == "won"]

    @property
    def closed(self) -> pd.DataFrame:
        return self.deals[self.deals["status"] != "open"]

    @property
    def open(self) -> pd.DataFrame:
        return self.deals[self.deals["status"] == "open"]

    @property
    def first_close(self) -> pd.Timestamp | None:
        """Start of the booking record: before it, zero bookings mean "not tracked", not "nothing sold"."""
        closes = self.closed["closed"]
        return None if closes.empty else closes.min()

    def daily_won(self) -> pd.Series:
        """Won revenue per day from the first recorded close through `as_of` (zeros included)."""
        start = self.first_close
        if start is None:
            return pd.Series(dtype=float)
        days = pd.date_range(start, self.as_of, freq="D")
        return self.won.groupby("closed")["value"].sum().reindex(days, fill_value=0.0)

    def open_at(self, day: pd.Timestamp) -> pd.DataFrame:
        """Deals open at an earlier `day`, judged only with what this view knows."""
        d = self.deals
        return d[(d["opened"] <= day) & (d["closed"].isna() | (d["closed"] > day))]


def view_as_of(frame: pd.DataFrame, as_of: date | pd.Timestamp) -> AsOfView:
    day = pd.Timestamp(as_of).normalize()
    visible = frame[frame["opened"].notna() & (frame["opened"] <= day)].copy()
    closed_by_then = visible["closed"].notna() & (visible["closed"] <= day) & (visible["status"] != "open")
    visible.loc[~closed_by_then, "status"] = "open"
    visible.loc[~closed_by_then, "closed"] = pd.NaT
    # A deal still open today keeps its own amount; one that closed after D must not reveal what it closed at.
    hidden = ~closed_by_then & (frame.loc[visible.index, "status"] != "open")
    visible.loc[hidden, "value"] = np.nan
    visible["stake"] = _reference_stake(visible)
    return AsOfView(as_of=day, deals=visible.reset_index(drop=True))


def _reference_stake(visible: pd.DataFrame) -> pd.Series:
    """Amount at stake known on the view's day: the product's median won amount, else the deal's own, else the median won."""
    won = visible[visible["status"] == "won"]
    by_product = won[won["value"] > 0].groupby("product")["value"].median()
    overall = float(won["value"].median()) if not won.empty else float(visible["value"].median() or 0.0)
    if np.isnan(overall):
        overall = 0.0
    stake = visible["product"].map(by_product)
    stake = stake.fillna(visible["value"]).fillna(overall)
    return stake.astype(float)
