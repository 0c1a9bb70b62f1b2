"""A realistic demo database: about 125 providers and 330 services per unit of scale.

Each area's generator lives in its own module here and is named in the area's declaration
(``sp_tui.areas``); ``sp_tui.areas.build_demo`` runs them in area order.
"""

from __future__ import annotations

from dataclasses import dataclass


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
