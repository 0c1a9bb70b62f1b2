"""Outcomes: short-term outcome returns and long-term annual returns; Appendices 3-5, with the
outcome returns made (the counts behind the business plan measures' rates) at the head of
Appendix 3."""

from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.demo import outcomes as demo
from sp_tui.domain.outcomes import ANNUAL_REQUIRED, IMPORT_OPTIONAL, IMPORT_REQUIRED
from sp_tui.imports.formats import ImportFormat
from sp_tui.reports import outcomes as reports
from sp_tui.services.outcomes import import_annual_returns, import_outcome_returns

OUTCOMES = ImportFormat("outcomes", required=IMPORT_REQUIRED, optional=IMPORT_OPTIONAL)
ANNUAL_RETURNS = ImportFormat("outcome-returns", required=ANNUAL_REQUIRED)

AREA = Area(
    area_id="outcomes",
    title="Outcomes",
    imports=(
        ImportKind(OUTCOMES, import_outcome_returns,
                   "Short-term outcome returns, one row per client who left: service_ref,"
                   " departure_date, client_group (blank: not given), planned_move,"
                   " greater_independence, then <code>_need and <code>_achieved for each of"
                   " the 17 sub-outcomes (yes, no or blank); optional return_ref. Importing"
                   " the same dataset again adds nothing."),
        ImportKind(ANNUAL_RETURNS, import_annual_returns,
                   "Long-term services' annual outcome returns: service_ref, financial_year"
                   " (2008/09), received_date. A row already recorded is skipped."),
    ),
    data_sheets=(DataSheet("outcomes", reports.outcome_import_rows),
                 DataSheet("outcome-returns", reports.annual_return_import_rows)),
    quarter_tables=(
        QuarterTable("A3-returns", reports.returns_made_panel),
        QuarterTable("A3", reports.appendix_3_types_report),
        QuarterTable("A3", reports.appendix_3_groups_report),
        QuarterTable("A4", reports.appendix_4_moves_report),
        QuarterTable("A4", reports.appendix_4_report),
        *[QuarterTable(f"A5.{n}", reports.appendix_5_table(n)) for n in range(1, 6)],
    ),
    panels=(Panel("outcome_returns_made", reports.returns_made_panel, order=60, wide=True),),
    attention=(reports.missing_returns_attention,),
    demo=demo.generate,
)
