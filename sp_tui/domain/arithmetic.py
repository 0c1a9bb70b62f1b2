"""Report arithmetic shared by every table."""

from __future__ import annotations


def percent(part: int, whole: int) -> int | None:
    """``part`` as a whole-number percentage of ``whole``, rounded half up (2/26 -> 8).

    Integer arithmetic, so 12.5 always becomes 13 (no float or banker's rounding).
    None when ``whole`` is 0: there is nothing to be a percentage of.
    """
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)
