"""Quarterly workbooks: receipts, reminders, defaults, audits; Table 2."""

from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.demo import workbooks as demo
from sp_tui.domain.targets import WORKBOOKS_BY_DEADLINE_TARGET
from sp_tui.imports import formats
from sp_tui.reports import workbooks as reports
from sp_tui.reports.glance import workbook_status_table
from sp_tui.reports.table2 import table2_report, table2_trend
from sp_tui.services import workbook_history as history
from sp_tui.services import workbook_imports as imports

AREA = Area(
    area_id="workbooks",
    title="Workbooks",
    imports=(
        ImportKind(formats.QUARTERS, history.import_quarters,
                   "Quarter dates: quarter, deadline, default_end (as `sp-tui quarter set`)."),
        ImportKind(formats.WORKBOOKS, imports.import_workbooks,
                   "Workbook receipts: service_ref, quarter, received_date (blank: not"
                   " received), excused (blank or the reason)."),
        ImportKind(formats.REMINDERS, imports.import_reminders,
                   "Reminders sent: service_ref, quarter, sent_date."),
        ImportKind(formats.DEFAULTS, imports.import_defaults,
                   "Default notices issued: service_ref, quarter, issued_date; withdrawn ones"
                   " with withdrawn_date and withdrawn_reason."),
        ImportKind(formats.REJECTIONS, history.import_rejections,
                   "Rejected submissions: service_ref, quarter, received_date, rejected_on,"
                   " reason, pending (yes: awaiting resubmission), undone_at."),
        ImportKind(formats.AUDITS, imports.import_audits,
                   "Workbook audits: service_ref, quarter, audit_date, officer, assurance"
                   " (high, medium or low), notes. A row already recorded is skipped.",
                   matches=True),
    ),
    data_sheets=(
        DataSheet("quarters", reports.quarter_import_rows),
        DataSheet("workbooks", reports.workbook_import_rows),
        DataSheet("reminders", reports.reminder_import_rows),
        DataSheet("defaults", reports.default_import_rows),
        DataSheet("rejections", reports.rejection_import_rows),
        DataSheet("audits", reports.audit_import_rows),
    ),
    quarter_tables=(
        QuarterTable("2", table2_report),
        QuarterTable("2-audits", reports.workbook_audits_report),
    ),
    panels=(
        Panel("workbook_status", workbook_status_table, order=10, as_of_today=True),
        Panel("table2", table2_trend, order=20, chart_row="By deadline",
              target=WORKBOOKS_BY_DEADLINE_TARGET),
    ),
    attention=(reports.workbook_attention,),
    demo=demo.generate,
)
