"""The dashboard's panels, in the order it shows them: each builds a ReportTable from records.

Panels marked ``as_of_today`` take today's date as well (statuses that move with time).
``chart_row`` names a row of Percent cells that the dashboard also draws as bars against
``target``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sp_tui.domain.targets import WORKBOOKS_BY_DEADLINE_TARGET
from sp_tui.reports.complaints import complaints_table
from sp_tui.reports.contract import table_1_1
from sp_tui.reports.glance import open_cases_table, workbook_status_table
from sp_tui.reports.qaf_tables import table_6, table_7, table_8
from sp_tui.reports.safeguarding import table_9
from sp_tui.reports.table2 import table2_trend
from sp_tui.reports.tables import ReportTable


@dataclass(frozen=True)
class Panel:
    panel_id: str
    build: Callable[..., ReportTable]
    as_of_today: bool = False
    chart_row: str | None = None
    target: int | None = None


DASHBOARD_PANELS: list[Panel] = [
    Panel("workbook_status", workbook_status_table, as_of_today=True),
    Panel("table2", table2_trend, chart_row="By deadline", target=WORKBOOKS_BY_DEADLINE_TARGET),
    Panel("qaf6", table_6), Panel("qaf7", table_7),
    Panel("qaf8", table_8), Panel("open_cases", open_cases_table, as_of_today=True),
    Panel("complaints", complaints_table), Panel("safeguarding", table_9),
    Panel("contract", table_1_1),
]

from sp_tui.reports.kpis import kpi_panel  # noqa: E402

DASHBOARD_PANELS.append(Panel("kpis", kpi_panel))
