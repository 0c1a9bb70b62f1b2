"""The services register as a page of rows: filtered, sorted and paged in SQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlite_utils

from sp_tui.domain.quarters import Quarter

from sp_tui.reports.paging import PAGE_SIZE

# Sort keys a screen may ask for, mapped to SQL (never interpolate user text).
SORTS = {
    "ref": "s.service_ref COLLATE NOCASE",
    "name": "s.name COLLATE NOCASE",
    "provider": "p.name COLLATE NOCASE",
    "type": "s.service_type COLLATE NOCASE",
    "client_group": "s.client_group COLLATE NOCASE",
    "district": "s.district COLLATE NOCASE",
    "term": "s.term",
    "units": "s.household_units",
    "status": "s.status",
}
STATUSES = ("active", "ended", "not started")


@dataclass(frozen=True)
class ServiceRow:
    id: str
    service_ref: str
    name: str
    provider: str
    service_type: str
    client_group: str
    district: str
    term: str
    household_units: int
    workbook_required: bool
    start_date: str
    end_date: str | None
    status: str


@dataclass(frozen=True)
class ServiceQuery:
    quarter: Quarter
    search: str = ""
    status: str | None = None  # one of STATUSES, or None for all
    sort: str = "ref"
    descending: bool = False
    offset: int = 0
    limit: int = PAGE_SIZE


@dataclass
class Page:
    rows: list[ServiceRow] = field(default_factory=list)
    total: int = 0
    offset: int = 0


def like_pattern(word: str) -> str:
    """A LIKE pattern matching ``word`` literally anywhere (used with ESCAPE '\\')."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + escaped + "%"


def services_page(db: sqlite_utils.Database, query: ServiceQuery) -> Page:
    last = query.quarter.end.isoformat()
    clauses: list[str] = []
    params: list[object] = [last, last]
    for word in query.search.split():
        clauses.append("(s.service_ref LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\'"
                       " OR p.name LIKE ? ESCAPE '\\' OR s.district LIKE ? ESCAPE '\\')")
        params += [like_pattern(word)] * 4
    if query.status:
        clauses.append("s.status = ?")
        params.append(query.status)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    base = ("FROM (SELECT *, CASE WHEN start_date > ? THEN 'not started'"
            " WHEN end_date IS NOT NULL AND end_date < ? THEN 'ended' ELSE 'active' END"
            " AS status FROM services) s JOIN providers p ON p.id = s.provider_id" + where)
    total = db.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    order = SORTS.get(query.sort, SORTS["ref"]) + (" DESC" if query.descending else "")
    sql = (f"SELECT s.id, s.service_ref, s.name, p.name, s.service_type, s.client_group,"
           f" s.district, s.term, s.household_units, s.workbook_required, s.start_date,"
           f" s.end_date, s.status {base} ORDER BY {order}, s.service_ref LIMIT ? OFFSET ?")
    rows = [ServiceRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9]),
                       r[10], r[11], r[12])
            for r in db.execute(sql, [*params, query.limit, max(0, query.offset)])]
    return Page(rows=rows, total=total, offset=query.offset)


def service_fields(db: sqlite_utils.Database, service_id: str) -> dict[str, object] | None:
    """One service in the import/form field names, for editing."""
    rows = list(db.query(
        "SELECT s.service_ref, s.name AS service_name, p.name AS provider, s.service_type,"
        " s.client_group, s.district, s.term, s.household_units, s.leaseholder_units,"
        " s.workbook_required, s.start_date, s.end_date FROM services s"
        " JOIN providers p ON p.id = s.provider_id WHERE s.id = ?", [service_id]))
    return rows[0] if rows else None


def registry_counts(db: sqlite_utils.Database, quarter: Quarter) -> dict[str, int]:
    last = quarter.end.isoformat()
    row = db.execute(
        "SELECT count(*), count(DISTINCT provider_id) FROM services"
        " WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)", (last, last)).fetchone()
    return {"active_services": row[0], "active_providers": row[1]}


def service_import_rows(db: sqlite_utils.Database) -> Iterator[tuple]:
    """Every service in the services import format (for `export data`)."""
    yield from db.execute(
        "SELECT p.name, s.service_ref, s.name, s.service_type, s.client_group, s.district,"
        " s.term, s.start_date, s.household_units, s.leaseholder_units,"
        " CASE s.workbook_required WHEN 1 THEN 'yes' ELSE 'no' END, s.end_date,"
        " p.contact_name, p.address, p.email"
        " FROM services s JOIN providers p ON p.id = s.provider_id ORDER BY s.service_ref")
