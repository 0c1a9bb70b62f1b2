"""Business plan targets the dashboard and reports measure against (business plan s.4)."""

from __future__ import annotations

# Workbooks received by the deadline: 90% estimated for 2008/09, 92% for 2009/10 onwards.
WORKBOOKS_BY_DEADLINE = {"2008/09": 90}
WORKBOOKS_BY_DEADLINE_DEFAULT = 92


def workbook_deadline_target(financial_year: str) -> int:
    return WORKBOOKS_BY_DEADLINE.get(financial_year, WORKBOOKS_BY_DEADLINE_DEFAULT)
