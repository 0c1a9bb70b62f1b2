"""Report queries: the Workbooks page (filter, search, sort, paging), the summary, the SQL
statuses against the domain's, the provider default list, audits and revisits, and the query
plans that keep them fast at scale."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sp_tui.domain.quarters import Quarter, QuarterCalendar
from sp_tui.domain.workbooks import STATUSES, WorkbookFacts, workbook_status
from sp_tui.reports import workbooks as reports
from sp_tui.reports.table2 import table2_sql
from sp_tui.reports.workbooks import (
    WorkbookQuery, audit_summary, provider_default_list, revisits_due, workbook_summary,
    workbooks_page,
)
from sp_tui.services.workbook_imports import import_defaults, import_reminders
from sp_tui.services.workbooks import (
    excuse_workbook, receive_workbook, record_workbook_audit, withdraw_default,
)
from tests.workbooks_support import DEADLINE, DEFAULT_END, Q24, TODAY, add_services

DAY = timedelta(days=1)


@pytest.fixture
def six(db, make_service):
    """SP001-SP006 (odd: Alpha Trust, even: Beta Homes; SP003/SP006 in Dover)."""
    add_services(make_service, 6)
    receive_workbook(db, "SP001", Q24, DEADLINE, today=TODAY)
    receive_workbook(db, "SP002", Q24, DEFAULT_END, today=TODAY)
    receive_workbook(db, "SP003", Q24, DEFAULT_END + DAY, today=TODAY)
    excuse_workbook(db, "SP004", Q24, "upload fault", DEADLINE, today=TODAY)
    import_reminders(db, [(2, {"service_ref": "SP005", "quarter": 24,
                               "sent_date": str(DEADLINE + DAY)})], today=TODAY)
    return db


def _refs(page):
    return [r.service_ref for r in page.rows]


def test_page_filters_search_sort_and_paging(six):
    db = six
    everything = workbooks_page(db, WorkbookQuery(Q24, TODAY))
    assert everything.total == 6
    assert [r.status for r in everything.rows] == [
        "on_time", "default_period", "late", "excused", "reminded", "overdue"]
    only = workbooks_page(db, WorkbookQuery(Q24, TODAY, statuses=("overdue", "reminded")))
    assert (_refs(only), only.total) == (["SP005", "SP006"], 2)
    assert _refs(workbooks_page(db, WorkbookQuery(Q24, TODAY, provider="beta homes"))) == [
        "SP002", "SP004", "SP006"]
    assert _refs(workbooks_page(db, WorkbookQuery(Q24, TODAY, district="Dover"))) == [
        "SP003", "SP006"]
    assert _refs(workbooks_page(db, WorkbookQuery(Q24, TODAY, search="service 5"))) == ["SP005"]
    assert _refs(workbooks_page(db, WorkbookQuery(Q24, TODAY, search="100%"))) == []
    by_status = workbooks_page(db, WorkbookQuery(Q24, TODAY, sort="status", descending=True))
    assert _refs(by_status)[:2] == ["SP006", "SP005"]
    second = workbooks_page(db, WorkbookQuery(Q24, TODAY, offset=4, limit=4))
    assert (_refs(second), second.total) == (["SP005", "SP006"], 6)


def test_status_as_of_an_earlier_date(six):
    page = workbooks_page(six, WorkbookQuery(Q24, DEADLINE))
    assert [r.status for r in page.rows] == [
        "on_time", "outstanding", "outstanding", "excused", "outstanding", "outstanding"]


def test_summary(six):
    summary = workbook_summary(six, Q24, TODAY)
    assert summary.expected == 6 and summary.received == 3
    assert summary.count("excused") == 1 and summary.count("overdue") == 1
    assert summary.reminders_due == 1          # SP006: overdue, never reminded
    assert summary.defaults_due == 2           # SP005 and SP006
    early = workbook_summary(six, Q24, DEADLINE)
    assert (early.reminders_due, early.defaults_due) == (0, 0)


# -- the SQL statuses are the domain's ---------------------------------------------------

CAL = QuarterCalendar(Q24, DEADLINE, DEFAULT_END)
DATES = st.dates(min_value=Q24.start, max_value=TODAY)
FACTS = st.builds(
    WorkbookFacts,
    received_date=st.none() | DATES,
    excused_reason=st.none() | st.just("fault"),
    excused_on=st.none() | DATES,
    rejected_on=st.none() | DATES,
    reminders=st.integers(0, 2),
    default_issued=st.none() | st.dates(min_value=DEFAULT_END + DAY, max_value=TODAY),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=st.lists(FACTS, min_size=1, max_size=8), as_of=DATES)
def test_sql_statuses_match_the_domain(db, make_service, facts, as_of):
    if db.execute("SELECT count(*) FROM services").fetchone()[0] == 0:
        add_services(make_service, 8)
    for table in ("workbooks", "workbook_reminders", "workbook_defaults"):
        db.execute(f"DELETE FROM {table}")
    ids = [r[0] for r in db.execute("SELECT id FROM services ORDER BY service_ref")]
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    for n, (sid, f) in enumerate(zip(ids, facts)):
        db.execute("INSERT INTO workbooks (id, service_id, quarter, received_date, excused_reason,"
                   " excused_on, rejected_on, created_at, updated_at)"
                   " VALUES (?, ?, 24, ?, ?, ?, ?, '', '')",
                   (f"w{n}", sid, iso(f.received_date), f.excused_reason, iso(f.excused_on),
                    iso(f.rejected_on)))
        for k in range(f.reminders):
            db.execute("INSERT INTO workbook_reminders (id, service_id, quarter, sent_date,"
                       " created_at, updated_at) VALUES (?, ?, 24, ?, '', '')",
                       (f"r{n}-{k}", sid, iso(Q24.start)))
        if f.default_issued:
            db.execute("INSERT INTO workbook_defaults (id, service_id, quarter, issued_date,"
                       " created_at, updated_at) VALUES (?, ?, 24, ?, '', '')",
                       (f"d{n}", sid, iso(f.default_issued)))
    rows = workbooks_page(db, WorkbookQuery(Q24, as_of)).rows
    for row, f in zip(rows, facts):
        seen = WorkbookFacts(f.received_date, f.excused_reason, f.excused_on, f.rejected_on,
                             f.reminders, f.default_issued if f.default_issued and
                             f.default_issued <= as_of else None)
        assert row.status == workbook_status(seen, CAL, as_of), (f, as_of)
    assert set(r.status for r in rows) <= set(STATUSES)


# -- provider default list, audits, revisits -----------------------------------------------

def test_provider_default_list_flags_five_defaults_in_four_quarters(db, make_service):
    add_services(make_service, 3, provider="Gamma Care")
    make_service(service_ref="OTHER", service_name="Other", provider="Delta Trust")
    rows = []
    for number in (21, 22, 23, 24):
        end = QuarterCalendar.default(Quarter(number)).default_end
        rows += [{"service_ref": ref, "quarter": number, "issued_date": str(end + DAY)}
                 for ref in (["SP001", "SP002"] if number != 24 else ["SP001"])]
    rows.append({"service_ref": "OTHER", "quarter": 20,   # outside the four quarters
                 "issued_date": str(QuarterCalendar.default(Quarter(20)).default_end + DAY)})
    import_defaults(db, list(enumerate(rows, start=2)), today=TODAY)
    listing = provider_default_list(db, Q24)
    assert [q.number for q in listing.quarters] == [21, 22, 23, 24]
    gamma = listing.providers[0]
    assert (gamma.provider, gamma.total, gamma.by_quarter) == (
        "Gamma Care", 7, {21: 2, 22: 2, 23: 2, 24: 1})
    assert gamma.contract_review
    assert [p.provider for p in listing.providers] == ["Gamma Care"]
    withdraw_default(db, "SP001", Quarter(21), "issued in error", today=TODAY)
    withdraw_default(db, "SP002", Quarter(21), "issued in error", today=TODAY)
    withdraw_default(db, "SP001", Quarter(22), "issued in error", today=TODAY)
    gamma = provider_default_list(db, Q24).providers[0]
    assert (gamma.total, gamma.withdrawn, gamma.contract_review) == (4, 3, False)


def test_audit_summary_and_revisits(db, make_service):
    add_services(make_service, 4)
    q23 = Quarter(23)
    audit = lambda ref, q, day, level: record_workbook_audit(  # noqa: E731
        db, ref, q, audit_date=day, officer="A. Patel", assurance=level, today=date(2010, 1, 1))
    audit("SP001", q23, "2009-02-10", "low")
    audit("SP002", q23, "2009-02-11", "low")
    audit("SP003", q23, "2009-02-12", "high")
    audit("SP004", q23, "2009-02-13", "low")
    audit("SP004", q23, "2009-03-20", "medium")    # revisited within the same quarter
    summary = audit_summary(db, Q24)
    assert (summary.audits, summary.high_or_medium, summary.low) == (5, 2, 3)
    due = revisits_due(db, Quarter(25))
    assert [r.service_ref for r in due] == ["SP001", "SP002"]
    assert not any(r.done for r in due)
    audit("SP001", Q24, "2009-04-20", "medium")
    audit("SP002", Q24, "2009-04-21", "low")
    due = revisits_due(db, Quarter(25))
    assert [(r.service_ref, r.done, r.revisit_assurance) for r in due] == [
        ("SP001", True, "medium"), ("SP002", False, "low")]
    # Next quarter: SP001 is off the list; SP002, still low, stays on it.
    assert [r.service_ref for r in revisits_due(db, Quarter(26))] == ["SP002"]


# -- query plans: indexed, covering, no table scans -------------------------------------

def _plan(db, sql: str, params) -> list[str]:
    return [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def test_table2_reads_only_covering_indexes(db):
    params = []
    for number in range(19, 25):
        cal = QuarterCalendar.default(Quarter(number))
        params += [number, Quarter(number).end.isoformat(), cal.deadline.isoformat(),
                   cal.default_end.isoformat()]
    for sql in table2_sql(6):
        plan = _plan(db, sql, params)
        record_steps = [p for p in plan if p.startswith(("SEARCH", "SCAN"))
                        and "cal" not in p and "CONSTANT" not in p]
        assert record_steps and all("USING COVERING INDEX" in p for p in record_steps), plan
    receipts = " ".join(_plan(db, table2_sql(6)[0], params))
    assert "workbooks_quarter_received" in receipts and "services_expected" in receipts


def test_workbook_list_is_indexed(six):
    params = reports._params(six, Q24, TODAY)
    plan = _plan(six, f"SELECT * FROM ({reports._with_status()})", params)
    assert not [p for p in plan if p.startswith("SCAN")], plan
    text = " ".join(plan)
    assert "services_active" in text
    assert "COVERING INDEX workbook_reminders_quarter" in text
    assert "COVERING INDEX workbook_defaults_quarter" in text
    assert "sqlite_autoindex_workbooks" in text
