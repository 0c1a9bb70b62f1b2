"""Table 9 as at the quarter's close, the referral highlight, and the alerts page."""

from datetime import date

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.safeguarding import (
    AlertQuery, alert_details, alerts_page, overdue_referral_count, overdue_referrals, table9,
)
from sp_tui.services.alerts import add_alert_nature, import_alerts

TODAY = date(2009, 12, 31)


def load(db, rows):
    fields = ("ref", "service_ref", "received_date", "nature", "referred_date", "closed_date")
    import_alerts(db, [(n, dict(zip(fields, row)) | {"status": "closed" if row[5] else "open"})
                       for n, row in enumerate(rows, 2)], today=TODAY)


def services(make_service):
    make_service(service_ref="SH1", service_type="Sheltered housing")
    make_service(service_ref="FS1", service_type="Floating support")


def test_table9_by_nature_and_service_type_as_at_the_close(db, make_service):
    services(make_service)
    load(db, [
        ("A1", "SH1", "2009-01-02", "financial", "2009-01-02", "2009-02-01"),
        ("A2", "SH1", "2009-02-02", "financial", "2009-02-03", "2009-04-15"),  # closed later
        ("A3", "FS1", "2009-03-31", "physical", "2009-04-01", None),
        ("A4", "FS1", "2009-03-06", "neglect", "2009-03-12", "2009-03-20"),    # referred late
        ("A5", "FS1", "2008-12-31", "sexual", "2008-12-31", None),             # Q23
        ("A6", "SH1", "2009-04-01", "sexual", None, None),                     # Q25
    ])
    t9 = table9(db, Quarter(24))
    rows = {r.label: (r.received, r.closed, r.still_open) for r in t9.by_nature}
    assert rows["Financial abuse"] == (2, 1, 1)
    assert rows["Physical abuse"] == (1, 0, 1)
    assert rows["Neglect"] == (1, 1, 0)
    assert rows["Sexual abuse"] == (0, 0, 0)
    assert [r.label for r in t9.natures_with_alerts()] == [
        "Financial abuse", "Physical abuse", "Neglect"]
    assert [(r.label, r.received, r.closed) for r in t9.by_service_type] == [
        ("Floating support", 2, 1), ("Sheltered housing", 2, 1)]
    assert (t9.total.received, t9.total.closed, t9.total.still_open) == (4, 2, 2)
    assert (t9.referred_in_time, t9.referred_late, t9.not_referred) == (3, 1, 0)


def test_a_nature_the_team_added_gets_its_own_row_at_the_end(db, make_service):
    services(make_service)
    add_alert_nature(db, "Modern slavery")
    load(db, [("A1", "SH1", "2009-01-02", "modern slavery", None, None)])
    t9 = table9(db, Quarter(24))
    assert (t9.by_nature[-1].label, t9.by_nature[-1].received) == ("Modern slavery", 1)
    assert t9.not_referred == 1


def test_unreferred_alerts_are_highlighted_once_a_working_day_has_passed(db, make_service):
    services(make_service)
    load(db, [
        ("FRI", "SH1", "2009-03-06", "financial", None, None),      # due Monday 9th
        ("MON", "SH1", "2009-03-09", "financial", None, None),      # due Tuesday 10th
        ("DONE", "SH1", "2009-03-02", "financial", "2009-03-05", None),  # late but referred
    ])
    assert overdue_referral_count(db, date(2009, 3, 9)) == 0
    assert [r.ref for r in overdue_referrals(db, date(2009, 3, 10))] == ["FRI"]
    assert [r.ref for r in overdue_referrals(db, date(2009, 3, 11))] == ["FRI", "MON"]
    page = alerts_page(db, AlertQuery(), date(2009, 3, 10))
    assert [(r.ref, r.referral_overdue, r.referred_late) for r in page.rows] == [
        ("FRI", True, False), ("MON", False, False), ("DONE", False, True)]
    only = alerts_page(db, AlertQuery(overdue_only=True), date(2009, 3, 10))
    assert [r.ref for r in only.rows] == ["FRI"] and only.total == 1


def test_the_page_filters_by_quarter_and_status_open_first(db, make_service):
    services(make_service)
    load(db, [
        ("C1", "SH1", "2009-01-02", "neglect", "2009-01-02", "2009-01-30"),
        ("O1", "SH1", "2009-02-02", "neglect", "2009-02-02", None),
        ("O2", "FS1", "2009-01-12", "neglect", "2009-01-12", None),
        ("X", "FS1", "2009-05-12", "neglect", "2009-05-12", None),
    ])
    page = alerts_page(db, AlertQuery(quarter=Quarter(24)), date(2009, 3, 1))
    assert [(r.ref, r.age_days) for r in page.rows] == [("O2", 48), ("O1", 27), ("C1", 28)]
    closed = alerts_page(db, AlertQuery(status="closed"), date(2009, 3, 1))
    assert [r.ref for r in closed.rows] == ["C1"]


def test_details_carry_references_and_status_at_close_but_no_notes(db, make_service):
    services(make_service)
    load(db, [("A1", "SH1", "2009-01-02", "financial", "2009-01-02", "2009-04-15")])
    [row] = alert_details(db, Quarter(24))
    assert (row.ref, row.service_ref, row.status_at_close) == ("A1", "SH1", "open")
    assert not hasattr(row, "notes")


def test_table9_reads_alerts_through_the_covering_index(db):
    plan = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT a.nature, s.service_type, count(*), sum(a.closed_date <= ?)"
        " FROM safeguarding_alerts a JOIN services s ON s.id = a.service_id"
        " WHERE a.received_date BETWEEN ? AND ? GROUP BY a.nature, s.service_type",
        ("2009-03-31", "2009-01-01", "2009-03-31")))
    assert "COVERING INDEX safeguarding_alerts_received" in plan
    unreferred = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM safeguarding_alerts"
        " WHERE referred_date IS NULL AND received_date <= ?", ("2009-03-31",)))
    assert "safeguarding_alerts_unreferred" in unreferred
