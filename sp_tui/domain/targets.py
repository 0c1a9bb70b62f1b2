"""Business plan targets the dashboard and reports measure against (business plan s.4)."""

from __future__ import annotations

# Workbooks received by the deadline: 92% for 2009/10 (the 2008/09 estimate was 90%).
WORKBOOKS_BY_DEADLINE_TARGET = 92
