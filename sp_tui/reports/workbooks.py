"""Expected workbooks of a quarter with their status as of a date: the Workbooks screen's
page, the quarter summary, who is due a reminder or a default notice, the provider default
list, and workbook audits. Filtered, sorted and paged in SQL (indexed; see 0002)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlite_utils

from sp_tui.domain.quarters import Quarter, QuarterCalendar
from sp_tui.domain.workbooks import (
    CONTRACT_REVIEW_DEFAULTS, STATUSES, default_list_quarters,
)
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.registry import like_pattern
from sp_tui.reports.tables import ReportTable
from sp_tui.reports.attention import AttentionItem

from sp_tui.reports.paging import PAGE_SIZE

# One row per expected workbook: services active on the quarter's last day that must report,
# with what the records hold for (service, quarter) as of :as_of.
_EXPECTED = """
SELECT s.id AS service_id, s.service_ref, s.name AS service_name, p.name AS provider,
       s.district, w.received_date, w.excused_reason, w.excused_on, w.rejected_on,
       w.rejected_reason,
       (SELECT count(*) FROM workbook_reminders r WHERE r.service_id = s.id
           AND r.quarter = :quarter AND r.sent_date <= :as_of) AS reminders,
       (SELECT max(r.sent_date) FROM workbook_reminders r WHERE r.service_id = s.id
           AND r.quarter = :quarter AND r.sent_date <= :as_of) AS last_reminder,
       (SELECT max(d.issued_date) FROM workbook_defaults d WHERE d.service_id = s.id
           AND d.quarter = :quarter AND d.withdrawn_date IS NULL
           AND d.issued_date <= :as_of) AS default_issued
FROM services s
JOIN providers p ON p.id = s.provider_id
LEFT JOIN workbooks w ON w.service_id = s.id AND w.quarter = :quarter
WHERE s.workbook_required = 1 AND s.start_date <= :last_day
  AND (s.end_date IS NULL OR s.end_date >= :last_day)
"""

# The same rules as domain.workbooks.workbook_status (tests/unit/test_workbooks_status.py).
_STATUS = """
CASE
  WHEN received_date IS NOT NULL AND received_date <= :as_of THEN
    CASE WHEN received_date <= :deadline THEN 'on_time'
         WHEN received_date <= :default_end THEN 'default_period' ELSE 'late' END
  WHEN excused_reason IS NOT NULL AND (excused_on IS NULL OR excused_on <= :as_of)
    THEN 'excused'
  WHEN default_issued IS NOT NULL THEN 'in_default'
  WHEN rejected_on IS NOT NULL AND rejected_on <= :as_of THEN 'rejected'
  WHEN reminders > 0 THEN 'reminded'
  WHEN :as_of > :deadline THEN 'overdue'
  ELSE 'outstanding'
END"""

_STATUS_RANK = "CASE status " + " ".join(
    f"WHEN '{key}' THEN {rank}" for rank, key in enumerate(STATUSES)) + " END"

# Sort keys a screen may ask for, mapped to SQL (never interpolate user text).
SORTS = {
    "ref": "service_ref COLLATE NOCASE",
    "service": "service_name COLLATE NOCASE",
    "provider": "provider COLLATE NOCASE",
    "district": "district COLLATE NOCASE",
    "status": _STATUS_RANK,
    "received": "received_date",
    "reminders": "reminders",
    "default": "default_issued",
}


@dataclass(frozen=True)
class WorkbookRow:
    service_id: str
    service_ref: str
    service_name: str
    provider: str
    district: str
    received_date: str | None
    excused_reason: str | None
    excused_on: str | None
    rejected_on: str | None
    rejected_reason: str | None
    reminders: int
    last_reminder: str | None
    default_issued: str | None
    status: str

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


@dataclass(frozen=True)
class WorkbookQuery:
    quarter: Quarter
    as_of: date
    statuses: tuple[str, ...] = ()   # status keys; empty for all
    provider: str | None = None      # provider name, exact (any case)
    district: str | None = None
    search: str = ""
    sort: str = "ref"
    descending: bool = False
    offset: int = 0
    limit: int = PAGE_SIZE


@dataclass
class WorkbookPage:
    rows: list[WorkbookRow] = field(default_factory=list)
    total: int = 0
    offset: int = 0


def _params(db: sqlite_utils.Database, quarter: Quarter, as_of: date,
            calendar: QuarterCalendar | None = None) -> dict[str, object]:
    calendar = calendar or calendar_for(db, quarter)
    return {"quarter": quarter.number, "last_day": quarter.end.isoformat(),
            "as_of": as_of.isoformat(), "deadline": calendar.deadline.isoformat(),
            "default_end": calendar.default_end.isoformat()}


def _with_status() -> str:
    return f"SELECT *, {_STATUS} AS status FROM ({_EXPECTED})"


def workbooks_page(db: sqlite_utils.Database, query: WorkbookQuery) -> WorkbookPage:
    """One page of the quarter's expected workbooks, filtered and sorted."""
    params = _params(db, query.quarter, query.as_of)
    clauses: list[str] = []
    if query.statuses:
        names = [f":status{i}" for i in range(len(query.statuses))]
        clauses.append(f"status IN ({', '.join(names)})")
        params.update({name[1:]: key for name, key in zip(names, query.statuses)})
    if query.provider:
        clauses.append("provider = :provider COLLATE NOCASE")
        params["provider"] = query.provider
    if query.district:
        clauses.append("district = :district COLLATE NOCASE")
        params["district"] = query.district
    for i, word in enumerate(query.search.split()):
        clauses.append(f"(service_ref LIKE :w{i} ESCAPE '\\' OR service_name LIKE :w{i}"
                       f" ESCAPE '\\' OR provider LIKE :w{i} ESCAPE '\\'"
                       f" OR district LIKE :w{i} ESCAPE '\\')")
        params[f"w{i}"] = like_pattern(word)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    base = f"FROM ({_with_status()}){where}"
    if clauses:
        total = db.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    else:  # every expected workbook: counted from the services index alone
        total = expected_count(db, query.quarter)
    order = SORTS.get(query.sort, SORTS["ref"]) + (" DESC" if query.descending else "")
    params |= {"limit": query.limit, "offset": max(0, query.offset)}
    cursor = db.execute(
        f"SELECT service_id, service_ref, service_name, provider, district, received_date,"
        f" excused_reason, excused_on, rejected_on, rejected_reason, reminders, last_reminder,"
        f" default_issued, status {base} ORDER BY {order}, service_ref COLLATE NOCASE"
        f" LIMIT :limit OFFSET :offset", params)
    return WorkbookPage(rows=[WorkbookRow(*row) for row in cursor], total=total,
                        offset=query.offset)


def expected_count(db: sqlite_utils.Database, quarter: Quarter) -> int:
    last = quarter.end.isoformat()
    return db.execute(
        "SELECT count(*) FROM services WHERE workbook_required = 1 AND start_date <= ?"
        " AND (end_date IS NULL OR end_date >= ?)", (last, last)).fetchone()[0]


@dataclass(frozen=True)
class WorkbookSummary:
    """The quarter at a glance, as of a date."""

    quarter: Quarter
    as_of: date
    deadline: date
    default_end: date
    expected: int
    by_status: dict[str, int]
    reminders_due: int   # overdue and never reminded: what "send reminders" would do today
    defaults_due: int    # what "issue defaults" would do today (0 before the period ends)

    @property
    def received(self) -> int:
        return sum(self.by_status[key] for key in ("on_time", "default_period", "late"))

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)


def workbook_summary(db: sqlite_utils.Database, quarter: Quarter, as_of: date) -> WorkbookSummary:
    calendar = calendar_for(db, quarter)
    params = _params(db, quarter, as_of, calendar)
    by_status = dict.fromkeys(STATUSES, 0)
    reminders_due = 0
    for status, total, unreminded in db.execute(
            f"SELECT status, count(*), sum(reminders = 0) FROM ({_with_status()})"
            f" GROUP BY status", params):
        by_status[status] = total
        if status in ("overdue", "rejected") and as_of > calendar.deadline:
            reminders_due += unreminded
    defaults_due = 0
    if as_of > calendar.default_end:  # the same rows as default_candidates
        defaults_due = db.execute(
            f"SELECT count(*) FROM ({_with_status()}) x WHERE x.status IN"
            f" ('reminded', 'rejected', 'overdue') {_STILL_MISSING} {_NO_DEFAULT}",
            params).fetchone()[0]
    return WorkbookSummary(quarter, as_of, calendar.deadline, calendar.default_end,
                           sum(by_status.values()), by_status, reminders_due, defaults_due)


# Batch actions use what is known now: a workbook since received or excused is left alone
# even when the batch is dated earlier.
_STILL_MISSING = "AND x.received_date IS NULL AND x.excused_reason IS NULL"
_NEVER_REMINDED = ("AND NOT EXISTS (SELECT 1 FROM workbook_reminders r"
                   " WHERE r.service_id = x.service_id AND r.quarter = :quarter)")
# A default withdrawn (issued in error) does not make the workbook due again: the officer
# asks for that explicitly (issue_defaults(include_withdrawn=True)).
_NO_DEFAULT = ("AND NOT EXISTS (SELECT 1 FROM workbook_defaults d WHERE d.service_id ="
               " x.service_id AND d.quarter = :quarter)")
_NO_DEFAULT_IN_FORCE = ("AND NOT EXISTS (SELECT 1 FROM workbook_defaults d WHERE d.service_id ="
                        " x.service_id AND d.quarter = :quarter AND d.withdrawn_date IS NULL)")


def reminder_candidates(db: sqlite_utils.Database, quarter: Quarter,
                        sent: date) -> list[WorkbookRow]:
    """Overdue workbooks with no reminder yet, on ``sent``: whom "send reminders" writes to.
    Before the deadline nothing is overdue, so the list is empty."""
    calendar = calendar_for(db, quarter)
    if sent <= calendar.deadline:
        return []
    return _rows_with_status(db, quarter, sent, ("overdue", "rejected"),
                             f"{_STILL_MISSING} {_NEVER_REMINDED}")


def default_candidates(db: sqlite_utils.Database, quarter: Quarter,
                       issued: date, *, include_withdrawn: bool = False) -> list[WorkbookRow]:
    """Workbooks still not received and not excused on ``issued``, with no default: whom
    "issue defaults" writes to. Empty until the default period has ended. A workbook whose
    default was withdrawn is left out unless ``include_withdrawn``."""
    calendar = calendar_for(db, quarter)
    if issued <= calendar.default_end:
        return []
    return _rows_with_status(db, quarter, issued, ("reminded", "rejected", "overdue"),
                             f"{_STILL_MISSING} "
                             f"{_NO_DEFAULT_IN_FORCE if include_withdrawn else _NO_DEFAULT}")


def _rows_with_status(db, quarter: Quarter, as_of: date, statuses: tuple[str, ...],
                      extra: str) -> list[WorkbookRow]:
    params = _params(db, quarter, as_of)
    marks = ", ".join(f"'{s}'" for s in statuses if s in STATUSES)
    cursor = db.execute(
        f"SELECT service_id, service_ref, service_name, provider, district, received_date,"
        f" excused_reason, excused_on, rejected_on, rejected_reason, reminders, last_reminder,"
        f" default_issued, status FROM ({_with_status()}) x WHERE x.status IN ({marks}) {extra}"
        f" ORDER BY provider COLLATE NOCASE, service_ref COLLATE NOCASE", params)
    return [WorkbookRow(*row) for row in cursor]


def filter_choices(db: sqlite_utils.Database, quarter: Quarter) -> dict[str, list[str]]:
    """Providers and districts that have expected workbooks in the quarter, for filters."""
    last = quarter.end.isoformat()
    where = ("s.workbook_required = 1 AND s.start_date <= ? AND (s.end_date IS NULL OR"
             " s.end_date >= ?)")
    providers = [r[0] for r in db.execute(
        f"SELECT DISTINCT p.name FROM services s JOIN providers p ON p.id = s.provider_id"
        f" WHERE {where} ORDER BY p.name COLLATE NOCASE", (last, last))]
    districts = [r[0] for r in db.execute(
        f"SELECT DISTINCT s.district FROM services s WHERE {where}"
        f" ORDER BY s.district COLLATE NOCASE", (last, last))]
    return {"provider": providers, "district": districts}


# -- default notices and the provider default list -----------------------------------------

@dataclass(frozen=True)
class ProviderDefaults:
    provider: str
    by_quarter: dict[int, int]   # defaults in force per quarter
    withdrawn: int

    @property
    def total(self) -> int:
        return sum(self.by_quarter.values())

    @property
    def contract_review(self) -> bool:
        return self.total >= CONTRACT_REVIEW_DEFAULTS


@dataclass(frozen=True)
class ProviderDefaultList:
    first: Quarter
    last: Quarter
    providers: list[ProviderDefaults]

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(n) for n in range(self.first.number, self.last.number + 1)]


def provider_default_list(db: sqlite_utils.Database, quarter: Quarter) -> ProviderDefaultList:
    """Each provider's defaults over the four quarters ending at ``quarter``, most first;
    five or more flag the provider for contract review. Withdrawn defaults are shown apart
    and never counted."""
    first, last = default_list_quarters(quarter)
    counts: dict[str, dict[int, int]] = {}
    withdrawn: dict[str, int] = {}
    for provider, q, in_force, gone in db.execute(
            "SELECT p.name, d.quarter, sum(d.withdrawn_date IS NULL),"
            " sum(d.withdrawn_date IS NOT NULL) FROM workbook_defaults d"
            " JOIN services s ON s.id = d.service_id JOIN providers p ON p.id = s.provider_id"
            " WHERE d.quarter BETWEEN ? AND ? GROUP BY p.id, d.quarter",
            (first.number, last.number)):
        counts.setdefault(provider, dict.fromkeys(range(first.number, last.number + 1), 0))
        counts[provider][q] += in_force
        withdrawn[provider] = withdrawn.get(provider, 0) + gone
    rows = [ProviderDefaults(name, by_q, withdrawn.get(name, 0)) for name, by_q in counts.items()]
    rows.sort(key=lambda r: (-r.total, r.provider.casefold()))
    return ProviderDefaultList(first, last, rows)


# -- workbook audits --------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditRecord:
    id: str
    service_ref: str
    service_name: str
    provider: str
    quarter: int
    audit_date: str
    officer: str
    assurance: str
    notes: str


@dataclass(frozen=True)
class AuditSummary:
    quarter: Quarter
    audits: int
    high: int
    medium: int
    low: int

    @property
    def high_or_medium(self) -> int:
        return self.high + self.medium


def audits_in_quarter(db: sqlite_utils.Database, quarter: Quarter) -> list[AuditRecord]:
    """Workbook audits carried out (dated) during the quarter."""
    return [AuditRecord(*row) for row in db.execute(
        "SELECT a.id, s.service_ref, s.name, p.name, a.quarter, a.audit_date, a.officer,"
        " a.assurance, a.notes FROM workbook_audits a JOIN services s ON s.id = a.service_id"
        " JOIN providers p ON p.id = s.provider_id WHERE a.audit_date BETWEEN ? AND ?"
        " ORDER BY a.audit_date, s.service_ref COLLATE NOCASE",
        (quarter.start.isoformat(), quarter.end.isoformat()))]


def audit_summary(db: sqlite_utils.Database, quarter: Quarter) -> AuditSummary:
    counts = dict(db.execute(
        "SELECT assurance, count(*) FROM workbook_audits WHERE audit_date BETWEEN ? AND ?"
        " GROUP BY assurance", (quarter.start.isoformat(), quarter.end.isoformat())).fetchall())
    high, medium, low = (counts.get(k, 0) for k in ("high", "medium", "low"))
    return AuditSummary(quarter, high + medium + low, high, medium, low)


@dataclass(frozen=True)
class RevisitDue:
    service_id: str
    service_ref: str
    service_name: str
    provider: str
    low_audit_date: str       # the latest audit before the quarter, which was low
    officer: str
    revisit_date: str | None  # the latest audit during the quarter, if any
    revisit_assurance: str | None

    @property
    def done(self) -> bool:
        return self.revisit_assurance is not None and self.revisit_assurance != "low"


def revisits_due(db: sqlite_utils.Database, quarter: Quarter) -> list[RevisitDue]:
    """Services whose latest audit before ``quarter`` was low: due a revisit in it. A service
    stays on the list quarter after quarter until an audit is not low."""
    start, end = quarter.start.isoformat(), quarter.end.isoformat()
    return [RevisitDue(*row) for row in db.execute(
        """
        WITH latest AS (
            SELECT service_id, audit_date, officer, assurance,
                   row_number() OVER (PARTITION BY service_id
                                      ORDER BY audit_date DESC, created_at DESC, id) AS n
            FROM workbook_audits WHERE audit_date < :start),
        revisit AS (
            SELECT service_id, audit_date, assurance,
                   row_number() OVER (PARTITION BY service_id
                                      ORDER BY audit_date DESC, created_at DESC, id) AS n
            FROM workbook_audits WHERE audit_date BETWEEN :start AND :end)
        SELECT s.id, s.service_ref, s.name, p.name, l.audit_date, l.officer, r.audit_date,
               r.assurance
        FROM latest l JOIN services s ON s.id = l.service_id
        JOIN providers p ON p.id = s.provider_id
        LEFT JOIN revisit r ON r.service_id = l.service_id AND r.n = 1
        WHERE l.n = 1 AND l.assurance = 'low'
        ORDER BY p.name COLLATE NOCASE, s.service_ref COLLATE NOCASE
        """, {"start": start, "end": end})]


def workbook_audits_report(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    """Section 2.3: workbook audits carried out in the quarter and the revisits they lead to."""
    summary = audit_summary(db, quarter)
    due = revisits_due(db, quarter)
    rows = [
        ["Workbook audits completed", summary.audits],
        ["High assurance", summary.high],
        ["Medium assurance", summary.medium],
        ["Low assurance", summary.low],
        ["High or medium assurance", summary.high_or_medium],
        ["Revisits due this quarter (low assurance before it)", len(due)],
        ["Revisited this quarter and no longer low", sum(r.done for r in due)],
        ["To revisit next quarter", len(revisits_due(db, quarter.next()))],
    ]
    return ReportTable(
        key="workbook_audits", title="Workbook audits",
        subtitle=f"Audits carried out during {quarter.label}",
        columns=["", quarter.label], rows=rows,
        footnotes=["Assurance on the accuracy of the KPI 1 and KPI 2 data. A service audited"
                   " low is revisited the following quarter, until an audit is not low."])


def workbook_attention(db: sqlite_utils.Database, quarter: Quarter, today: date) -> list:
    """For the dashboard's "needs attention": overdue workbooks with no reminder, workbooks
    due a default notice, and low-assurance revisits not yet done."""

    calendar = calendar_for(db, quarter)

    def text(row) -> str:
        return f"{row.service_ref} {row.service_name} ({row.provider})"

    items = [AttentionItem("workbooks", "Overdue workbook, no reminder", row.service_id,
                           text(row), calendar.deadline + timedelta(days=1))
             for row in reminder_candidates(db, quarter, today)]
    items += [AttentionItem("workbooks", "Default notice due", row.service_id, text(row),
                            calendar.default_end + timedelta(days=1))
              for row in default_candidates(db, quarter, today)]
    items += [AttentionItem("workbooks", "Low-assurance workbook audit: revisit due",
                            r.service_id, text(r), quarter.start)
              for r in revisits_due(db, quarter) if not r.done]
    return items


# -- records in their import formats (`sp-tui export data`) ---------------------------------

def workbook_import_rows(db: sqlite_utils.Database):
    """service_ref, quarter, received_date, excused: every workbook with a receipt or an
    excuse (rejected submissions are history: the accepted date is what counts)."""
    yield from db.execute(
        "SELECT s.service_ref, w.quarter, w.received_date, w.excused_reason FROM workbooks w"
        " JOIN services s ON s.id = w.service_id"
        " WHERE w.received_date IS NOT NULL OR w.excused_reason IS NOT NULL"
        " ORDER BY w.quarter, s.service_ref")


def reminder_import_rows(db: sqlite_utils.Database):
    yield from db.execute(
        "SELECT s.service_ref, r.quarter, r.sent_date FROM workbook_reminders r"
        " JOIN services s ON s.id = r.service_id ORDER BY r.quarter, s.service_ref, r.sent_date")


def default_import_rows(db: sqlite_utils.Database):
    """Every default, withdrawn ones too (with the date and reason): their records are kept."""
    yield from db.execute(
        "SELECT s.service_ref, d.quarter, d.issued_date, d.withdrawn_date, d.withdrawn_reason"
        " FROM workbook_defaults d JOIN services s ON s.id = d.service_id"
        " ORDER BY d.quarter, s.service_ref, d.withdrawn_date IS NULL, d.issued_date")


def quarter_import_rows(db: sqlite_utils.Database):
    """Quarter dates set with `quarter set` (the others follow the rule)."""
    yield from db.execute("SELECT quarter, deadline, default_end FROM quarter_calendar"
                          " ORDER BY quarter")


def rejection_import_rows(db: sqlite_utils.Database):
    """Every rejection; pending = yes for the one the workbook still awaits a resubmission
    for."""
    yield from db.execute(
        "SELECT s.service_ref, w.quarter, r.received_date, r.rejected_on, r.reason,"
        " CASE WHEN r.undone_at IS NULL AND w.received_date IS NULL"
        "  AND w.rejected_on = r.rejected_on AND r.rowid = (SELECT max(x.rowid) FROM"
        "  workbook_rejections x WHERE x.workbook_id = w.id AND x.undone_at IS NULL"
        "  AND x.rejected_on = w.rejected_on) THEN 'yes' ELSE 'no' END, r.undone_at"
        " FROM workbook_rejections r JOIN workbooks w ON w.id = r.workbook_id"
        " JOIN services s ON s.id = w.service_id"
        " ORDER BY w.quarter, s.service_ref, r.rejected_on, r.received_date")


def audit_import_rows(db: sqlite_utils.Database):
    """Workbook audits in the import format's column order (`sp-tui import audits`)."""
    yield from db.execute(
        "SELECT s.service_ref, a.quarter, a.audit_date, a.officer, a.assurance, a.notes"
        " FROM workbook_audits a JOIN services s ON s.id = a.service_id"
        " ORDER BY a.audit_date, s.service_ref, a.created_at")
