"""Complaints and safeguarding alerts: logged, followed to their close; Table 9."""

from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.demo import cases as demo
from sp_tui.imports import formats
from sp_tui.reports.complaints import complaint_import_rows, complaints_table
from sp_tui.reports.glance import open_cases_table
from sp_tui.reports.safeguarding import (
    alert_import_rows, overdue_referral_attention, table_9, table_9_referrals,
    table_9_service_types,
)
from sp_tui.services.alerts import import_alerts
from sp_tui.services.complaints import import_complaints

COMPLAINTS = Area(
    area_id="complaints",
    title="Complaints",
    imports=(
        ImportKind(formats.COMPLAINTS, import_complaints,
                   "Complaints: ref, service_ref, received_date, summary, status, closed_date;"
                   " optional channel, outcome, officer. Status is open, concluded or"
                   " contractual negotiation; only a concluded complaint has a closed_date."
                   " References must be new.", matches=True),
    ),
    data_sheets=(DataSheet("complaints", complaint_import_rows),),
    quarter_tables=(QuarterTable("complaints", complaints_table),),
    panels=(Panel("open_cases", open_cases_table, order=40, as_of_today=True),
            Panel("complaints", complaints_table, order=41)),
    # Complaints and alerts share one demo generator (cases).
    demo=demo.generate,
)

ALERTS = Area(
    area_id="alerts",
    title="Safeguarding",
    imports=(
        ImportKind(formats.ALERTS, import_alerts,
                   "Alerts: ref, service_ref, received_date, nature, referred_date, status,"
                   " closed_date; optional officer, notes (references only, never names)."
                   " Status is open or closed; only a closed alert has a closed_date."
                   " References must be new.", matches=True),
    ),
    data_sheets=(DataSheet("alerts", alert_import_rows, sensitive=True),),
    quarter_tables=(QuarterTable("9", table_9),
                    QuarterTable("9-service-types", table_9_service_types),
                    QuarterTable("9-referrals", table_9_referrals)),
    panels=(Panel("safeguarding", table_9, order=42),),
    attention=(overdue_referral_attention,),
)
