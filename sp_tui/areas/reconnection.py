"""Reconnection (Appendix 6): where people entering and leaving short-term services came from
and settled; Tables 4.3, 4.4, 4.9, 4.10 and 4.11, monthly returns."""

from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.demo import reconnection as demo
from sp_tui.imports import formats
from sp_tui.reports.reconnection import (
    missing_return_attention, reconnection_import_rows, reconnection_panel, return_import_rows,
    table_4_3, table_4_4, table_4_9, table_4_10, table_4_11,
)
from sp_tui.services.reconnection import import_reconnection, import_returns

AREA = Area(
    area_id="reconnection",
    title="Reconnection",
    imports=(
        ImportKind(formats.RECONNECTION_RETURNS, import_returns,
                   "Monthly reconnection returns received: service_ref, month (YYYY-MM),"
                   " received_date. A return with no movements is a nil return. A return"
                   " already recorded with the same date is skipped."),
        ImportKind(formats.RECONNECTION, import_reconnection,
                   "Reconnection movements, one row per person or per count: service_ref,"
                   " month (YYYY-MM), movement (in/out), client_group (blank = the service's),"
                   " origin, settled (leavers only); optional origin_area (names an origin out"
                   " of the county), count (default 1). Rows alike are added up and each total"
                   " is recorded as that count, so re-importing a file changes nothing."),
    ),
    data_sheets=(DataSheet("reconnection-returns", return_import_rows),
                 DataSheet("reconnection", reconnection_import_rows)),
    quarter_tables=(QuarterTable("4.3", table_4_3), QuarterTable("4.4", table_4_4),
                    QuarterTable("4.9", table_4_9), QuarterTable("4.10", table_4_10),
                    QuarterTable("4.11", table_4_11)),
    panels=(Panel("reconnection", reconnection_panel, order=45),),
    attention=(missing_return_attention,),
    demo=demo.generate,
)
