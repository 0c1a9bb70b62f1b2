"""The dashboard's panels: report tables for the selected quarter, registered by each area."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.complaints import complaints_table
from sp_tui.reports.contract import table_1_1
from sp_tui.reports.qaf_tables import table_6, table_7, table_8
from sp_tui.reports.safeguarding import table_9
from sp_tui.reports.table2 import table2_trend
from sp_tui.reports.tables import ReportTable


@dataclass(frozen=True)
class Panel:
    panel_id: str
    build: Callable[[sqlite_utils.Database, Quarter], ReportTable]


# Each area appends its panels in the order the dashboard shows them.
DASHBOARD_PANELS: list[Panel] = [
    Panel("contract", table_1_1), Panel("table2", table2_trend),
    Panel("qaf6", table_6), Panel("qaf7", table_7), Panel("qaf8", table_8),
    Panel("complaints", complaints_table), Panel("safeguarding", table_9),
]
