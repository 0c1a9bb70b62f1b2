"""Monitoring visits as lists: a quarter's visits, a service's grade history, action plans,
and what the visit form needs (service look-up, current grade, a visit's fields)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
import sqlite_utils

from sp_tui.domain.qaf import VISIT_FIELDS, change, plan_status
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.qaf_tables import (
    ACTIVE_SERVICE_SQL, CURRENT_GRADE_SQL, LATEST_VISIT_ORDER,
)
from sp_tui.reports.registry import like_pattern
from sp_tui.reports.attention import AttentionItem

from sp_tui.reports.paging import PAGE_SIZE
# Filters of the quarter's list, judged as at the quarter's close like Tables 6 and 7.
STATUSES = ("in progress", "completed", "grade changed")
_STATUS_SQL = {
    "in progress": "(v.completed_date IS NULL OR v.completed_date > :close)",
    "completed": "v.completed_date <= :close",
    "grade changed": "(v.completed_date <= :close AND v.awarded_grade IS NOT v.existing_grade)",
}
# Begun in the quarter, or begun earlier and still open when it started. Three terms so that
# SQLite answers each from an index (visits_started, visits_open) instead of scanning.
_IN_QUARTER_SQL = (
    "(v.started_date BETWEEN :start AND :close"
    " OR (v.completed_date IS NULL AND v.started_date < :start)"
    " OR (v.completed_date >= :start AND v.started_date < :start))")


@dataclass(frozen=True)
class VisitRow:
    id: str
    service_id: str
    service_ref: str
    service_name: str
    officer: str
    started_date: str
    completed_date: str | None
    existing_grade: str | None
    self_assessed_grade: str | None
    awarded_grade: str | None
    plan_officer: str | None
    plan_review_date: str | None

    @property
    def change(self) -> str | None:
        """'higher' / 'same' / 'lower' once completed and both grades known."""
        return change(self.existing_grade, self.awarded_grade) if self.completed_date else None


@dataclass(frozen=True)
class VisitQuery:
    quarter: Quarter
    officer: str | None = None
    status: str | None = None  # one of STATUSES, or None for all
    search: str = ""
    offset: int = 0
    limit: int = PAGE_SIZE


@dataclass
class VisitPage:
    rows: list[VisitRow] = field(default_factory=list)
    total: int = 0
    offset: int = 0


_ROW_COLUMNS = ("v.id, v.service_id, s.service_ref, s.name, v.officer, v.started_date,"
                " v.completed_date, v.existing_grade, v.self_assessed_grade, v.awarded_grade,"
                " v.plan_officer, v.plan_review_date")


def visits_page(db: sqlite_utils.Database, query: VisitQuery) -> VisitPage:
    if query.status is not None and query.status not in STATUSES:
        raise ValueError(f"status must be one of: {', '.join(STATUSES)}")
    params: dict[str, object] = {"start": query.quarter.start.isoformat(),
                                 "close": query.quarter.end.isoformat()}
    clauses = [_IN_QUARTER_SQL]
    if query.officer:
        clauses.append("v.officer = :officer COLLATE NOCASE")
        params["officer"] = query.officer
    if query.status:
        clauses.append(_STATUS_SQL[query.status])
    for n, word in enumerate(query.search.split()):
        clauses.append(f"(s.service_ref LIKE :w{n} ESCAPE '\\' OR s.name LIKE :w{n} ESCAPE '\\')")
        params[f"w{n}"] = like_pattern(word)
    base = ("FROM visits v JOIN services s ON s.id = v.service_id WHERE "
            + " AND ".join(clauses))
    total = db.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    rows = db.execute(
        # "+": sort the few rows found rather than walk the whole index in date order
        f"SELECT {_ROW_COLUMNS} {base} ORDER BY +v.started_date DESC, s.service_ref"
        " LIMIT :limit OFFSET :offset",
        params | {"limit": query.limit, "offset": max(0, query.offset)}).fetchall()
    return VisitPage([VisitRow(*r) for r in rows], total, query.offset)


def officers(db: sqlite_utils.Database) -> list[str]:
    """Everyone who has logged a visit or supervises an action plan, A-Z."""
    return [r[0] for r in db.execute(
        "SELECT officer FROM visits UNION SELECT plan_officer FROM visits"
        " WHERE plan_officer IS NOT NULL ORDER BY 1 COLLATE NOCASE")]


def grade_history(db: sqlite_utils.Database, service_id: str) -> list[VisitRow]:
    """A service's visits, latest begun first."""
    rows = db.execute(
        f"SELECT {_ROW_COLUMNS} FROM visits v JOIN services s ON s.id = v.service_id"
        " WHERE v.service_id = ? ORDER BY v.started_date DESC", (service_id,)).fetchall()
    return [VisitRow(*r) for r in rows]


def current_grade(db: sqlite_utils.Database, service_id: str, as_at: date) -> str | None:
    """The awarded grade of the service's latest visit completed on or before ``as_at``."""
    row = db.execute(f"SELECT {CURRENT_GRADE_SQL} FROM services s WHERE s.id = :id",
                     {"id": service_id, "as_at": as_at.isoformat()}).fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class ActionPlanRow:
    service_id: str
    service_ref: str
    service_name: str
    visit_id: str
    awarded_on: str
    plan_officer: str | None
    plan_review_date: str | None
    overdue: bool


def action_plans(db: sqlite_utils.Database, as_at: date) -> list[ActionPlanRow]:
    """Every active service whose current grade on ``as_at`` is D, with its plan from that
    visit; overdue when the review date has passed by ``as_at``. Soonest review first."""
    # Few visits award a D (index visits_awarded); keep those that are their service's latest.
    latest = ", ".join(f"l.{term}" for term in LATEST_VISIT_ORDER.split(", "))
    rows = db.execute(
        "SELECT s.id, s.service_ref, s.name, v.id, v.completed_date, v.plan_officer,"
        " v.plan_review_date FROM visits v JOIN services s ON s.id = v.service_id"
        f" WHERE v.awarded_grade = 'D' AND v.completed_date <= :as_at AND {ACTIVE_SERVICE_SQL}"
        " AND v.id = (SELECT l.id FROM visits l WHERE l.service_id = v.service_id"
        f" AND l.completed_date <= :as_at ORDER BY {latest} LIMIT 1)"
        " ORDER BY v.plan_review_date IS NULL, v.plan_review_date, s.service_ref",
        {"as_at": as_at.isoformat()}).fetchall()
    result = []
    for sid, ref, name, visit_id, awarded_on, officer, review in rows:
        status = plan_status(date.fromisoformat(review) if review else None, as_at)
        result.append(ActionPlanRow(sid, ref, name, visit_id, awarded_on, officer, review,
                                    status.overdue))
    return result


@dataclass(frozen=True)
class ServiceChoice:
    id: str
    service_ref: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.service_ref}  {self.name}"


def find_services(db: sqlite_utils.Database, text: str, limit: int = 8) -> list[ServiceChoice]:
    """Services whose reference starts with ``text`` or whose name contains every word of it,
    references first: the visit form's autocomplete."""
    words = text.split()
    if not words:
        return []
    params: dict[str, object] = {"prefix": like_pattern(text.strip())[1:], "limit": limit}
    name_clauses = []
    for n, word in enumerate(words):
        name_clauses.append(f"name LIKE :w{n} ESCAPE '\\'")
        params[f"w{n}"] = like_pattern(word)
    rows = db.execute(
        "SELECT id, service_ref, name FROM services"
        " WHERE service_ref LIKE :prefix ESCAPE '\\' OR (" + " AND ".join(name_clauses) + ")"
        " ORDER BY service_ref NOT LIKE :prefix ESCAPE '\\', service_ref LIMIT :limit",
        params).fetchall()
    return [ServiceChoice(*r) for r in rows]


def visit_fields(db: sqlite_utils.Database, visit_id: str) -> dict[str, object] | None:
    """One visit in the form/import field names, for editing."""
    columns = ", ".join(f"v.{f}" for f in VISIT_FIELDS)
    rows = list(db.query(f"SELECT s.service_ref, {columns} FROM visits v"
                         " JOIN services s ON s.id = v.service_id WHERE v.id = ?", [visit_id]))
    return rows[0] if rows else None


def overdue_plan_reviews(db: sqlite_utils.Database, quarter: Quarter, today: date
                         ) -> list[AttentionItem]:
    """For the dashboard: D services whose action plan review date has passed, or whose plan
    lacks its officer or review date (as at the quarter's close, or today while it runs)."""

    items = []
    for plan in action_plans(db, min(today, quarter.end)):
        if plan.overdue or not (plan.plan_officer and plan.plan_review_date):
            kind = ("Action plan review overdue" if plan.overdue
                    else "Action plan without officer or review date")
            items.append(AttentionItem(
                area="visits", kind=kind, record_id=plan.service_id,
                text=f"{plan.service_ref} {plan.service_name}"
                     + (f" ({plan.plan_officer})" if plan.plan_officer else ""),
                since=date.fromisoformat(plan.plan_review_date or plan.awarded_on)))
    return items


def visit_import_rows(db: sqlite_utils.Database):
    """Every visit in the import format's column order (`sp-tui export data`)."""
    yield from db.execute(
        "SELECT s.service_ref, v.started_date, v.completed_date, v.officer, v.existing_grade,"
        " v.self_assessed_grade, v.awarded_grade,"
        " CASE v.users_consulted WHEN 1 THEN 'yes' ELSE 'no' END, v.notes,"
        " v.assessment_grade, v.safety_grade, v.safeguarding_grade, v.fair_access_grade,"
        " v.client_involvement_grade, v.plan_officer, v.plan_review_date"
        " FROM visits v JOIN services s ON s.id = v.service_id"
        " ORDER BY s.service_ref, v.started_date")
