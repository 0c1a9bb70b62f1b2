"""A realistic demo database: about 125 providers and 330 services per unit of scale.

Each area adds its records through its own module in ``GENERATORS``; all use a seeded
random generator so the same scale gives the same database.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from sp_tui.demo import cases, contracts, registry, visits, workbooks

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoPlan:
    scale: int
    first_quarter: int
    last_quarter: int
    seed: int = 2009

    @classmethod
    def for_scale(cls, scale: int, seed: int = 2009) -> DemoPlan:
        """Scale 1 covers Q19-Q26 as the reports do; larger scales cover up to 40 quarters."""
        count = min(40, 8 * scale)
        last = max(26, count)
        return cls(scale=scale, first_quarter=last - count + 1, last_quarter=last, seed=seed)


# Each generator takes (db, plan, rng) and writes its records; order matters (services first).
GENERATORS: list[Callable[[sqlite_utils.Database, DemoPlan, random.Random], None]] = [
    registry.generate,
    contracts.generate,
    workbooks.generate,
    visits.generate,
    cases.generate,
]


def build_demo(db: sqlite_utils.Database, scale: int = 1, *, seed: int = 2009,
               progress: Progress | None = None) -> DemoPlan:
    if not 1 <= scale <= 200:
        raise ValueError("scale must be between 1 and 200")
    plan = DemoPlan.for_scale(scale, seed)
    rng = random.Random(seed)
    for generate in GENERATORS:
        if progress:
            progress(generate.__module__.rsplit(".", 1)[-1])
        generate(db, plan, rng)
    return plan
