"""Report arithmetic shared by every table: whole-number percentages, rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` as a whole-number percentage, halves rounded up (None if whole
    is 0). Decimal arithmetic: 0.5 must round up, which float round() does not promise."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def percent_text(value: int | None) -> str:
    return "" if value is None else f"{value}%"
