"""Monitoring visits and QAF grades: Tables 6, 7 and 8, action plans."""

from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.demo import visits as demo
from sp_tui.imports import formats
from sp_tui.reports.qaf_tables import table_6, table_7, table_8
from sp_tui.reports.visits import overdue_plan_reviews, visit_import_rows
from sp_tui.services.visits import import_visits

AREA = Area(
    area_id="visits",
    title="Visits",
    imports=(
        ImportKind(formats.VISITS, import_visits,
                   "QAF monitoring visits: service_ref, started_date, completed_date, officer,"
                   " existing_grade, self_assessed_grade, awarded_grade (blank grade = not"
                   " graded; blank completed_date = in progress); optional users_consulted,"
                   " notes, the five core-objective grades, plan_officer, plan_review_date."
                   " A row for a service and start date already recorded updates that"
                   " visit.", matches=True),
    ),
    data_sheets=(DataSheet("visits", visit_import_rows),),
    quarter_tables=(QuarterTable("6", table_6), QuarterTable("7", table_7),
                    QuarterTable("8", table_8)),
    panels=(Panel("qaf6", table_6, order=30, wide=True), Panel("qaf7", table_7, order=31),
            Panel("qaf8", table_8, order=32)),
    attention=(overdue_plan_reviews,),
    demo=demo.generate,
)
