"""Business plan measures (business plan section 4): each measure's actual for the quarter and
the financial year to date against the year's target, with a RAG rating.

Workbook returns by the deadline come from Table 2's counts; KPI 1 and NI 141 (KPI 2) from
the KPI area's sums (numerators over denominators, never an average of percentages) with its
targets and RAG; the outcome returns made from the outcomes area's ``returns_made``. A measure
with no figures for the period says "not yet recorded" rather than showing a zero.
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
    rating_override: str | None = None
    """The area's own RAG (KPI tolerance, outcomes margin), when it rates the measure."""

    @property
    def rag(self) -> str:
        if self.rating_override is not None:
            return self.rating_override
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


def kpi_measure(db: sqlite_utils.Database, quarter: Quarter, kpi: int, name: str) -> Measure:
    """KPI 1 or KPI 2 for the quarter and for the year to date: Σ numerators / Σ
    denominators over every service's workbook figures."""
    from sp_tui.domain.kpi import kpi_percent
    from sp_tui.reports.kpis import kpi_settings, kpi_sums

    quarters = year_quarters(quarter)
    sums = kpi_sums(db, quarters[0].number, quarter.number)
    found = [s.kpi1 if kpi == 1 else s.kpi2 for q, s in sums.overall.items()
             if quarters[0].number <= q <= quarter.number]
    pairs = [p for p in found if p]
    if not pairs:
        return _not_recorded(name)
    this = sums.overall.get(quarter.number)
    now = this.percent(kpi) if this is not None else None
    ytd = kpi_percent(sum(p[0] for p in pairs), sum(p[1] for p in pairs))
    settings = kpi_settings(db)
    target = settings.target(kpi, quarter)
    rating = settings.rag(kpi, quarter, ytd)
    places = 1 if target is not None and target % 1 else 0
    return Measure(name, Percent(target, places=places) if target is not None else None,
                   Percent(now, places=2), Percent(ytd, places=2),
                   rating_override=str(rating) if rating else "")


def outcome_measures(db: sqlite_utils.Database, quarter: Quarter) -> list[Measure]:
    from sp_tui.domain.outcomes import (
        LONG_TERM_RETURNS_TARGET, SHORT_TERM_RETURNS_TARGET, rag,
    )
    from sp_tui.reports.outcomes import Period, returns_made

    now, ytd = returns_made(db, Period(quarter)), returns_made(db, Period(quarter, ytd=True))
    measures = []
    for name, target, rate_now, rate_ytd in (
            ("Short-term outcome returns made", SHORT_TERM_RETURNS_TARGET, now.short_rate,
             ytd.short_rate),
            ("Long-term outcome returns made", LONG_TERM_RETURNS_TARGET, now.long_rate,
             ytd.long_rate)):
        if rate_now is None and rate_ytd is None:
            measures.append(_not_recorded(name))
            continue
        measures.append(Measure(name, Percent(target), Percent(rate_now, places=1),
                                Percent(rate_ytd, places=1),
                                rating_override=rag(rate_ytd, target).capitalize()))
    return measures


def business_plan_measures(db: sqlite_utils.Database, quarter: Quarter) -> list[Measure]:
    return [
        kpi_measure(db, quarter, 2, "NI 141 (KPI 2): planned moves"),
        kpi_measure(db, quarter, 1, "KPI 1: independent living"),
        workbook_measure(db, quarter),
        *outcome_measures(db, quarter),
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
        footnotes=["RAG on the year to date. Workbook returns: green at or above the target,"
                   " amber up to 5 points below, red further below; KPIs: the KPI area's"
                   " tolerance; outcome returns: the outcomes area's margin.",
                   "KPIs: the sum of the services' numerators over the sum of their"
                   " denominators. \"Not yet recorded\": the tool holds no figures for that"
                   " measure in the period."])
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
