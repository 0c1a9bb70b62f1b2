import csv
import io

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.services.registry import import_services
from sp_tui.services.visits import import_visits
from tests.acceptance.test_qaf_tables import REPORT_DAY, q24_records

runner = CliRunner()


@pytest.fixture
def q24_path(db, db_path):
    services, visits = q24_records()
    import_services(db, list(enumerate(services, start=2)))
    import_visits(db, list(enumerate(visits, start=2)), today=REPORT_DAY)
    return db_path


def sp(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args])


def test_report_qaf_prints_tables_6_7_and_8(q24_path):
    result = sp(q24_path, "report", "qaf", "--quarter", "24")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Visits begun │ │ │ │ │ │ 31" in out
    assert "Not completed │ │ │ │ │ │ 5" in out
    assert "Awarded grade │ 7 │ 13 │ 5 │ 1 │ 5 │ 31" in out
    assert "Higher grade │ 16 │ 62%" in out
    assert "Lower grade │ 2 │ 8%" in out
    assert "Services │ 8 │ 14 │ 14 │ 4 │ 1 │ 41 │" in out


def test_report_qaf_csv_has_every_cell(q24_path):
    result = sp(q24_path, "report", "qaf", "-q", "Q24", "--csv")
    assert result.exit_code == 0, result.output
    cells = {(t, r, c): v for t, r, c, v in csv.reader(io.StringIO(result.output))}
    assert cells[("table6", "Visits begun", "Total")] == "31"
    assert cells[("table6", "Existing grade", "Not graded")] == "1"
    assert cells[("table6", "Self-assessed", "A")] == "7"
    assert cells[("table7", "No change", "% of completed")] == "31"
    assert cells[("table8", "Services", "D")] == "4"


def test_import_visits_from_a_csv_file(db, db_path, make_service, tmp_path):
    make_service()
    path = tmp_path / "visits.csv"
    path.write_text("service_ref,started_date,completed_date,officer,existing_grade,"
                    "self_assessed_grade,awarded_grade\n"
                    "SP001,2009-01-05,2009-02-01,Kevin Prior,C,B,B\n"
                    "SP001,2009-06-01,,Kevin Prior,B,B,\n")
    result = sp(db_path, "import", "visits", str(path))
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    assert db.execute("SELECT count(*) FROM visits").fetchone()[0] == 2


def test_a_bad_import_lists_the_rows_and_writes_nothing(db, db_path, make_service, tmp_path):
    make_service()
    path = tmp_path / "visits.csv"
    path.write_text("service_ref,started_date,completed_date,officer,existing_grade,"
                    "self_assessed_grade,awarded_grade\n"
                    "SP001,2009-01-05,2009-02-01,Kevin Prior,C,B,B\n"
                    "SP404,2009-01-05,2009-01-01,Kevin Prior,C,B,Z\n")
    result = sp(db_path, "import", "visits", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "row 3: no service with reference 'SP404'" in result.output
    assert "awarded_grade 'Z' is not in the list (1 row: 3); the list holds: A, B, C, D, NG" in " ".join(result.output.split())
    assert "before the date begun" in result.output
    assert db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0


def test_visits_list_filters_by_status_and_prints_csv(q24_path):
    result = sp(q24_path, "visits", "list", "-q", "24", "--status", "in progress", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    # Q24's five open at its close, and Q23's visit still open when Q24 began
    assert len(rows) == 6 and {r["Awarded"] for r in rows} <= {"NG", "A", "B"}


def test_visits_list_refuses_an_unknown_status(q24_path):
    result = sp(q24_path, "visits", "list", "-q", "24", "--status", "lost")
    assert result.exit_code == 1 and "status must be one of" in result.output


def test_visits_plans_marks_overdue_reviews(q24_path):
    result = sp(q24_path, "visits", "plans", "--as-at", "2009-07-02", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))[1:]
    assert [r[-1] for r in rows] == ["overdue"] * 4 + [""]
