"""The three history imports: all-or-nothing, every error by row, re-import changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from sp_tui.domain.errors import ImportFailed
from sp_tui.areas import import_format
from sp_tui.imports.reader import read_table
from sp_tui.reports.table2 import table2
from sp_tui.services.workbook_imports import import_defaults, import_reminders, import_workbooks
from tests.workbooks_support import Q24, TODAY, add_services, row_counts


@pytest.fixture
def refs(make_service):
    refs = add_services(make_service, 4)
    make_service(service_ref="NOREQ", service_name="No returns", workbook_required=False)
    make_service(service_ref="ENDED", service_name="Ended", end_date="2008-12-31")
    return refs


def _rows(*records: dict) -> list[tuple[int, dict]]:
    return [(n + 2, record) for n, record in enumerate(records)]


def _wb(ref, quarter=24, received="", excused=""):
    return {"service_ref": ref, "quarter": quarter, "received_date": received,
            "excused": excused}


def test_workbooks_import_and_reimport(db, refs):
    rows = _rows(_wb("SP001", "Q24", "2009-04-20"), _wb("sp002", 24, "2009-05-10"),
                 _wb("SP003", 24, "", "upload fault"), _wb("SP004", 24))
    result = import_workbooks(db, rows, today=TODAY, source="test")
    assert result == {"received": 2, "excused": 1, "unchanged": 0, "not_received": 1}
    column = table2(db, Q24).last
    assert (column.by_deadline, column.by_default_end, column.excused) == (1, 2, 1)
    before = row_counts(db)
    again = import_workbooks(db, rows, today=TODAY)
    assert again["unchanged"] == 3 and row_counts(db) == before


def test_workbooks_import_from_xlsx(db, refs, tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Service_Ref", "Quarter", "Received_Date", "Excused"])
    sheet.append(["SP001", 24, "2009-04-02", None])
    path = tmp_path / "workbooks.xlsx"
    book.save(path)
    fmt = import_format("workbooks")
    import_workbooks(db, read_table(path, fmt.required, fmt.optional), today=TODAY)
    assert db.execute("SELECT received_date FROM workbooks").fetchone() == ("2009-04-02",)


def test_every_bad_row_is_reported_and_nothing_is_written(db, refs):
    import_workbooks(db, _rows(_wb("SP004", 24, "2009-04-01")), today=TODAY)
    before = row_counts(db)
    rows = _rows(
        _wb("SP001", 24, "2009-04-20"),                # fine, but the file fails
        _wb("NOPE", 24, "2009-04-20"),                 # unknown service
        _wb("NOREQ", 24, "2009-04-20"),                # not required
        _wb("ENDED", 24, "2009-04-20"),                # not active in Q24
        _wb("SP002", 24, "2008-12-01"),                # before the quarter began
        _wb("SP003", 24, "2009-07-02"),                # in the future
        _wb("SP001", 24, "2009-04-21"),                # repeats row 2
        _wb("SP004", 24, "2009-04-09"),                # already recorded differently
        _wb("SP003", "last", "2009-04-09"),            # not a quarter
        _wb("SP003", 24, "04/31/2009"),                # not a date (UK order)
        _wb("", 24, "2009-04-09"),                     # no reference
    )
    with pytest.raises(ImportFailed) as caught:
        import_workbooks(db, rows, today=TODAY)
    messages = dict(caught.value.errors)
    assert sorted(messages) == list(range(3, 13))
    assert "unknown service reference 'NOPE'" in messages[3]
    assert "does not have to return workbooks" in messages[4]
    assert "was not active then" in messages[5]
    assert "before Q24 Jan-Mar 2009 began" in messages[6]
    assert "in the future" in messages[7]
    assert "repeats row 2" in messages[8]
    assert "already recorded" in messages[9]
    assert "a quarter is a number" in messages[10]
    assert "must be a date as YYYY-MM-DD" in messages[11]
    assert "service_ref is required" in messages[12]
    assert row_counts(db) == before


def test_reminders_import(db, refs):
    import_workbooks(db, _rows(_wb("SP001", 24, "2009-05-05"), _wb("SP002", 24, "", "fault")),
                     today=TODAY)
    rows = _rows({"service_ref": "SP001", "quarter": 24, "sent_date": "2009-05-01"},
                 {"service_ref": "SP003", "quarter": 24, "sent_date": "2009-05-01"},
                 {"service_ref": "SP003", "quarter": 24, "sent_date": "2009-05-08"})
    assert import_reminders(db, rows, today=TODAY) == {"reminders": 3, "unchanged": 0}
    assert table2(db, Q24).last.reminders == 3
    assert import_reminders(db, rows, today=TODAY) == {"reminders": 0, "unchanged": 3}

    before = row_counts(db)
    bad = _rows({"service_ref": "SP001", "quarter": 24, "sent_date": "2009-05-06"},
                {"service_ref": "SP002", "quarter": 24, "sent_date": "2009-05-06"},
                {"service_ref": "SP004", "quarter": 24, "sent_date": "2008-12-01"},
                {"service_ref": "SP004", "quarter": 24, "sent_date": ""},
                {"service_ref": "ZZZ", "quarter": 24, "sent_date": "2009-05-06"})
    with pytest.raises(ImportFailed) as caught:
        import_reminders(db, bad, today=TODAY)
    messages = dict(caught.value.errors)
    assert "already received on 2009-05-05" in messages[2]
    assert "excused" in messages[3]
    assert "before Q24 Jan-Mar 2009 began" in messages[4]
    assert "sent_date must be a date" in messages[5]
    assert "unknown service reference 'ZZZ'" in messages[6]
    assert row_counts(db) == before


def test_defaults_import(db, refs):
    import_workbooks(db, _rows(_wb("SP001", 24, "2009-05-14"), _wb("SP002", 24, "2009-06-01"),
                               _wb("SP003", 24, "", "fault")), today=TODAY)
    ok = _rows({"service_ref": "SP002", "quarter": 24, "issued_date": "2009-05-20"},
               {"service_ref": "SP004", "quarter": 24, "issued_date": "2009-05-20"})
    assert import_defaults(db, ok, today=TODAY) == {"defaults": 2, "unchanged": 0}
    assert table2(db, Q24).last.defaults == 2
    assert import_defaults(db, ok, today=TODAY)["unchanged"] == 2

    before = row_counts(db)
    bad = _rows({"service_ref": "SP001", "quarter": 24, "issued_date": "2009-05-20"},
                {"service_ref": "SP003", "quarter": 24, "issued_date": "2009-05-20"},
                {"service_ref": "SP004", "quarter": 24, "issued_date": "2009-05-25"},
                {"service_ref": "SP002", "quarter": 23, "issued_date": "2009-05-14"},
                {"service_ref": "SP002", "quarter": 23, "issued_date": "2009-05-16"})
    with pytest.raises(ImportFailed) as caught:
        import_defaults(db, bad, today=TODAY)
    messages = dict(caught.value.errors)
    assert "received on 2009-05-14, by the end of the default period" in messages[2]
    assert "excused" in messages[3]
    assert "already issued on 2009-05-20" in messages[4]
    assert 5 not in messages  # Q23's default period ended on 2009-02-13: a valid row
    assert "repeats row 5" in messages[6]
    assert row_counts(db) == before


def test_default_dated_before_the_period_ended_is_refused(db, refs):
    with pytest.raises(ImportFailed) as caught:
        import_defaults(db, _rows({"service_ref": "SP004", "quarter": 24,
                                   "issued_date": "2009-05-14"}), today=TODAY)
    assert "only be issued after the default period ends (2009-05-14)" in \
        caught.value.errors[0][1]


def test_an_empty_file_is_an_error(db, refs):
    with pytest.raises(ImportFailed, match="nothing was imported"):
        import_reminders(db, [], today=TODAY)
