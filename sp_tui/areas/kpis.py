"""KPI 1 (NI 142) and KPI 2 (NI 141): the workbooks' figures, regional and national
figures, RAG against the year's target; Tables 2.1-2.5."""

from sp_tui.areas.base import Area, DataSheet, ImportKind, Panel, QuarterTable
from sp_tui.demo import kpis as demo
from sp_tui.imports import formats
from sp_tui.reports import kpis as reports
from sp_tui.services import kpis as services

AREA = Area(
    area_id="kpis",
    title="KPIs",
    imports=(
        ImportKind(formats.KPIS, services.import_kpis,
                   "Workbook KPI figures: service_ref, quarter, kpi1_independent, kpi1_users"
                   " (long-term services), kpi2_planned, kpi2_departures (short-term); blank ="
                   " not reported. A row already recorded is skipped; a changed row corrects"
                   " the figures (the old values stay in the audit log)."),
        ImportKind(formats.KPI_BENCHMARKS, services.import_benchmarks,
                   "Regional and national KPI figures: quarter, kpi (1 or 2), scope (regional"
                   " or national), breakdown (overall, service_class or client_group; blank ="
                   " overall), category (blank for overall), value (a percentage). A figure"
                   " already entered is replaced."),
    ),
    data_sheets=(
        DataSheet("kpis", reports.kpi_import_rows),
        DataSheet("kpi-benchmarks", reports.benchmark_import_rows),
    ),
    quarter_tables=tuple(QuarterTable(position, build) for position, build in zip(
        ("2.1", "2.2", "2.3", "2.4", "2.5"), reports.KPI_TABLES)),
    panels=(Panel("kpis", reports.kpi_panel, order=25, wide=True),),
    attention=(reports.kpi_attention,),
    demo=demo.generate,
)
