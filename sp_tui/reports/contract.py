"""Table 1.1: contractual data at the close of a quarter beside the same quarter a year before."""

from __future__ import annotations

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.tables import ReportTable


def contract_figures(db: sqlite_utils.Database, quarter: Quarter) -> dict[str, int]:
    """Providers with an active service, active services and their units at the close."""
    last = quarter.end.isoformat()
    row = db.execute(
        "SELECT count(DISTINCT provider_id), count(*), coalesce(sum(household_units), 0),"
        " coalesce(sum(leaseholder_units), 0) FROM services"
        " WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)", (last, last)).fetchone()
    providers, services, household, leaseholder = row
    return {"providers": providers, "services": services, "household_units": household,
            "leaseholder_units": leaseholder, "total_units": household + leaseholder}


LABELS = [("providers", "Number of providers"), ("services", "Number of services"),
          ("household_units", "Number of household units"),
          ("leaseholder_units", "Number of leaseholder units"),
          ("total_units", "Total units")]


def table_1_1(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    earlier = Quarter(quarter.number - 4) if quarter.number > 4 else None
    now = contract_figures(db, quarter)
    before = contract_figures(db, earlier) if earlier else None
    columns = [""] + ([earlier.label] if earlier else []) + [quarter.label]
    rows = [[label] + ([before[key]] if before else []) + [now[key]] for key, label in LABELS]
    return ReportTable(
        key="table1_1", title=f"Table 1.1: Contractual data as at close of Quarter {quarter.number}",
        subtitle="Services active at each quarter's close, with the same quarter a year earlier",
        columns=columns, rows=rows,
        footnotes=["Source: sp-tui service register. A service counts if it started by the"
                   " quarter's last day and had not ended before it."])
