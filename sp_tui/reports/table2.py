"""Table 2, workbook return monitoring: six quarters side by side, derived from records.

For each quarter: workbooks expected (services active on its last day that must report);
returned by the deadline; reminders sent; received by the end of the default period; default
notices issued and not withdrawn. Receipts count as at the deadline and the end of the default
period (a receipt dated later does not count, nor does a rejected submission: the
resubmission's date is what counts). Reminders and defaults count every one recorded for the
quarter, since defaults are only issued after the default period. Only expected workbooks
count anywhere, so no cell can exceed "expected".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from sp_tui.domain.arithmetic import percent
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.targets import WORKBOOKS_BY_DEADLINE_TARGET
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.tables import Percent, ReportTable

QUARTERS_SHOWN = 6

# A service expected in the quarter of `cal`, written for the alias `s`.
_EXPECTED_S = ("s.workbook_required = 1 AND s.start_date <= cal.last_day"
               " AND (s.end_date IS NULL OR s.end_date >= cal.last_day)")

_CAL = "WITH cal(quarter, last_day, deadline, default_end) AS (VALUES {values})"

# Receipts: one pass over each quarter's range of workbooks_quarter_received up to the end
# of the default period, counting those by the deadline on the way; every workbook's service
# is checked through the covering index services_expected (CROSS JOIN keeps that order).
_RECEIPTS = f"""
{_CAL}
SELECT cal.quarter, sum(w.received_date <= cal.deadline), count(*)
FROM cal CROSS JOIN workbooks w CROSS JOIN services s
WHERE w.quarter = cal.quarter AND w.received_date <= cal.default_end
  AND s.id = w.service_id AND {_EXPECTED_S}
GROUP BY cal.quarter
"""

_OTHERS = f"""
{_CAL}
SELECT cal.quarter,
  (SELECT count(*) FROM services s WHERE {_EXPECTED_S}) AS expected,
  (SELECT count(*) FROM workbook_reminders r CROSS JOIN services s
     WHERE r.quarter = cal.quarter AND s.id = r.service_id AND {_EXPECTED_S}) AS reminders,
  (SELECT count(*) FROM workbook_defaults d CROSS JOIN services s
     WHERE d.quarter = cal.quarter AND d.withdrawn_date IS NULL
       AND s.id = d.service_id AND {_EXPECTED_S}) AS defaults,
  (SELECT count(*) FROM workbooks w CROSS JOIN services s
     WHERE w.quarter = cal.quarter AND w.excused_reason IS NOT NULL
       AND (w.received_date IS NULL OR w.received_date > cal.default_end)
       AND s.id = w.service_id AND {_EXPECTED_S}) AS excused
FROM cal
"""


@dataclass(frozen=True)
class Table2Quarter:
    quarter: Quarter
    deadline: date
    default_end: date
    expected: int
    by_deadline: int
    reminders: int
    by_default_end: int
    defaults: int
    excused: int  # not in the published table: shown as a note when not 0

    @property
    def by_deadline_percent(self) -> int | None:
        return percent(self.by_deadline, self.expected)

    @property
    def by_default_end_percent(self) -> int | None:
        return percent(self.by_default_end, self.expected)


@dataclass(frozen=True)
class Table2:
    columns: list[Table2Quarter]

    @property
    def last(self) -> Table2Quarter:
        return self.columns[-1]

    def notes(self) -> list[str]:
        notes = ["Receipts as at each quarter's deadline and end of default period;"
                 " defaults withdrawn are not counted. Derived from records (sp-tui)."]
        for c in self.columns:
            if c.excused:
                notes.append(f"Q{c.quarter.number}: {c.excused} excused workbook(s) were not"
                             f" received and get no default.")
        return notes


ROW_LABELS = (
    "Number of workbooks expected",
    "Number of workbooks returned by deadline",
    "% returned by deadline",
    "Number of reminders sent",
    "Number of workbooks received by end of default period",
    "% received by end of default period",
    "No. Defaults issued",
)


def table2_quarters(quarter: Quarter, count: int = QUARTERS_SHOWN) -> list[Quarter]:
    first = max(1, quarter.number - count + 1)
    return [Quarter(n) for n in range(first, quarter.number + 1)]


def table2_sql(n: int) -> tuple[str, str]:
    """The two statements behind Table 2 for ``n`` quarters (receipts; everything else)."""
    values = ", ".join(["(?, ?, ?, ?)"] * n)
    return _RECEIPTS.format(values=values), _OTHERS.format(values=values)


def table2(db: sqlite_utils.Database, quarter: Quarter) -> Table2:
    """Table 2 for the six quarters ending at ``quarter`` (fewer near Quarter 1)."""
    calendars = {q.number: calendar_for(db, q) for q in table2_quarters(quarter)}
    params: list[object] = []
    for number, cal in calendars.items():
        params += [number, Quarter(number).end.isoformat(), cal.deadline.isoformat(),
                   cal.default_end.isoformat()]
    receipts_sql, others_sql = table2_sql(len(calendars))
    receipts = {number: (by_deadline, by_end)
                for number, by_deadline, by_end in db.execute(receipts_sql, params)}
    columns = []
    for number, expected, reminders, defaults, excused in db.execute(others_sql, params):
        cal = calendars[number]
        by_deadline, by_end = receipts.get(number, (0, 0))
        columns.append(Table2Quarter(Quarter(number), cal.deadline, cal.default_end, expected,
                                     by_deadline, reminders, by_end, defaults, excused))
    columns.sort(key=lambda c: c.quarter)
    return Table2(columns)


def table2_report(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    """Table 2 as the published report lays it out (percentages in rows of their own, so
    that the export holds them as numbers): for the CLI, the screens and the export."""
    result = table2(db, quarter)
    cols = result.columns
    figures: list[list[object]] = [
        [c.expected for c in cols],
        [c.by_deadline for c in cols],
        [Percent(c.by_deadline_percent) for c in cols],
        [c.reminders for c in cols],
        [c.by_default_end for c in cols],
        [Percent(c.by_default_end_percent) for c in cols],
        [c.defaults for c in cols],
    ]
    return ReportTable(
        key="table2", title="Table 2: Workbook return monitoring",
        subtitle=f"Quarters {cols[0].quarter.number}-{cols[-1].quarter.number}",
        columns=["", *[c.quarter.label for c in cols]],
        rows=[[label, *cells] for label, cells in zip(ROW_LABELS, figures)],
        footnotes=result.notes())


def table2_trend(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    """Table 2 narrowed for a dashboard panel: percentages rather than counts, quarters by
    number only."""
    result = table2(db, quarter)
    cols = result.columns
    return ReportTable(
        key="table2_trend", title="Workbook returns (Table 2)",
        columns=["", *[f"Q{c.quarter.number}" for c in cols]],
        rows=[["Expected", *[c.expected for c in cols]],
              ["By deadline", *[Percent(c.by_deadline_percent) for c in cols]],
              ["Reminders", *[c.reminders for c in cols]],
              ["By default end", *[Percent(c.by_default_end_percent) for c in cols]],
              ["Defaults", *[c.defaults for c in cols]]],
        footnotes=[f"Target: {WORKBOOKS_BY_DEADLINE_TARGET}% by the deadline (business plan"
                   " 2009/10)."])
