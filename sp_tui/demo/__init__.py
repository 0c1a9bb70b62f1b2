"""A realistic demo database: about 125 providers and 330 services per unit of scale.

Each area's generator lives in its own module here and is named in the area's declaration
(``sp_tui.areas``); ``sp_tui.areas.build_demo`` runs them in area order.

The demo is built relative to a day (the real date unless told otherwise): its latest quarter
is the one being chased on that day (its deadline passed a few days ago, reminders are due,
its default period is still running), and its history runs back from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sp_tui.domain.quarters import Quarter, quarter_of

DEADLINE_DAYS_AGO = 5


def chased_quarter(today: date) -> Quarter:
    """The latest quarter that closed at least 20 days before ``today``."""
    quarter = quarter_of(today).previous()
    while quarter.end + timedelta(days=DEADLINE_DAYS_AGO + 15) > today:
        quarter = quarter.previous()
    return quarter


@dataclass(frozen=True)
class DemoPlan:
    scale: int
    first_quarter: int
    last_quarter: int
    seed: int = 2009
    today: date = field(default_factory=date.today)

    @classmethod
    def for_scale(cls, scale: int, seed: int = 2009, today: date | None = None) -> DemoPlan:
        """Eight quarters a unit of scale (at most 40), ending at the quarter being chased
        ``today`` (Q19-Q26 for a today in November 2009, as the reports)."""
        today = today or date.today()
        count = min(40, 8 * scale)
        last = chased_quarter(today).number
        return cls(scale=scale, first_quarter=max(1, last - count + 1), last_quarter=last,
                   seed=seed, today=today)

    @property
    def deadline(self) -> date:
        """The latest quarter's deadline: just passed."""
        return self.today - timedelta(days=DEADLINE_DAYS_AGO)
