"""Importing safeguarding alerts: all-or-nothing, every error by row number."""

from datetime import date

import pytest

from sp_tui.domain.errors import ImportFailed
from sp_tui.areas import import_format
from sp_tui.imports.reader import read_table
from sp_tui.services.alerts import import_alerts, log_alert

TODAY = date(2009, 6, 30)
HEADER = "ref,service_ref,received_date,nature,referred_date,status,closed_date"
GOOD = ["A-1,SP001,2009-01-10,Financial,2009-01-10,closed,2009-02-01",
        "A-2,SP001,2009-02-10,physical abuse,2009-02-11,open,",
        "A-3,SP001,2009-03-10,Sexual Abuse,,open,"]


def read(tmp_path, lines):
    path = tmp_path / "alerts.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    fmt = import_format("alerts")
    return read_table(path, fmt.required, fmt.optional)


def count(db):
    return db.execute("SELECT count(*) FROM safeguarding_alerts").fetchone()[0]


def test_a_good_file_imports_every_row(db, make_service, tmp_path):
    make_service()
    assert import_alerts(db, read(tmp_path, GOOD), source="t", today=TODAY) == {"added": 3, "unchanged": 0}
    assert [r[0] for r in db.execute("SELECT nature FROM safeguarding_alerts ORDER BY ref")] == [
        "Financial abuse", "Physical abuse", "Sexual abuse"]


@pytest.mark.parametrize("bad_row, message", [
    ("A-9,SP001,2009-03-10,neglect,2009-03-10,closed,2009-03-01",
     "row 5: closed_date: date closed 2009-03-01 is before the received date"),
    ("A-9,SP001,2009-03-10,neglect,2009-03-09,open,",
     "row 5: referred_date: date referred 2009-03-09 is before the received date"),
    ("A-9,SP001,2009-03-10,neglect,2009-03-10,closed,", "row 5: closed_date: a closed record"),
    ("A-9,SP001,2009-03-10,neglect,2009-03-10,open,2009-04-01",
     "row 5: closed_date: only a closed record"),
    ("A-9,SP404,2009-03-10,neglect,,open,", "row 5: service_ref: no service with reference"),
    ("A-1,SP001,2009-03-10,neglect,,open,", "row 5: ref: reference 'A-1' repeats row 2"),
    ("A-9,SP001,2009-03-10,theft,,open,", "nature 'theft' is not in the list (1 row: 5)"),
])
def test_one_bad_row_aborts_the_file(db, make_service, tmp_path, bad_row, message):
    make_service()
    with pytest.raises(ImportFailed) as exc:
        import_alerts(db, read(tmp_path, [*GOOD, bad_row]), today=TODAY)
    assert any(line.startswith(message) for line in exc.value.lines()), exc.value.lines()
    assert count(db) == 0
    assert db.execute("SELECT count(*) FROM audit_log WHERE entity = 'alert'").fetchone()[0] == 0


def test_a_reference_already_in_the_database_is_a_duplicate(db, make_service, tmp_path):
    make_service()
    log_alert(db, {"ref": "A-3", "service_ref": "SP001", "received_date": "2009-01-01",
                   "nature": "neglect"}, today=TODAY)
    with pytest.raises(ImportFailed) as exc:
        import_alerts(db, read(tmp_path, GOOD), today=TODAY)
    assert exc.value.lines() == ["row 4: ref: reference 'A-3' is already used by another alert"
                                 " with other details"]
    assert count(db) == 1


def test_a_file_missing_a_column_is_refused_before_any_row(tmp_path):
    path = tmp_path / "alerts.csv"
    path.write_text("ref,service_ref,received_date,nature\nA-1,SP001,2009-01-01,neglect\n")
    fmt = import_format("alerts")
    with pytest.raises(ImportFailed) as exc:
        read_table(path, fmt.required, fmt.optional)
    assert "referred_date, status, closed_date" in exc.value.lines()[0]
