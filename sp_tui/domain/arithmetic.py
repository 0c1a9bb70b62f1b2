"""Report arithmetic: whole-number percentages rounded half up, as the published tables print."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> int | None:
    """part / whole as a whole-number percentage, rounded half up (84.5 -> 85);
    None when there is nothing to divide by."""
    if not whole:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
