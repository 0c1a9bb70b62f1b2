"""The KPI figures form: a service's numerator and denominator for the quarter (KPI 1 for a
long-term service, KPI 2 for a short-term one). Blank both to clear them; a correction keeps
the old values in the audit log."""

from __future__ import annotations

from sp_tui.domain.kpi import FIELD_LABELS, FIELDS
from sp_tui.services.kpis import FiguresChange
from sp_tui.tui.widgets.workbook_forms import WorkbookActionForm


def figures_form(db, row, quarter) -> WorkbookActionForm[FiguresChange]:
    """``row`` is a reports.kpis.ServiceKpi."""
    from sp_tui.services.kpis import record_figures

    names = FIELDS[row.kpi]
    current = (row.numerator, row.denominator)
    what = ("KPI 1: service users supported to establish or maintain independent living,"
            " of the service users counted" if row.kpi == 1 else
            "KPI 2: departures that were planned moves, of all departures")
    return WorkbookActionForm(
        f"KPI figures: {row.service_ref} {row.name}",
        f"{quarter.label}. {what}. Whole numbers; blank both if not reported.",
        [(name, FIELD_LABELS[name], "" if value is None else str(value))
         for name, value in zip(names, current)],
        lambda v: record_figures(db, row.service_ref, quarter, v, source="tui"))


def benchmark_form(db, quarter) -> WorkbookActionForm:
    """Enter (or change) a regional or national figure published by CLG."""
    from sp_tui.services.kpis import set_benchmark

    return WorkbookActionForm(
        "Regional or national KPI figure",
        "As CLG publishes them. Breakdown: overall, service_class or client_group; the"
        " category is blank for overall, else the class or the client group.",
        [("quarter", "Quarter", str(quarter.number)), ("kpi", "KPI (1 or 2)", "1"),
         ("scope", "Scope (regional or national)", "regional"),
         ("breakdown", "Breakdown", "overall"), ("category", "Category", ""),
         ("value", "Value (%)", "")],
        lambda v: _saved(set_benchmark(db, v, source="tui")))


def target_form(db, quarter) -> WorkbookActionForm:
    """A KPI's target for a financial year, and the RAG tolerance."""
    from sp_tui.reports.kpis import kpi_settings
    from sp_tui.services.kpis import set_target_and_tolerance

    settings = kpi_settings(db)

    def save(values: dict) -> str:
        target, tolerance = set_target_and_tolerance(
            db, values["kpi"], values["financial_year"], values["target"], values["tolerance"],
            source="tui")
        return (f"KPI {values['kpi']} target for {values['financial_year']}: {target}%;"
                f" amber within {tolerance} points")

    current = settings.target(2, quarter)
    return WorkbookActionForm(
        "KPI target and RAG tolerance",
        "Green at or above target; amber below it by less than the tolerance (percentage"
        " points); red below that.",
        [("kpi", "KPI (1 or 2)", "2"), ("financial_year", "Financial year",
                                        quarter.financial_year),
         ("target", "Target (%)", "" if current is None else str(current)),
         ("tolerance", "Tolerance (percentage points)", str(settings.tolerance))],
        save)


def _saved(benchmark) -> str:
    return (f"Q{benchmark.quarter} KPI {benchmark.kpi} {benchmark.scope}"
            f" {benchmark.category or 'overall'}: {benchmark.value}%")
