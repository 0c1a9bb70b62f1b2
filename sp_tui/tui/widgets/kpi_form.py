"""The KPI figures form: a service's numerator and denominator for the quarter (KPI 1 for a
long-term service, KPI 2 for a short-term one). Blank both to clear them; a correction keeps
the old values in the audit log."""

from __future__ import annotations

from sp_tui.domain.kpi import FIELD_LABELS, FIELDS
from sp_tui.tui.widgets.workbook_forms import WorkbookActionForm


def figures_form(db, row, quarter) -> WorkbookActionForm:
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
