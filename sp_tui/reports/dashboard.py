"""The dashboard's panels: report tables for the selected quarter, registered by each area."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.contract import table_1_1
from sp_tui.reports.tables import ReportTable


@dataclass(frozen=True)
class Panel:
    panel_id: str
    build: Callable[[sqlite_utils.Database, Quarter], ReportTable]


# Each area appends its panels in the order the dashboard shows them.
DASHBOARD_PANELS: list[Panel] = [Panel("contract", table_1_1)]

from sp_tui.reports.table2 import table2_trend  # noqa: E402

DASHBOARD_PANELS.append(Panel("table2", table2_trend))
