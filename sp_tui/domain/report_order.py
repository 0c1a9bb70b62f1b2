"""The published order of the Commissioning Body report's tables.

Each area places its quarter tables by naming a position from this list; the quarter export
and the report document sort by it, so the order lives here once.
"""

from __future__ import annotations

REPORT_POSITIONS: tuple[str, ...] = (
    "1.1", "1.2", "1.3", "1.4",          # Appendix 1: contractual data
    "2", "2-audits",                      # Table 2 and workbook audits (section 2)
    "2.1", "2.2", "2.3", "2.4", "2.5",    # Appendix 2: KPI 1 and KPI 2
    "measures",                           # business plan measures (report area)
    "A3-returns",                         # outcome returns made: counts behind the measures
    "A3", "A4", "A5.1", "A5.2", "A5.3", "A5.4", "A5.5",   # Appendices 3-5: outcomes
    "4.3", "4.4", "4.9", "4.10", "4.11",  # Appendix 6: reconnection
    "6", "7", "8",                        # QAF visits
    "complaints",                         # section 7
    "9", "9-service-types", "9-referrals",  # safeguarding alerts
)


def position_index(position: str) -> int:
    """Where a table goes; an unknown position is a programming error, named plainly."""
    try:
        return REPORT_POSITIONS.index(position)
    except ValueError:
        raise ValueError(f"unknown report position {position!r}; add it to REPORT_POSITIONS"
                         ) from None
