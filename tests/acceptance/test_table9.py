"""Record-level data consistent with the published Quarter 24 report (seeds/003, sections 7-8):
13 alerts (6 financial, 3 physical, 4 sexual), 9 closed after investigation and 4 ongoing;
3 complaints received, 2 concluded, 1 subject to contractual negotiation. Records of Q23 and
Q25 are present and must not leak into Q24's figures."""

from datetime import date, timedelta

import pytest

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.complaints import complaints_summary
from sp_tui.reports.safeguarding import table9
from sp_tui.services.alerts import import_alerts
from sp_tui.services.complaints import import_complaints

TODAY = date(2009, 7, 2)  # the report's date
SERVICES = [("SH01", "Sheltered housing"), ("FS01", "Floating support"),
            ("SU01", "Supported housing"), ("WR01", "Women's refuge")]

# (nature, received, closed) for Quarter 24: 9 closed by 31 March, 4 still open then.
Q24_ALERTS = [
    ("financial", "2009-01-05", "2009-02-20"), ("financial", "2009-01-19", "2009-03-02"),
    ("financial", "2009-02-02", "2009-03-16"), ("financial", "2009-02-23", "2009-03-31"),
    ("financial", "2009-03-09", None), ("financial", "2009-03-27", None),
    ("physical", "2009-01-08", "2009-01-30"), ("physical", "2009-02-12", "2009-03-10"),
    ("physical", "2009-03-18", None),
    ("sexual", "2009-01-14", "2009-03-03"), ("sexual", "2009-01-28", "2009-03-25"),
    ("sexual", "2009-02-17", "2009-03-20"), ("sexual", "2009-03-31", None),
]
# Neighbouring quarters, including an alert closed inside Q24 that was received in Q23.
OTHER_ALERTS = [
    ("neglect", "2008-12-31", "2009-01-20"), ("financial", "2008-11-03", "2008-12-12"),
    ("physical", "2008-10-01", None), ("financial", "2009-04-01", None),
    ("sexual", "2009-05-11", "2009-06-01"), ("psychological", "2009-06-30", None),
]


def _alert_rows():
    rows = []
    for n, (nature, received, closed) in enumerate(Q24_ALERTS + OTHER_ALERTS):
        received_day = date.fromisoformat(received)
        rows.append((n + 2, {
            "ref": f"SGA/{n + 1:03d}", "service_ref": SERVICES[n % len(SERVICES)][0],
            "received_date": received, "nature": nature,
            "referred_date": (received_day + timedelta(days=n % 2)).isoformat(),
            "status": "closed" if closed else "open", "closed_date": closed,
        }))
    return rows


COMPLAINTS = [
    ("CMP/24/1", "2009-01-21", "concluded", "2009-03-12"),
    ("CMP/24/2", "2009-02-09", "concluded", "2009-03-30"),
    ("CMP/24/3", "2009-03-04", "contractual negotiation", None),
    ("CMP/23/1", "2008-11-17", "concluded", "2009-01-15"),
    ("CMP/25/1", "2009-04-06", "open", None),
]


@pytest.fixture
def published(db, make_service):
    for ref, service_type in SERVICES:
        make_service(service_ref=ref, service_type=service_type)
    import_alerts(db, _alert_rows(), source="acceptance", today=TODAY)
    import_complaints(db, [
        (n + 2, {"ref": ref, "service_ref": "SU01", "received_date": received,
                 "summary": "Exhausted the provider's procedure", "status": status,
                 "closed_date": closed})
        for n, (ref, received, status, closed) in enumerate(COMPLAINTS)
    ], source="acceptance", today=TODAY)
    return db


def test_table9_reproduces_the_published_quarter_24(published):
    t9 = table9(published, Quarter(24))
    assert [(r.label, r.received) for r in t9.natures_with_alerts()] == [
        ("Financial abuse", 6), ("Physical abuse", 3), ("Sexual abuse", 4)]
    assert t9.total.received == 13
    assert (t9.total.closed, t9.total.still_open) == (9, 4)
    assert sum(r.received for r in t9.by_service_type) == 13
    assert sum(r.closed for r in t9.by_service_type) == 9
    assert t9.referred_in_time == 13


def test_complaints_reproduce_the_published_quarter_24(published):
    s = complaints_summary(published, Quarter(24))
    assert (s.received, s.concluded, s.negotiation, s.still_open) == (3, 2, 1, 0)


def test_other_quarters_are_counted_in_their_own_quarter(published):
    assert table9(published, Quarter(23)).total.received == 3
    assert table9(published, Quarter(25)).total.received == 3
    assert complaints_summary(published, Quarter(25)).received == 1


def test_the_exported_table_9_is_the_published_one(published, tmp_path):
    from openpyxl import load_workbook

    from sp_tui.export.quarter import export_quarter
    from sp_tui.reports.complaints import complaints_table
    from sp_tui.reports.safeguarding import table_9

    table = table_9(published, Quarter(24))
    assert table.rows == [["Financial abuse", 6, 4, 2], ["Physical abuse", 3, 2, 1],
                          ["Sexual abuse", 4, 3, 1], ["Total", 13, 9, 4]]
    assert complaints_table(published, Quarter(24)).rows[:4] == [
        ["Received in Q24", 3], ["Concluded by the close", 2],
        ["Contractual negotiation at the close", 1], ["Still open at the close", 0]]
    book = load_workbook(export_quarter(published, Quarter(24), tmp_path / "q24.xlsx"))
    sheet = next(book[name] for name in book.sheetnames if book[name]["A1"].value == table.title)
    values = [[c.value for c in row] for row in sheet.iter_rows(min_col=1, max_col=4)]
    assert ["Total", 13, 9, 4] in values and ["Financial abuse", 6, 4, 2] in values
