"""`sp-tui report settings|measures|check` and `sp-tui export report`."""

from __future__ import annotations

from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.services.workbook_imports import import_workbooks

runner = CliRunner()


def sp(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args])


def test_settings_show_change_and_refuse_bad_input(db, db_path):
    result = sp(db_path, "report", "settings")
    assert result.exit_code == 0, result.output
    assert "Unrestricted" in result.output
    result = sp(db_path, "report", "settings", "--from", "Performance and Review Manager",
                "--date", "2009-07-02")
    assert result.exit_code == 0, result.output
    assert "2 July 2009" in result.output and "Performance and Review Manager" in result.output
    result = sp(db_path, "report", "settings", "--date", "July")
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output
    assert "2 July 2009" in sp(db_path, "report", "settings").output


def test_check_fails_with_the_records_named(db, db_path, make_service):
    make_service(service_ref="S1")
    make_service(service_ref="S2")
    import_workbooks(db, [(2, {"service_ref": "S1", "quarter": 24,
                               "received_date": "2009-04-20"})], source="test")
    result = sp(db_path, "report", "check", "-q", "24")
    assert result.exit_code == 1
    assert "S2 Q24: not received by the end of the default period" in result.output
    assert "FAILED" in result.output


def test_check_passes_on_an_empty_quarter(db, db_path):
    result = sp(db_path, "report", "check", "-q", "24")
    assert result.exit_code == 0, result.output
    assert "Passed" in result.output


def test_measures_table(db, db_path, make_service):
    make_service(service_ref="S1")
    import_workbooks(db, [(2, {"service_ref": "S1", "quarter": 24,
                               "received_date": "2009-04-20"})], source="test")
    result = sp(db_path, "report", "measures", "-q", "24")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Workbook returns by deadline" in out and "100%" in out
    assert "not yet" in out and "Not yet recorded in sp-tui: NI 141 (KPI 2), KPI 1" in out


def test_export_report_writes_the_document(db, db_path, tmp_path):
    from docx import Document

    target = tmp_path / "r.docx"
    result = sp(db_path, "export", "report", "24", "-o", str(target), "--no-charts")
    assert result.exit_code == 0, result.output
    assert "Passed" in result.output
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "2.1 Quarterly workbook returns" in text
    result = sp(db_path, "export", "report", "24", "-o", str(tmp_path / "no" / "r.docx"))
    assert result.exit_code == 1 and "does not exist" in " ".join(result.output.split())
