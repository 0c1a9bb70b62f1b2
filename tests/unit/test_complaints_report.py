"""The complaints quarter report and the caseload page."""

from datetime import date

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.complaints import ComplaintQuery, complaints_page, complaints_summary
from sp_tui.services.complaints import import_complaints

TODAY = date(2009, 12, 31)


def load(db, rows):
    fields = ("ref", "received_date", "status", "closed_date")
    import_complaints(db, [(n, dict(zip(fields, row)) | {"service_ref": "SP001", "summary": "s"})
                           for n, row in enumerate(rows, 2)], today=TODAY)


def test_the_quarter_counts_each_complaint_as_it_stood_at_the_close(db, make_service):
    make_service()
    load(db, [
        ("OLD-OPEN", "2008-11-01", "open", None),                   # carried over
        ("OLD-DONE", "2008-12-01", "concluded", "2009-02-01"),      # concluded in Q24
        ("OLD-GONE", "2008-10-01", "concluded", "2008-12-15"),      # done before Q24
        ("IN-DONE", "2009-01-05", "concluded", "2009-03-31"),       # last day counts
        ("IN-LATE", "2009-02-05", "concluded", "2009-04-01"),       # open at the close
        ("IN-NEG", "2009-03-05", "contractual negotiation", None),
        ("IN-OPEN", "2009-03-31", "open", None),
        ("NEXT", "2009-04-01", "open", None),                       # next quarter
    ])
    s = complaints_summary(db, Quarter(24))
    assert (s.received, s.concluded, s.negotiation, s.still_open) == (4, 1, 1, 2)
    assert s.carried_over_open == 1
    assert s.concluded_in_quarter == 2
    assert [n for _, n in s.rows()] == [4, 1, 1, 2, 1, 2]


def test_an_empty_quarter_is_all_zeros(db):
    s = complaints_summary(db, Quarter(30))
    assert (s.received, s.concluded, s.negotiation, s.still_open, s.carried_over_open) == (
        0, 0, 0, 0, 0)


def test_the_page_lists_open_ones_first_oldest_first_with_their_age(db, make_service):
    make_service()
    load(db, [
        ("A", "2009-01-05", "concluded", "2009-01-25"),
        ("B", "2009-03-01", "open", None),
        ("C", "2009-02-01", "contractual negotiation", None),
        ("D", "2009-01-20", "open", None),
        ("E", "2009-02-05", "concluded", "2009-03-05"),
        ("F", "2009-05-05", "open", None),
    ])
    page = complaints_page(db, ComplaintQuery(), date(2009, 4, 1))
    assert [(r.ref, r.age_days) for r in page.rows] == [
        ("D", 71), ("B", 31), ("F", 0), ("C", 59), ("E", 28), ("A", 20)]
    assert page.total == 6
    q24 = complaints_page(db, ComplaintQuery(quarter=Quarter(24), status="open"),
                          date(2009, 4, 1))
    assert [r.ref for r in q24.rows] == ["D", "B"] and q24.total == 2
    paged = complaints_page(db, ComplaintQuery(offset=4, limit=10), date(2009, 4, 1))
    assert [r.ref for r in paged.rows] == ["E", "A"] and paged.total == 6


def test_the_quarter_report_reads_only_the_covering_index(db):
    plan = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT count(*), sum(closed_date <= '2009-03-31'),"
        " sum(status = 'open') FROM complaints"
        " WHERE received_date BETWEEN '2009-01-01' AND '2009-03-31'"))
    assert "COVERING INDEX complaints_received" in plan
