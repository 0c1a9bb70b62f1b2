"""Business plan targets the dashboard and reports measure against (business plan s.4)."""

from __future__ import annotations

from decimal import Decimal

# Workbooks received by the deadline: 92% for 2009/10 (the 2008/09 estimate was 90%).
WORKBOOKS_BY_DEADLINE_TARGET = 92

# By financial year (the business plan's 2008/09 estimate and 2009/10 target); a later year
# keeps the latest target until the plan sets a new one.
WORKBOOKS_BY_DEADLINE_TARGETS = {"2008/09": 90, "2009/10": WORKBOOKS_BY_DEADLINE_TARGET}

# A measure within this many points below its target is amber; further below, red.
AMBER_POINTS = 5


def target_for_year(targets: dict[str, int], financial_year: str) -> int | None:
    """The year's target, else the latest earlier year's (None before the first)."""
    years = sorted(y for y in targets if y <= financial_year)
    return targets[years[-1]] if years else None


def rag_rating(value: float | Decimal | None, target: float | Decimal | None) -> str:
    """"Green" at or above the target, "Amber" within AMBER_POINTS below, else "Red";
    "" when there is no figure or no target."""
    if value is None or target is None:
        return ""
    if value >= target:
        return "Green"
    return "Amber" if value >= target - AMBER_POINTS else "Red"
