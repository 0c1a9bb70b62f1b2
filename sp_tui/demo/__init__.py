"""A realistic demo database: about 125 providers and 330 services per unit of scale.

Each area adds its records through its own module in ``GENERATORS``; all use a seeded
random generator so the same scale gives the same database.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlite_utils

from sp_tui.demo import cases, registry, visits, workbooks
from sp_tui.domain.quarters import Quarter, quarter_of

Progress = Callable[[str], None]


# The demo's latest quarter is the one being chased on its ``today``: its deadline passed
# a few days ago, reminders are due, and its default period is still running.
DEADLINE_DAYS_AGO = 5
DEFAULT_PERIOD_DAYS = 14


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


# Each generator takes (db, plan, rng) and writes its records; order matters (services first).
GENERATORS: list[Callable[[sqlite_utils.Database, DemoPlan, random.Random], None]] = [
    registry.generate,
    workbooks.generate,
    visits.generate,
    cases.generate,
]


def build_demo(db: sqlite_utils.Database, scale: int = 1, *, seed: int = 2009,
               progress: Progress | None = None, today: date | None = None) -> DemoPlan:
    """The demo as it stands on ``today`` (default: the real date)."""
    if not 1 <= scale <= 200:
        raise ValueError("scale must be between 1 and 200")
    plan = DemoPlan.for_scale(scale, seed, today)
    rng = random.Random(seed)
    for generate in GENERATORS:
        if progress:
            progress(generate.__module__.rsplit(".", 1)[-1])
        generate(db, plan, rng)
    return plan
