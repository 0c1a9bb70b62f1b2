"""The report itself: the business plan measures table and panel. The report document, the
consistency check and the Report screen are built over every area's tables."""

from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.imports import formats
from sp_tui.reports.measures import measures_table
from sp_tui.services.settings_transfer import import_settings, settings_rows

AREA = Area(
    area_id="report",
    title="Report",
    # the settings the report's tables read (after every area: they name service types)
    imports=(
        ImportKind(formats.SETTINGS, import_settings,
                   "Settings the reports read: setting, name, value. Settings: kpi target"
                   " (name 'KPI 1 2009/10', value a percentage), rag tolerance (value),"
                   " kpi service class (name a service type, value accommodation based or"
                   " floating support), outcome service type (name a service type, value one"
                   " of the six or none), alert nature (name). Re-importing changes nothing."),
    ),
    data_sheets=(DataSheet("settings", settings_rows),),
    quarter_tables=(QuarterTable("measures", measures_table),),
    panels=(Panel("measures", measures_table, order=50, wide=True),),
)
