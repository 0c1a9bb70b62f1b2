"""Complaints: the quarter's figures (report section 7) and the caseload as a page of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from sp_tui.domain.cases import CONCLUDED, NEGOTIATION, OPEN
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.tables import ReportTable

from sp_tui.reports.paging import PAGE_SIZE


@dataclass(frozen=True)
class ComplaintsSummary:
    """Complaints received in a quarter and where they stood when it closed.

    received = concluded + negotiation + still_open. A complaint concluded after the close
    counts as still open at the close (the record keeps no dated history of negotiation).
    """

    quarter: Quarter
    received: int
    concluded: int
    negotiation: int
    still_open: int
    # The wider caseload: older complaints not concluded by the close, and every complaint
    # concluded during the quarter whenever it was received.
    carried_over_open: int
    concluded_in_quarter: int

    def rows(self) -> list[tuple[str, int]]:
        """The figures as the report prints them, in order."""
        q = self.quarter.number
        return [
            (f"Received in Q{q}", self.received),
            ("Concluded by the close", self.concluded),
            ("Contractual negotiation at the close", self.negotiation),
            ("Still open at the close", self.still_open),
            ("Received earlier, still open at the close", self.carried_over_open),
            (f"Concluded in Q{q}, whenever received", self.concluded_in_quarter),
        ]


def complaints_summary(db: sqlite_utils.Database, quarter: Quarter) -> ComplaintsSummary:
    start, end = quarter.start.isoformat(), quarter.end.isoformat()
    received, concluded, negotiation = db.execute(
        "SELECT count(*), coalesce(sum(closed_date <= :end), 0),"
        " coalesce(sum((closed_date IS NULL OR closed_date > :end) AND status = :negotiation), 0)"
        " FROM complaints WHERE received_date BETWEEN :start AND :end",
        {"start": start, "end": end, "negotiation": NEGOTIATION}).fetchone()
    carried = db.execute(
        "SELECT count(*) FROM complaints WHERE received_date < ?"
        " AND (closed_date IS NULL OR closed_date > ?)", (start, end)).fetchone()[0]
    concluded_in = db.execute(
        "SELECT count(*) FROM complaints WHERE received_date <= :end"
        " AND closed_date BETWEEN :start AND :end", {"start": start, "end": end}).fetchone()[0]
    return ComplaintsSummary(
        quarter=quarter, received=received, concluded=concluded, negotiation=negotiation,
        still_open=received - concluded - negotiation, carried_over_open=carried,
        concluded_in_quarter=concluded_in)


@dataclass(frozen=True)
class ComplaintRow:
    id: str
    ref: str
    service_ref: str
    service_name: str
    provider: str
    received_date: date
    channel: str
    summary: str
    status: str
    closed_date: date | None
    outcome: str
    officer: str
    age_days: int  # days since receipt while not concluded; days it took once concluded

    @property
    def is_open(self) -> bool:
        return self.status != CONCLUDED


@dataclass(frozen=True)
class ComplaintQuery:
    quarter: Quarter | None = None  # received in this quarter; None for every quarter
    status: str | None = None  # one of COMPLAINT_STATUSES, or None for all
    offset: int = 0
    limit: int = PAGE_SIZE


@dataclass
class ComplaintPage:
    rows: list[ComplaintRow] = field(default_factory=list)
    total: int = 0
    offset: int = 0


def complaints_page(db: sqlite_utils.Database, query: ComplaintQuery,
                    today: date) -> ComplaintPage:
    """Open complaints first (open, then in negotiation), oldest first: the longest waits
    lead the list; concluded ones follow, latest closed first."""
    clauses, params = [], []
    if query.quarter is not None:
        clauses.append("c.received_date BETWEEN ? AND ?")
        params += [query.quarter.start.isoformat(), query.quarter.end.isoformat()]
    if query.status:
        clauses.append("c.status = ?")
        params.append(query.status)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = db.execute(f"SELECT count(*) FROM complaints c{where}", params).fetchone()[0]
    order = (f"CASE c.status WHEN '{OPEN}' THEN 0 WHEN '{NEGOTIATION}' THEN 1 ELSE 2 END,"
             " CASE WHEN c.closed_date IS NULL THEN c.received_date END, c.closed_date DESC,"
             " c.ref")
    # The page is cut on complaints alone, then joined (as in reports.safeguarding).
    sql = (
        "SELECT c.id, c.ref, s.service_ref, s.name, p.name, c.received_date, c.channel,"
        f" c.summary, c.status, c.closed_date, c.outcome, c.officer FROM (SELECT c.id FROM"
        f" complaints c{where} ORDER BY {order} LIMIT ? OFFSET ?) page"
        " JOIN complaints c ON c.id = page.id"
        " JOIN services s ON s.id = c.service_id JOIN providers p ON p.id = s.provider_id"
        f" ORDER BY {order}")
    rows = []
    for r in db.execute(sql, [*params, query.limit, max(0, query.offset)]):
        received = date.fromisoformat(r[5])
        closed = date.fromisoformat(r[9]) if r[9] else None
        age = ((closed or today) - received).days
        rows.append(ComplaintRow(r[0], r[1], r[2], r[3], r[4], received, r[6], r[7], r[8],
                                 closed, r[10], r[11], max(0, age)))
    return ComplaintPage(rows=rows, total=total, offset=query.offset)


def complaint_fields(db: sqlite_utils.Database, complaint_id: str) -> dict | None:
    """One complaint in the form/import field names, for editing."""
    rows = list(db.query(
        "SELECT c.ref, s.service_ref, c.received_date, c.channel, c.summary, c.status,"
        " c.closed_date, c.outcome, c.officer FROM complaints c"
        " JOIN services s ON s.id = c.service_id WHERE c.id = ?", [complaint_id]))
    return rows[0] if rows else None


def complaints_table(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    """Section 7 of the report as a table (CLI, dashboard, quarter export)."""
    summary = complaints_summary(db, quarter)
    return ReportTable(
        key="complaints", title=f"Complaints: Quarter {quarter.number}",
        subtitle=f"{quarter.label}; complaints that exhausted providers' own procedures",
        columns=["", "Complaints"], rows=[[label, n] for label, n in summary.rows()],
        footnotes=["Status at the quarter's close; a complaint concluded later counts as"
                   " still open then."])


def complaint_import_rows(db: sqlite_utils.Database):
    """Every complaint in the import format's column order (for a re-importable export)."""
    yield from db.execute(
        "SELECT c.ref, s.service_ref, c.received_date, c.summary, c.status, c.closed_date,"
        " c.channel, c.outcome, c.officer FROM complaints c"
        " JOIN services s ON s.id = c.service_id ORDER BY c.received_date, c.ref")
