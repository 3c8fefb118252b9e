"""Per-user quota accounting for the Gmail API.

Gmail allows 15,000 quota units per user per minute; messages.get costs 5, so
one mailbox can fetch at most 3,000 messages a minute. Spending ahead of the
limit (instead of waiting for 429s) keeps a large first sync from tripping the
limit for the user's other mail clients too.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# Units per method, from https://developers.google.com/gmail/api/reference/quota
GMAIL_UNITS = {
    "users.getProfile": 1,
    "users.messages.list": 5,
    "users.messages.get": 5,
    "users.history.list": 2,
}
GMAIL_UNITS_PER_USER_MINUTE = 15_000


@dataclass
class QuotaBudget:
    """A sliding 60-second window of units spent for one user."""

    units_per_minute: int = GMAIL_UNITS_PER_USER_MINUTE
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    spent_total: int = 0
    waited_s: float = 0.0
    _window: deque[tuple[float, int]] = field(default_factory=deque)

    def in_window(self) -> int:
        self._expire(self.clock())
        return sum(units for _, units in self._window)

    def spend(self, units: int) -> None:
        """Records `units`, first waiting until the last minute's spending leaves room for them."""
        if units > self.units_per_minute:
            raise ValueError(f"one request of {units} units exceeds the {self.units_per_minute}/min quota")
        while self.in_window() + units > self.units_per_minute:
            oldest_at = self._window[0][0]
            pause = max(0.0, oldest_at + 60.0 - self.clock())
            self.waited_s += pause
            self.sleep(pause)
            if pause == 0.0:
                self._window.popleft()
        self._window.append((self.clock(), units))
        self.spent_total += units

    def _expire(self, now: float) -> None:
        while self._window and self._window[0][0] <= now - 60.0:
            self._window.popleft()
