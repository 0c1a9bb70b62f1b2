"""The consistency check: cross-table identities the report must satisfy before it goes out.

Each check compares figures as the tables print them (so it guards what the reader sees)
with each other or with a count taken straight from the records, and, when an identity does
not hold, names the records involved. A check whose tables are not in the report (an area
not yet in the tool) is "not applicable", never a pass by default. `sp-tui report check`,
the Report screen, and both exports run it; the exports state the result on their cover.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.tables import Percent, ReportTable

PASSED, FAILED, NOT_APPLICABLE = "passed", "failed", "not applicable"
MAX_NAMED = 20  # records named per failure; the rest are counted


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    title: str
    status: str
    detail: str
    records: tuple[str, ...] = ()
    """The records involved in a failure (service refs, alert refs, rows), at most MAX_NAMED;
    ``more`` counts those left unnamed."""
    more: int = 0

    @property
    def failed(self) -> bool:
        return self.status == FAILED


@dataclass
class ConsistencyReport:
    quarter: Quarter
    results: list[CheckResult] = field(default_factory=list)

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.failed]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def applied(self) -> list[CheckResult]:
        return [r for r in self.results if r.status != NOT_APPLICABLE]

    def summary(self) -> str:
        """One line for a cover sheet: passed or failed, with the counts."""
        skipped = len(self.results) - len(self.applied)
        tail = f" ({skipped} not applicable: tables not in the report yet)" if skipped else ""
        if self.passed:
            return (f"Passed: all {len(self.applied)} cross-table identities hold for"
                    f" {self.quarter.label}{tail}.")
        return (f"FAILED: {len(self.failures)} of {len(self.applied)} identities do not hold"
                f" for {self.quarter.label}: " + "; ".join(r.title for r in self.failures)
                + f"{tail}.")

    def lines(self) -> list[tuple[str, str]]:
        """(status, text) lines: each identity, its figures, the records named."""
        out = []
        for r in self.results:
            out.append((r.status, f"{r.status.upper()}: {r.title}"))
            out.append(("detail", f"    {r.detail}"))
            out.extend(("record", f"    - {record}") for record in r.records)
            if r.more:
                out.append(("record", f"    ... and {r.more} more"))
        return out

    def as_table(self) -> ReportTable:
        rows: list[list[object]] = []
        for r in self.results:
            named = ", ".join(r.records) + (f" and {r.more} more" if r.more else "")
            rows.append([r.title, r.status, r.detail, named])
        return ReportTable(
            key="consistency", title=f"Consistency check: {self.quarter.label}",
            subtitle=self.summary(), columns=["Identity", "Result", "Figures", "Records"],
            rows=rows)


Tables = Sequence[tuple[str, ReportTable]]
Check = Callable[[sqlite_utils.Database, Quarter, Tables, date], list[CheckResult]]
CHECKS: list[Check] = []


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


def check_report(db: sqlite_utils.Database, quarter: Quarter, tables: Tables,
                 today: date) -> ConsistencyReport:
    """Every identity over ``tables`` ((position, table) pairs, as the registry builds them)."""
    report = ConsistencyReport(quarter)
    for function in CHECKS:
        report.results.extend(function(db, quarter, tables, today))
    return report


# -- helpers over printed tables ------------------------------------------------------------

def _at(tables: Tables, position: str) -> list[ReportTable]:
    return [table for pos, table in tables if pos == position]


def _number(value: object) -> int | float | None:
    if isinstance(value, Percent):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _row(table: ReportTable, *words: str) -> list[object] | None:
    """The first row whose label contains every word (case-insensitive)."""
    for row in table.rows:
        label = str(row[0]).casefold()
        if all(w in label for w in words):
            return row
    return None


def _total_row(table: ReportTable) -> list[object] | None:
    if table.total_rows:
        return table.rows[-1]
    return _row(table, "total")


def _na(check_id: str, title: str, why: str) -> CheckResult:
    return CheckResult(check_id, title, NOT_APPLICABLE, why)


def _result(check_id: str, title: str, ok: bool, detail: str,
            records: Sequence[str] = ()) -> CheckResult:
    records = list(records)
    return CheckResult(check_id, title, PASSED if ok else FAILED, detail,
                       tuple(records[:MAX_NAMED]), max(0, len(records) - MAX_NAMED))


# -- Appendix 1 -----------------------------------------------------------------------------

@check
def contract_totals(db, quarter, tables, today) -> list[CheckResult]:
    title = "Table 1.1: total units = household + leaseholder units"
    t11 = _at(tables, "1.1")
    if not t11:
        return [_na("1.1-units", title, "Table 1.1 is not in the report")]
    table = t11[0]
    household, leaseholder = _row(table, "household"), _row(table, "leaseholder")
    total = _row(table, "total units") or _total_row(table)
    results = []
    if household and leaseholder and total:
        bad, shown = [], []
        for col, label in enumerate(table.columns[1:], start=1):
            h, le, t = (_number(r[col]) for r in (household, leaseholder, total))
            if h is None or le is None or t is None:
                continue
            shown.append(f"{label}: {t:,} = {h:,} + {le:,}")
            if h + le != t:
                bad.append(f"{label}: {h:,} + {le:,} is {h + le:,}, printed {t:,}")
        results.append(_result("1.1-units", title, not bad, "; ".join(bad or shown), bad))
    else:
        results.append(_na("1.1-units", title, "Table 1.1 has no unit rows"))
    for position in ("1.2", "1.3"):
        sub_title = f"Table {position}: total = Table 1.1's total units"
        others = _at(tables, position)
        if not others or total is None:
            results.append(_na(f"{position}-total", sub_title,
                               f"Table {position} is not in the report"))
            continue
        other = others[0]
        other_total = _total_row(other)
        bad, shown = [], []
        for col, label in enumerate(other.columns[1:], start=1):
            if label not in table.columns or other_total is None:
                continue
            mine = _number(other_total[col])
            theirs = _number(total[table.columns.index(label)])
            if mine is None or theirs is None:
                continue
            shown.append(f"{label}: {mine:,}")
            if mine != theirs:
                bad.append(f"{label}: Table {position} total {mine:,}, Table 1.1 {theirs:,}")
        results.append(_result(f"{position}-total", sub_title, not bad,
                               "; ".join(bad or shown) or "no common quarter", bad))
    return results


# -- Table 2 --------------------------------------------------------------------------------

# The expected workbooks whose default record does not follow from their receipt: owed (not
# received by the end of the default period, not excused) with no default in force, or not
# owed with one. One grouped pass over each table; a few rows come back.
_WORKBOOK_STATE = """
WITH w AS (
  SELECT service_id, max(received_date <= :default_end) AS received,
         max(excused_reason IS NOT NULL) AS excused
  FROM workbooks WHERE quarter = :q GROUP BY service_id),
d AS (
  SELECT service_id, sum(withdrawn_date IS NULL) AS in_force,
         sum(withdrawn_date IS NOT NULL) AS withdrawn
  FROM workbook_defaults WHERE quarter = :q GROUP BY service_id),
state AS (
  SELECT s.service_ref, coalesce(w.received, 0) AS received,
         coalesce(w.excused, 0) AS excused, coalesce(d.in_force, 0) AS in_force,
         coalesce(d.withdrawn, 0) AS withdrawn
  FROM services s LEFT JOIN w ON w.service_id = s.id LEFT JOIN d ON d.service_id = s.id
  WHERE s.workbook_required = 1 AND s.start_date <= :last
    AND (s.end_date IS NULL OR s.end_date >= :last))
SELECT service_ref, received, excused, in_force, withdrawn FROM state
WHERE (NOT received AND NOT excused) = (in_force = 0)
ORDER BY service_ref
"""


@check
def table2_defaults(db, quarter, tables, today) -> list[CheckResult]:
    from sp_tui.reports.table2 import table2

    title = ("Table 2: defaults = expected - received by end of default period - excused"
             " (withdrawals explained)")
    if not _at(tables, "2"):
        return [_na("2-defaults", title, "Table 2 is not in the report")]
    shown, bad, named = [], [], []
    pending, unrecorded = [], []
    for c in table2(db, quarter).columns:
        q = c.quarter.number
        if c.default_end >= today:
            pending.append(f"Q{q}")
            continue
        if not (c.by_default_end or c.defaults or c.reminders or c.excused):
            unrecorded.append(f"Q{q}")  # no returns recorded at all (history not imported)
            continue
        missing_default = extra_default = withdrawn = 0
        for ref, received, excused, in_force, was_withdrawn in db.execute(
                _WORKBOOK_STATE, {"last": c.quarter.end.isoformat(), "q": q,
                                  "default_end": c.default_end.isoformat()}):
            owed = not received and not excused
            if owed and not in_force:
                if was_withdrawn:
                    withdrawn += 1
                else:
                    missing_default += 1
                    named.append(f"{ref} Q{q}: not received by the end of the default period,"
                                 " not excused, no default issued")
            elif not owed and in_force:
                extra_default += 1
                named.append(f"{ref} Q{q}: default in force but the workbook was "
                             + ("received by the end of the default period" if received
                                else "excused"))
        expected_defaults = c.expected - c.by_default_end - c.excused - withdrawn
        figures = (f"Q{q}: {c.defaults} = {c.expected} - {c.by_default_end} - {c.excused}"
                   + (f" - {withdrawn} withdrawn" if withdrawn else ""))
        shown.append(figures)
        if missing_default or extra_default or expected_defaults != c.defaults:
            bad.append(f"Q{q}: {c.defaults} defaults printed, but {c.expected} expected -"
                       f" {c.by_default_end} received - {c.excused} excused"
                       + (f" - {withdrawn} withdrawn" if withdrawn else "")
                       + f" = {expected_defaults}")
    detail = "; ".join(bad or shown)
    if pending:
        detail += ("; " if detail else "") + ", ".join(pending) + ": default period not over"
    if unrecorded:
        detail += ("; " if detail else "") + ", ".join(unrecorded) + ": no returns recorded"
    return [_result("2-defaults", title, not bad, detail, named)]


# -- Tables 6 and 7 -------------------------------------------------------------------------

@check
def table6_visits(db, quarter, tables, today) -> list[CheckResult]:
    title = "Table 6: visits begun = completed + not completed"
    t6 = _at(tables, "6")
    if not t6:
        return [_na("6-visits", title, "Table 6 is not in the report")]
    table = t6[0]
    begun, done, open_ = (_number(hit[-1]) if (hit := _row(table, word)) else None
                          for word in ("begun", "completed by", "not completed"))
    bounds = {"start": quarter.start.isoformat(), "close": quarter.end.isoformat()}
    records_begun, records_done = db.execute(
        "SELECT count(*), coalesce(sum(completed_date <= :close), 0) FROM visits"
        " WHERE started_date BETWEEN :start AND :close", bounds).fetchone()
    detail = f"{begun} = {done} + {open_}; records: {records_begun} begun, {records_done} completed"
    ok = (begun is not None and done is not None and open_ is not None
          and begun == done + open_
          and begun == records_begun and done == records_done)
    named = []
    if not ok:
        named = [f"visit of {ref} begun {started}" for ref, started in db.execute(
            "SELECT s.service_ref, v.started_date FROM visits v JOIN services s"
            " ON s.id = v.service_id WHERE v.started_date BETWEEN :start AND :close"
            " AND v.completed_date < v.started_date", bounds)]
    grade_rows = [r for r in table.rows if "grade" in str(r[0]).casefold()
                  or "assessed" in str(r[0]).casefold()]
    for row in grade_rows:
        if _number(row[-1]) != begun:
            ok = False
            named.append(f"Table 6 row {row[0]!r}: total {row[-1]} against {begun} begun")
    return [_result("6-visits", title, ok, detail, named)]


@check
def table7_changes(db, quarter, tables, today) -> list[CheckResult]:
    title = "Table 7: higher + no change + lower (+ first gradings, no grade) = completed"
    t6, t7 = _at(tables, "6"), _at(tables, "7")
    if not t6 or not t7:
        return [_na("7-changes", title, "Tables 6 and 7 are not both in the report")]
    completed_row = _row(t6[0], "completed by")
    completed = _number(completed_row[-1]) if completed_row else None
    counts = [(str(r[0]), _number(r[1])) for r in t7[0].rows]
    total = sum(n for _, n in counts if n is not None)
    detail = " + ".join(f"{n} {label.lower()}" for label, n in counts) + f" = {completed}"
    named = []
    if total != completed:
        named = [f"visit of {ref} begun {started}" for ref, started in db.execute(
            "SELECT s.service_ref, v.started_date FROM visits v JOIN services s"
            " ON s.id = v.service_id WHERE v.started_date BETWEEN ? AND ?"
            " AND v.completed_date <= ? AND (v.existing_grade IS NULL"
            " OR v.awarded_grade IS NULL)",
            (quarter.start.isoformat(), quarter.end.isoformat(), quarter.end.isoformat()))]
    return [_result("7-changes", title, total == completed, detail, named)]


@check
def table8_services(db, quarter, tables, today) -> list[CheckResult]:
    title = "Table 8: services graded = Table 1.1's services at the close"
    t8, t11 = _at(tables, "8"), _at(tables, "1.1")
    if not t8 or not t11:
        return [_na("8-services", title, "Tables 8 and 1.1 are not both in the report")]
    services_row = _row(t11[0], "services")
    graded = _number(t8[0].rows[-1][-1])
    listed = _number(services_row[-1]) if services_row else None
    return [_result("8-services", title, graded == listed,
                    f"{graded} graded or not graded, {listed} in Table 1.1")]


# -- complaints and Table 9 -------------------------------------------------------------------

@check
def complaints_status(db, quarter, tables, today) -> list[CheckResult]:
    title = "Complaints: received = concluded + negotiation + still open"
    found = _at(tables, "complaints")
    if not found:
        return [_na("complaints", title, "The complaints table is not in the report")]
    cells = [_number(r[1]) for r in found[0].rows[:4]]
    numbers = [n for n in cells if n is not None]
    if len(numbers) < len(cells):
        return [_na("complaints", title, "The complaints table has no status rows")]
    received, concluded, negotiation, still_open = numbers
    records = db.execute("SELECT count(*) FROM complaints WHERE received_date BETWEEN ? AND ?",
                         (quarter.start.isoformat(), quarter.end.isoformat())).fetchone()[0]
    ok = received == concluded + negotiation + still_open == records
    return [_result("complaints", title, ok,
                    f"{received} = {concluded} + {negotiation} + {still_open};"
                    f" {records} recorded")]


@check
def table9_totals(db, quarter, tables, today) -> list[CheckResult]:
    title = "Table 9: rows add to the total, which counts every alert received"
    t9 = _at(tables, "9")
    if not t9:
        return [_na("9-total", title, "Table 9 is not in the report")]
    table = t9[0]
    body = table.rows[:len(table.rows) - table.total_rows]
    total = _total_row(table)
    bad = []
    for col, label in enumerate(table.columns[1:], start=1):
        summed = sum(_number(r[col]) or 0 for r in body)
        printed = _number(total[col]) if total else None
        if printed is not None and summed != printed:
            bad.append(f"{label}: rows add to {summed}, total printed {printed}")
    bounds = (quarter.start.isoformat(), quarter.end.isoformat())
    recorded = db.execute("SELECT count(*) FROM safeguarding_alerts WHERE received_date"
                          " BETWEEN ? AND ?", bounds).fetchone()[0]
    printed_total = _number(total[1]) if total else None
    named = []
    if printed_total != recorded:
        bad.append(f"{recorded} alerts recorded, {printed_total} counted")
        shown = {str(r[0]).casefold() for r in body}
        named = [f"alert {ref} ({nature})" for ref, nature in db.execute(
            "SELECT a.ref, a.nature FROM safeguarding_alerts a LEFT JOIN services s"
            " ON s.id = a.service_id WHERE a.received_date BETWEEN ? AND ?"
            " ORDER BY a.ref", bounds) if nature.casefold() not in shown]
    if bad:
        detail = "; ".join(bad)
    elif body:
        detail = f"{printed_total} = " + " + ".join(str(_number(r[1])) for r in body)
    else:
        detail = f"{printed_total} alerts"
    return [_result("9-total", title, not bad, detail, named or bad)]


# -- Appendix 4 -------------------------------------------------------------------------------

@check
def appendix4_outcomes(db, quarter, tables, today) -> list[CheckResult]:
    """In a table whose sub-rows are indented under their heading row, the sub-rows add up
    to the heading row, and the heading rows to the total row (Appendix 4's layout)."""
    title = "Appendix 4: sub-outcomes add to their high-level totals"
    candidates = [t for t in _at(tables, "A4")
                  if any(str(r[0]).startswith("  ") for r in t.rows)]
    if not candidates:
        return [_na("A4-outcomes", title, "Appendix 4 is not in the report")]
    bad, checked = [], 0
    for table in candidates:
        heads: list[tuple[list[object], list[list[object]]]] = []
        for row in table.rows[:len(table.rows) - table.total_rows]:
            if str(row[0]).startswith("  "):
                if heads:
                    heads[-1][1].append(row)
            else:
                heads.append((row, []))
        total = _total_row(table) if table.total_rows else None
        for col, label in enumerate(table.columns[1:], start=1):
            if not all(_number(h[col]) is not None for h, _ in heads):
                continue
            for head, subs in heads:
                checked += 1
                summed = sum(_number(s[col]) or 0 for s in subs)
                if subs and summed != _number(head[col]):
                    bad.append(f"{head[0]} ({label}): sub-outcomes add to {summed},"
                               f" printed {head[col]}")
            if total is not None and _number(total[col]) is not None:
                summed = sum(_number(h[col]) or 0 for h, _ in heads)  # none is None
                if summed != _number(total[col]):
                    bad.append(f"Total ({label}): outcomes add to {summed}, printed"
                               f" {total[col]}")
    return [_result("A4-outcomes", title, not bad,
                    "; ".join(bad) or f"{checked} high-level figures checked", bad)]
