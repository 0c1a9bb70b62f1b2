"""Tables 6, 7 and 8 of the quarterly report: QAF monitoring visits and grades.

Every table is as at the quarter's close: a visit completed after the quarter's last day
counts as not completed, and its awarded grade as not graded, for that quarter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlite_utils

from sp_tui.domain.arithmetic import percent
from sp_tui.domain.qaf import GRADES, change
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.tables import ReportTable
from sp_tui.reports.tables import percent as report_percent

GRADE_COLUMNS = ("A", "B", "C", "D", "Not graded", "Total")

# The awarded grade of a service's latest visit completed on or before :as_at (None when
# never graded). Ties on the same day go to the visit begun last, then the one logged last.
# Reads only the covering index visits_service_completed.
LATEST_VISIT_ORDER = "completed_date DESC, started_date DESC, created_at DESC, id DESC"
CURRENT_GRADE_SQL = (
    "(SELECT v.awarded_grade FROM visits v WHERE v.service_id = s.id"
    " AND v.completed_date <= :as_at ORDER BY "
    + ", ".join(f"v.{term}" for term in LATEST_VISIT_ORDER.split(", ")) + " LIMIT 1)")
ACTIVE_SERVICE_SQL = "s.start_date <= :as_at AND (s.end_date IS NULL OR s.end_date >= :as_at)"


@dataclass(frozen=True)
class GradeCounts:
    """How many of something carry each grade; ``not_graded`` counts None."""

    a: int = 0
    b: int = 0
    c: int = 0
    d: int = 0
    not_graded: int = 0

    @classmethod
    def of(cls, counts: Counter) -> GradeCounts:
        a, b, c, d = (counts.get(g, 0) for g in GRADES)
        return cls(a, b, c, d, counts.get(None, 0))

    @property
    def total(self) -> int:
        return self.a + self.b + self.c + self.d + self.not_graded

    def cells(self) -> list[int]:
        """In GRADE_COLUMNS order: A, B, C, D, not graded, total."""
        return [self.a, self.b, self.c, self.d, self.not_graded, self.total]


@dataclass(frozen=True)
class Table6:
    """Visits begun in the quarter and the grades they carried."""

    quarter: Quarter
    begun: int
    completed: int
    existing: GradeCounts
    self_assessed: GradeCounts
    awarded: GradeCounts

    @property
    def not_completed(self) -> int:
        """Begun in the quarter but open at its close (they carry over)."""
        return self.begun - self.completed


@dataclass(frozen=True)
class Table7:
    """Of the visits begun in the quarter and completed by its close: the awarded grade
    against the existing one. Visits with no existing grade (a first grading) or no awarded
    grade cannot be higher or lower, so they are counted apart."""

    quarter: Quarter
    completed: int
    higher: int
    same: int
    lower: int
    first_graded: int  # existing grade was "not graded"
    not_awarded: int  # completed without an awarded grade (existing grade known)

    def share(self, count: int) -> int | None:
        """``count`` as a whole-number % of the completed visits, half up."""
        return percent(count, self.completed)

    @property
    def higher_percent(self) -> int | None:
        return self.share(self.higher)

    @property
    def same_percent(self) -> int | None:
        return self.share(self.same)

    @property
    def lower_percent(self) -> int | None:
        return self.share(self.lower)


@dataclass(frozen=True)
class Table8:
    """The current grade of every service active at the quarter's close."""

    quarter: Quarter
    services: GradeCounts


@dataclass(frozen=True)
class QafTables:
    table6: Table6
    table7: Table7
    table8: Table8


def visit_tables(db: sqlite_utils.Database, quarter: Quarter) -> tuple[Table6, Table7]:
    """Tables 6 and 7 from one grouped read of the covering index visits_started."""
    rows = db.execute(
        "SELECT existing_grade, self_assessed_grade,"
        " CASE WHEN completed_date <= :close THEN awarded_grade END,"
        " coalesce(completed_date <= :close, 0), count(*)"
        " FROM visits WHERE started_date BETWEEN :start AND :close GROUP BY 1, 2, 3, 4",
        {"start": quarter.start.isoformat(), "close": quarter.end.isoformat()}).fetchall()
    existing: Counter[str | None] = Counter()
    self_assessed: Counter[str | None] = Counter()
    awarded: Counter[str | None] = Counter()
    changes: Counter[str | None] = Counter()
    begun = completed = 0
    for existing_grade, self_grade, awarded_grade, is_completed, count in rows:
        begun += count
        existing[existing_grade] += count
        self_assessed[self_grade] += count
        awarded[awarded_grade] += count
        if is_completed:
            completed += count
            if existing_grade is None:
                changes["first_graded"] += count
            elif awarded_grade is None:
                changes["not_awarded"] += count
            else:
                changes[change(existing_grade, awarded_grade)] += count
    table6 = Table6(quarter, begun, completed, GradeCounts.of(existing),
                    GradeCounts.of(self_assessed), GradeCounts.of(awarded))
    table7 = Table7(quarter, completed, changes["higher"], changes["same"], changes["lower"],
                    changes["first_graded"], changes["not_awarded"])
    return table6, table7


def table8(db: sqlite_utils.Database, quarter: Quarter) -> Table8:
    rows = db.execute(
        f"SELECT grade, count(*) FROM (SELECT {CURRENT_GRADE_SQL} AS grade FROM services s"
        f" WHERE {ACTIVE_SERVICE_SQL}) GROUP BY grade",
        {"as_at": quarter.end.isoformat()}).fetchall()
    return Table8(quarter, GradeCounts.of(Counter(dict(rows))))


def qaf_tables(db: sqlite_utils.Database, quarter: Quarter) -> QafTables:
    table6, table7 = visit_tables(db, quarter)
    return QafTables(table6, table7, table8(db, quarter))


# -- the tables as the report prints them (CLI, dashboard, quarter export) -----------------
def table_6(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    t6 = visit_tables(db, quarter)[0]
    blank = [None] * (len(GRADE_COLUMNS) - 1)
    return ReportTable(
        key="table6", title=f"Table 6: Analysis of monitoring visits begun in quarter"
                            f" {quarter.number}",
        subtitle=f"{quarter.label}, as at {quarter.end.isoformat()}",
        columns=["", *GRADE_COLUMNS],
        rows=[["Visits begun", *blank, t6.begun],
              ["Completed by close", *blank, t6.completed],
              ["Not completed", *blank, t6.not_completed],
              ["Existing grade", *t6.existing.cells()],
              ["Self-assessed", *t6.self_assessed.cells()],
              ["Awarded grade", *t6.awarded.cells()]],
        footnotes=["A visit completed after the quarter's last day counts as not completed,"
                   " and its awarded grade as not graded, for this quarter."])


def table_7(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    t7 = visit_tables(db, quarter)[1]
    rows = [[label, count, report_percent(count, t7.completed)] for label, count in (
        ("Higher grade", t7.higher),
        ("No change", t7.same),
        ("Lower grade", t7.lower),
        ("First grading", t7.first_graded),
        ("No grade awarded", t7.not_awarded))]
    return ReportTable(
        key="table7", title="Table 7: Summary of improvement",
        subtitle=f"{t7.completed} visits begun in {quarter.label} and completed by its close",
        columns=["", "Visits", "% of completed"], rows=rows,
        footnotes=["A is the highest grade. Percentages are whole numbers rounded half up."
                   " First grading: the existing grade was not graded."])


def table_8(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    counts = table8(db, quarter).services
    return ReportTable(
        key="table8", title=f"Table 8: All QAF grades at end of quarter {quarter.number}",
        subtitle=f"Services active at {quarter.end.isoformat()}",
        columns=["", *GRADE_COLUMNS], rows=[["Services", *counts.cells()]],
        footnotes=["A service's grade is the awarded grade of its latest visit completed by"
                   " the quarter's last day; a service never graded is not graded."])
