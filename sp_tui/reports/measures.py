"""Business plan measures (business plan section 4): each measure's actual for the quarter and
the financial year to date against the year's target, with a RAG rating.

Workbook returns by the deadline come from Table 2's counts. KPI 1, NI 141 (KPI 2) and the
outcome returns made come from their areas' report functions once those areas are in the
tool; until then their rows say "not yet recorded" rather than showing a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.targets import (
    WORKBOOKS_BY_DEADLINE_TARGETS, rag_rating, target_for_year,
)
from sp_tui.reports.tables import Percent, ReportTable, percent

NOT_RECORDED = "not yet recorded"


@dataclass(frozen=True)
class Measure:
    name: str
    target: Percent | None
    quarter_value: Percent | None
    year_to_date: Percent | None
    recorded: bool = True

    @property
    def rag(self) -> str:
        if not self.recorded or self.year_to_date is None or self.target is None:
            return ""
        return rag_rating(self.year_to_date.value, self.target.value)

    def row(self) -> list[object]:
        if not self.recorded:
            return [self.name, self.target, NOT_RECORDED, NOT_RECORDED, None]
        return [self.name, self.target, self.quarter_value, self.year_to_date,
                self.rag or None]


def year_quarters(quarter: Quarter) -> list[Quarter]:
    """The quarters of ``quarter``'s financial year up to and including it."""
    return [Quarter(n) for n in range(max(1, quarter.number - 3), quarter.number + 1)
            if Quarter(n).financial_year == quarter.financial_year]


def workbook_measure(db: sqlite_utils.Database, quarter: Quarter) -> Measure:
    from sp_tui.reports.table2 import table2

    columns = {c.quarter.number: c for c in table2(db, quarter).columns}
    year = [columns[q.number] for q in year_quarters(quarter) if q.number in columns]
    this = columns[quarter.number]
    target = target_for_year(WORKBOOKS_BY_DEADLINE_TARGETS, quarter.financial_year)
    return Measure("Workbook returns by deadline",
                   Percent(target) if target is not None else None,
                   percent(this.by_deadline, this.expected),
                   percent(sum(c.by_deadline for c in year), sum(c.expected for c in year)))


def _not_recorded(name: str) -> Measure:
    return Measure(name, None, None, None, recorded=False)


def business_plan_measures(db: sqlite_utils.Database, quarter: Quarter) -> list[Measure]:
    return [
        _not_recorded("NI 141 (KPI 2): planned moves"),
        _not_recorded("KPI 1: independent living"),
        workbook_measure(db, quarter),
        _not_recorded("Short-term outcome returns made"),
        _not_recorded("Long-term outcome returns made"),
    ]


def measures_table(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    measures = business_plan_measures(db, quarter)
    table = ReportTable(
        key="measures", title="Business plan measures",
        subtitle=f"{quarter.label}; year to date: {quarter.financial_year} to"
                 f" Quarter {quarter.number}",
        columns=["Measure", f"Target {quarter.financial_year}", f"Q{quarter.number}",
                 "Year to date", "RAG"],
        rows=[m.row() for m in measures],
        footnotes=["RAG on the year to date: green at or above the target, amber up to"
                   " 5 points below, red further below. \"Not yet recorded\": the tool"
                   " holds no figures for that measure."])
    table.sentences.extend(measure_sentences(measures, quarter))
    return table


def measure_sentences(measures: list[Measure], quarter: Quarter) -> list[str]:
    lines = []
    for m in measures:
        if not m.recorded or m.year_to_date is None or m.year_to_date.value is None:
            continue
        target = f" against a target of {m.target}" if m.target else ""
        lines.append(f"{m.name}: {m.quarter_value} in Quarter {quarter.number} and"
                     f" {m.year_to_date} for {quarter.financial_year} to date{target}"
                     + (f" ({m.rag.lower()})." if m.rag else "."))
    missing = [m.name.split(":")[0] for m in measures if not m.recorded]
    if missing:
        lines.append("Not yet recorded in sp-tui: " + ", ".join(missing) + ".")
    return lines
