"""Importing complaints: every row checked first, every error listed, nothing written."""

from datetime import date

import pytest

from sp_tui.domain.errors import ImportFailed
from sp_tui.areas import import_format
from sp_tui.imports.reader import read_table
from sp_tui.services.complaints import import_complaints, log_complaint

TODAY = date(2009, 6, 30)
HEADER = "ref,service_ref,received_date,summary,status,closed_date"
GOOD = ["C-1,SP001,2009-01-10,Repairs,concluded,2009-02-01",
        "C-2,SP001,2009-02-10,Noise,open,",
        "C-3,sp001,2009-03-10,Charges,contractual negotiation,"]


def read(tmp_path, lines):
    path = tmp_path / "complaints.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    fmt = import_format("complaints")
    return read_table(path, fmt.required, fmt.optional)


def count(db):
    return db.execute("SELECT count(*) FROM complaints").fetchone()[0]


def test_a_good_file_imports_every_row_with_its_audit(db, make_service, tmp_path):
    make_service()
    assert import_complaints(db, read(tmp_path, GOOD), source="t", today=TODAY) == {"added": 3, "unchanged": 0}
    assert count(db) == 3
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'complaint.import'"
                      ).fetchone()[0] == 3


@pytest.mark.parametrize("bad_row, message", [
    ("C-9,SP001,2009-03-10,X,concluded,2009-03-01",
     "row 5: closed_date: date closed 2009-03-01 is before the received date 2009-03-10"),
    ("C-9,SP001,2009-03-10,X,concluded,", "row 5: closed_date: a concluded record needs its"),
    ("C-9,SP001,2009-03-10,X,open,2009-03-20", "row 5: closed_date: only a concluded record"),
    ("C-9,SP404,2009-03-10,X,open,", "row 5: service_ref: no service with reference 'SP404'"),
    ("c-2,SP001,2009-03-10,X,open,", "row 5: ref: reference 'c-2' repeats row 3"),
    ("C-9,SP001,03/10/2009x,X,open,", "row 5: received_date: received date must be a date"),
])
def test_one_bad_row_aborts_the_file(db, make_service, tmp_path, bad_row, message):
    make_service()
    with pytest.raises(ImportFailed) as exc:
        import_complaints(db, read(tmp_path, [*GOOD, bad_row]), today=TODAY)
    assert any(line.startswith(message) for line in exc.value.lines()), exc.value.lines()
    assert count(db) == 0
    assert db.execute("SELECT count(*) FROM audit_log WHERE entity = 'complaint'"
                      ).fetchone()[0] == 0


def test_a_reference_already_in_the_database_is_a_duplicate(db, make_service, tmp_path):
    make_service()
    log_complaint(db, {"ref": "C-2", "service_ref": "SP001", "received_date": "2009-01-01",
                       "summary": "earlier", "status": "open"}, today=TODAY)
    with pytest.raises(ImportFailed) as exc:
        import_complaints(db, read(tmp_path, GOOD), today=TODAY)
    assert exc.value.lines() == ["row 3: ref: reference 'C-2' is already used by another"
                                 " complaint with other details"]
    assert count(db) == 1


def test_every_bad_row_is_listed(db, make_service, tmp_path):
    make_service()
    lines = ["C-1,SP404,2009-01-10,Repairs,concluded,", "C-2,SP001,2009-02-10,,open,"]
    with pytest.raises(ImportFailed) as exc:
        import_complaints(db, read(tmp_path, lines), today=TODAY)
    assert [line.split(":")[0] for line in exc.value.lines()] == ["row 2", "row 3"]
    assert exc.value.lines() == [
        "row 2: closed_date: a concluded record needs its date closed",
        "row 3: summary: summary is required"]


def test_an_empty_file_is_refused(db, make_service, tmp_path):
    with pytest.raises(ImportFailed, match="error"):
        import_complaints(db, read(tmp_path, []), today=TODAY)


def test_the_data_export_holds_complaints_that_reimport_to_the_same_report(
        db, make_service, tmp_path):
    import csv

    from openpyxl import load_workbook

    from sp_tui.domain.quarters import Quarter
    from sp_tui.export.data import export_data
    from sp_tui.reports.complaints import complaints_summary
    from sp_tui.services.registry import import_services
    from sp_tui.store.connection import open_db

    make_service()
    import_complaints(db, read(tmp_path, GOOD), today=TODAY)
    counts = export_data(db, tmp_path / "data.xlsx")
    assert counts["complaints"] == 3 and "alerts" not in counts  # alerts: detail only
    book = load_workbook(tmp_path / "data.xlsx")
    other = open_db(tmp_path / "other.sqlite")
    for kind, importer in (("services", import_services), ("complaints", import_complaints)):
        copy = tmp_path / f"{kind}.csv"
        with copy.open("w", newline="") as handle:
            csv.writer(handle).writerows(["" if v is None else v for v in row]
                                         for row in book[kind].iter_rows(values_only=True))
        fmt = import_format(kind)
        importer(other, read_table(copy, fmt.required, fmt.optional))
    assert complaints_summary(other, Quarter(24)) == complaints_summary(db, Quarter(24))
