"""The report itself: the business plan measures table and panel. The report document, the
consistency check and the Report screen are built over every area's tables."""

from sp_tui.areas.base import Area, Panel, QuarterTable
from sp_tui.reports.measures import measures_table

AREA = Area(
    area_id="report",
    title="Report",
    quarter_tables=(QuarterTable("measures", measures_table),),
    panels=(Panel("measures", measures_table, order=50, wide=True),),
)
