"""Each workspace's insight thresholds, tuned by how often its people dismiss each kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

MIN_FEEDBACK = 5  # below this, a dismiss rate is noise
TIGHTEN_AT = 0.5  # more than half dismissed: the rule fires too easily for this team
MUTE_AT = 0.8  # almost all dismissed: lower its priority as well


@dataclass(frozen=True)
class Thresholds:
    stale_days: int = 14
    at_risk_health: float = 40.0
    forecast_change: float = 0.10
    single_threaded_min_age_days: int = 14
    new_deal_days: int = 3
    upsell_lookback_days: int = 180
    min_confidence: float = 0.0
    demoted: frozenset[str] = frozenset()  # kinds whose priority drops one level


@dataclass(frozen=True)
class FeedbackStats:
    dismissed: int
    total: int

    @property
    def dismiss_rate(self) -> float:
        return self.dismissed / self.total if self.total else 0.0


def tuned(stats: Mapping[str, FeedbackStats], base: Thresholds | None = None) -> Thresholds:
    """Stricter thresholds for the kinds this workspace keeps dismissing."""
    t = base or Thresholds()
    demoted = set(t.demoted)
    for kind, s in stats.items():
        if s.total < MIN_FEEDBACK or s.dismiss_rate <= TIGHTEN_AT:
            continue
        # The stricter, the more is dismissed: ×1.5 at a 50 % dismiss rate, ×2 when all are.
        factor = 1.0 + s.dismiss_rate
        if kind == "stale_deal":
            t = replace(t, stale_days=round(t.stale_days * factor))
        elif kind == "at_risk":
            t = replace(t, at_risk_health=t.at_risk_health / factor)
        elif kind == "forecast_change":
            t = replace(t, forecast_change=t.forecast_change * factor)
        elif kind == "single_threaded":
            t = replace(t, single_threaded_min_age_days=round(t.single_threaded_min_age_days * factor))
        if s.dismiss_rate >= MUTE_AT:
            demoted.add(kind)
    return replace(t, demoted=frozenset(demoted))
