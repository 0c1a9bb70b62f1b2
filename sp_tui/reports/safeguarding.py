"""Safeguarding alerts: Table 9, the referral duty, and the alerts as a page of rows.

Table 9 and the referral figures are aggregate counts. Record-level rows (``alert_details``,
``alerts_page``) are for the team's own screens and for exports only when detail is asked for
explicitly; they carry references, never names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from sp_tui.domain.cases import (
    CLOSED, OPEN, latest_overdue_receipt, referral_due, referral_overdue, referred_late,
)
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.tables import ReportTable, percent
from sp_tui.reports.attention import AttentionItem

from sp_tui.reports.paging import PAGE_SIZE


def alert_natures(db: sqlite_utils.Database) -> list[str]:
    """The natures in Table 9's order (the team's additions last)."""
    return [r[0] for r in db.execute("SELECT value FROM alert_natures ORDER BY position, value")]


@dataclass(frozen=True)
class CountRow:
    label: str
    received: int
    closed: int  # closed after investigation by the quarter's close

    @property
    def still_open(self) -> int:
        return self.received - self.closed


@dataclass(frozen=True)
class Table9:
    """Alerts received in a quarter by nature and by service type, with totals."""

    quarter: Quarter
    by_nature: list[CountRow]  # every nature in the list, in order, zeros included
    by_service_type: list[CountRow]  # service types with at least one alert, most first
    total: CountRow
    # The team's duty: each alert reaches a Safeguarding Co-ordinator within 1 working day.
    referred_in_time: int
    referred_late: int
    not_referred: int

    def natures_with_alerts(self) -> list[CountRow]:
        """The rows the published table prints: natures that had an alert."""
        return [row for row in self.by_nature if row.received]


def table9(db: sqlite_utils.Database, quarter: Quarter) -> Table9:
    start, end = quarter.start.isoformat(), quarter.end.isoformat()
    natures: dict[str, list[int]] = {name: [0, 0] for name in alert_natures(db)}
    types: dict[str, list[int]] = {}
    for nature, service_type, received, closed in db.execute(
        "SELECT a.nature, s.service_type, count(*), coalesce(sum(a.closed_date <= :end), 0)"
        " FROM safeguarding_alerts a JOIN services s ON s.id = a.service_id"
        " WHERE a.received_date BETWEEN :start AND :end GROUP BY a.nature, s.service_type",
        {"start": start, "end": end},
    ):
        for bucket in (natures.setdefault(nature, [0, 0]), types.setdefault(service_type, [0, 0])):
            bucket[0] += received
            bucket[1] += closed
    in_time = late = missing = 0
    for received_text, referred_text in db.execute(
        "SELECT received_date, referred_date FROM safeguarding_alerts"
        " WHERE received_date BETWEEN ? AND ?", (start, end),
    ):
        received = date.fromisoformat(received_text)
        referred = date.fromisoformat(referred_text) if referred_text else None
        if referred is None:
            missing += 1
        elif referred_late(received, referred):
            late += 1
        else:
            in_time += 1
    by_type = sorted(types.items(), key=lambda item: (-item[1][0], item[0].casefold()))
    total_received = sum(v[0] for v in natures.values())
    total_closed = sum(v[1] for v in natures.values())
    return Table9(
        quarter=quarter,
        by_nature=[CountRow(name, *counts) for name, counts in natures.items()],
        by_service_type=[CountRow(name, *counts) for name, counts in by_type],
        total=CountRow("Total", total_received, total_closed),
        referred_in_time=in_time, referred_late=late, not_referred=missing,
    )


@dataclass(frozen=True)
class AlertRow:
    id: str
    ref: str
    service_ref: str
    service_name: str
    service_type: str
    provider: str
    received_date: date
    nature: str
    referred_date: date | None
    status: str
    closed_date: date | None
    officer: str
    notes: str
    age_days: int  # days since receipt while open; days to close once closed
    referral_due: date
    referral_overdue: bool  # not referred and the 1-working-day limit has passed
    referred_late: bool

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class AlertQuery:
    quarter: Quarter | None = None  # received in this quarter; None for every quarter
    status: str | None = None  # open / closed / None for all
    overdue_only: bool = False  # only alerts still waiting past their referral day
    offset: int = 0
    limit: int = PAGE_SIZE


@dataclass
class AlertPage:
    rows: list[AlertRow] = field(default_factory=list)
    total: int = 0
    offset: int = 0


_ALERT_COLUMNS = (
    "a.id, a.ref, s.service_ref, s.name, s.service_type, p.name, a.received_date, a.nature,"
    " a.referred_date, a.status, a.closed_date, a.officer, a.notes")
_ALERT_FROM = (" FROM safeguarding_alerts a JOIN services s ON s.id = a.service_id"
               " JOIN providers p ON p.id = s.provider_id")


def _alert_row(r: tuple, today: date) -> AlertRow:
    received = date.fromisoformat(r[6])
    referred = date.fromisoformat(r[8]) if r[8] else None
    closed = date.fromisoformat(r[10]) if r[10] else None
    return AlertRow(
        r[0], r[1], r[2], r[3], r[4], r[5], received, r[7], referred, r[9], closed, r[11], r[12],
        age_days=max(0, ((closed or today) - received).days),
        referral_due=referral_due(received),
        referral_overdue=referral_overdue(received, referred, today),
        referred_late=referred_late(received, referred),
    )


def alerts_page(db: sqlite_utils.Database, query: AlertQuery, today: date) -> AlertPage:
    """Open alerts first, those still waiting for referral leading, oldest first."""
    clauses, params = [], []
    if query.quarter is not None:
        clauses.append("a.received_date BETWEEN ? AND ?")
        params += [query.quarter.start.isoformat(), query.quarter.end.isoformat()]
    if query.status:
        clauses.append("a.status = ?")
        params.append(query.status)
    if query.overdue_only:
        clauses.append("a.referred_date IS NULL AND a.received_date <= ?")
        params.append(latest_overdue_receipt(today).isoformat())
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = db.execute(f"SELECT count(*) FROM safeguarding_alerts a{where}", params).fetchone()[0]
    order = (f"CASE a.status WHEN '{OPEN}' THEN 0 ELSE 1 END, a.referred_date IS NOT NULL,"
             " CASE WHEN a.closed_date IS NULL THEN a.received_date END, a.closed_date DESC,"
             " a.ref")
    # Sort and cut the page on the alerts alone, then join the page's 500 rows: sorting
    # the joined rows of every alert was three times slower at demo scale 20.
    sql = (f"SELECT {_ALERT_COLUMNS} FROM (SELECT a.id FROM safeguarding_alerts a{where}"
           f" ORDER BY {order} LIMIT ? OFFSET ?) page"
           " JOIN safeguarding_alerts a ON a.id = page.id"
           " JOIN services s ON s.id = a.service_id JOIN providers p ON p.id = s.provider_id"
           f" ORDER BY {order}")
    rows = [_alert_row(r, today)
            for r in db.execute(sql, [*params, query.limit, max(0, query.offset)])]
    return AlertPage(rows=rows, total=total, offset=query.offset)


def overdue_referrals(db: sqlite_utils.Database, today: date) -> list[AlertRow]:
    """Alerts not referred within 1 working day of receipt and still not referred: the
    dashboard's and the screen's highlight, oldest first."""
    sql = (f"SELECT {_ALERT_COLUMNS}{_ALERT_FROM} WHERE a.referred_date IS NULL"
           " AND a.received_date <= ? ORDER BY a.received_date, a.ref")
    return [_alert_row(r, today)
            for r in db.execute(sql, (latest_overdue_receipt(today).isoformat(),))]


def overdue_referral_count(db: sqlite_utils.Database, today: date) -> int:
    return db.execute(
        "SELECT count(*) FROM safeguarding_alerts WHERE referred_date IS NULL"
        " AND received_date <= ?", (latest_overdue_receipt(today).isoformat(),)).fetchone()[0]


@dataclass(frozen=True)
class AlertDetail:
    """One alert of a quarter for a detailed export: references and dates, no notes."""

    ref: str
    service_ref: str
    service_type: str
    received_date: str
    nature: str
    referred_date: str | None
    status_at_close: str
    closed_date: str | None


def alert_details(db: sqlite_utils.Database, quarter: Quarter) -> list[AlertDetail]:
    """The records behind Table 9, for when detail is asked for explicitly."""
    start, end = quarter.start.isoformat(), quarter.end.isoformat()
    return [AlertDetail(r[0], r[1], r[2], r[3], r[4], r[5],
                        CLOSED if r[6] and r[6] <= end else OPEN, r[6])
            for r in db.execute(
                "SELECT a.ref, s.service_ref, s.service_type, a.received_date, a.nature,"
                " a.referred_date, a.closed_date FROM safeguarding_alerts a"
                " JOIN services s ON s.id = a.service_id"
                " WHERE a.received_date BETWEEN ? AND ? ORDER BY a.received_date, a.ref",
                (start, end))]


def alert_fields(db: sqlite_utils.Database, alert_id: str) -> dict | None:
    """One alert in the form/import field names, for editing."""
    rows = list(db.query(
        "SELECT a.ref, s.service_ref, a.received_date, a.nature, a.referred_date, a.status,"
        " a.closed_date, a.officer, a.notes FROM safeguarding_alerts a"
        " JOIN services s ON s.id = a.service_id WHERE a.id = ?", [alert_id]))
    return rows[0] if rows else None


# --- the report's tables (CLI, dashboard, quarter export): counts only ----------------------

_COUNT_COLUMNS = ["Alerts received", "Closed", "Ongoing"]


_AS_AT_CLOSE = ("Alerts received in the quarter. Closed: closed after investigation by the"
                " quarter's last day; ongoing: not closed by then.")


def _count_rows(rows: list[CountRow], total: CountRow) -> list[list[object]]:
    return [[r.label, r.received, r.closed, r.still_open] for r in [*rows, total]]


def table_9(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    """Table 9 as published: the natures that had alerts, with the total."""
    t9 = table9(db, quarter)
    none = [r.label for r in t9.by_nature if not r.received]
    footnotes = [_AS_AT_CLOSE]
    if none and t9.total.received:
        footnotes.append("No alerts of these natures: " + ", ".join(none) + ".")
    return ReportTable(
        key="table9", title=f"Table 9: Safeguarding alerts received in Quarter {quarter.number}"
                            " by nature",
        subtitle=quarter.label, columns=["Nature of alert", *_COUNT_COLUMNS],
        rows=_count_rows(t9.natures_with_alerts(), t9.total), total_rows=1, footnotes=footnotes)


def table_9_service_types(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    t9 = table9(db, quarter)
    return ReportTable(
        key="table9_types", title=f"Table 9a: Safeguarding alerts received in Quarter"
                                  f" {quarter.number} by service type",
        subtitle=quarter.label, columns=["Service type", *_COUNT_COLUMNS],
        rows=_count_rows(t9.by_service_type, t9.total), total_rows=1, footnotes=[_AS_AT_CLOSE])


def table_9_referrals(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    t9 = table9(db, quarter)
    rows = [("Referred within 1 working day", t9.referred_in_time),
            ("Referred later than 1 working day", t9.referred_late),
            ("Not yet referred", t9.not_referred), ("Total", t9.total.received)]
    return ReportTable(
        key="table9_referrals", title=f"Table 9b: Referral of Quarter {quarter.number}'s alerts"
                                      " to a Safeguarding Co-ordinator",
        subtitle=quarter.label, columns=["", "Alerts", "% of alerts"],
        rows=[[label, n, percent(n, t9.total.received)] for label, n in rows], total_rows=1,
        footnotes=["Working days exclude weekends and England & Wales bank holidays."])


def overdue_referral_attention(db: sqlite_utils.Database, quarter: Quarter,
                               today: date) -> list:
    """The dashboard's "needs attention" rows: alerts still waiting past their referral day
    (whatever quarter they came in). References only."""

    return [AttentionItem(area="alerts", kind="Alert not referred within 1 working day",
                          record_id=r.id, text=f"{r.ref} at {r.service_ref} ({r.nature})",
                          since=r.referral_due)
            for r in overdue_referrals(db, today)]


def alert_import_rows(db: sqlite_utils.Database):
    """Every alert in the import format's column order, notes included: record-level data,
    for an export only when detail is asked for explicitly."""
    yield from db.execute(
        "SELECT a.ref, s.service_ref, a.received_date, a.nature, a.referred_date, a.status,"
        " a.closed_date, a.officer, a.notes FROM safeguarding_alerts a"
        " JOIN services s ON s.id = a.service_id ORDER BY a.received_date, a.ref")
