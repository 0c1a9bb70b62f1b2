"""`export data --detail` then `import data` into an empty database reproduces every report."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.areas import build_demo
from sp_tui.domain.errors import ImportFailed
from sp_tui.domain.quarters import Quarter
from sp_tui.export.data import export_data
from sp_tui.areas import build_quarter_tables as quarter_tables
from sp_tui.reports.glance import workbook_status_table
from sp_tui.export.data_import import import_data
from sp_tui.store.connection import open_db


def test_every_quarter_table_survives_the_round_trip(db, tmp_path):
    build_demo(db, 1)
    path = tmp_path / "data.xlsx"
    export_data(db, path, detail=True)
    other = open_db(tmp_path / "empty.sqlite")
    import_data(other, path)
    for number in (20, 22, 24, 26):
        q = Quarter(number)
        assert [t.rows for t in quarter_tables(other, q)] == \
            [t.rows for t in quarter_tables(db, q)], f"Q{number}"
        as_of = date(2009, 11, 20)
        assert workbook_status_table(other, q, as_of).rows == \
            workbook_status_table(db, q, as_of).rows


def test_a_bad_row_in_a_later_sheet_leaves_the_database_untouched(db, tmp_path):
    from openpyxl import load_workbook

    build_demo(db, 1)
    path = tmp_path / "data.xlsx"
    export_data(db, path)
    book = load_workbook(path)
    book["visits"]["A2"] = "NO-SUCH-SERVICE"
    book.save(path)
    other = open_db(tmp_path / "empty.sqlite")
    with pytest.raises(ImportFailed) as exc:
        import_data(other, path)
    assert any("sheet visits" in message and row == 2 for row, message in exc.value.errors)
    for table in ("services", "providers", "workbooks", "visits", "audit_log"):
        assert other.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_import_data_from_the_cli(db, db_path, tmp_path):
    build_demo(db, 1)
    path = tmp_path / "data.xlsx"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(db_path), "export", "data", "-o", str(path)])
    assert result.exit_code == 0 and "left out" in result.output
    target = tmp_path / "fresh.sqlite"
    result = runner.invoke(app, ["--db", str(target), "import", "data", str(path)])
    assert result.exit_code == 0, result.output
    assert "services:" in result.output and "visits:" in result.output


def test_a_kind_longer_than_a_sheet_continues_on_numbered_sheets(db, tmp_path):
    from openpyxl import load_workbook

    build_demo(db, 1)
    path = tmp_path / "data.xlsx"
    counts = export_data(db, path, detail=True, sheet_rows=150)
    names = load_workbook(path, read_only=True).sheetnames
    assert counts["services"] > 300 and {"services", "services (2)", "services (3)"} <= set(names)
    other = open_db(tmp_path / "empty.sqlite")
    import_data(other, path)
    for number in (24, 26):
        assert [t.rows for t in quarter_tables(other, Quarter(number))] == \
            [t.rows for t in quarter_tables(db, Quarter(number))]


def test_the_csv_folder_round_trips_and_keeps_formula_text_as_text(db, tmp_path, make_service):
    from sp_tui.export.data import export_data_csv

    make_service(service_ref="SPX", service_name="=HYPERLINK(\"x\") +1")
    folder = tmp_path / "data"
    counts = export_data_csv(db, folder, detail=True)
    assert counts["services"] == 1 and (folder / "services.csv").stat().st_mode & 0o777 == 0o600
    assert "'=HYPERLINK" in (folder / "services.csv").read_text("utf-8")
    other = open_db(tmp_path / "empty.sqlite")
    import_data(other, folder)
    assert other.execute("SELECT name FROM services").fetchone()[0] == "=HYPERLINK(\"x\") +1"


def test_cli_exports_a_csv_folder(db_path, tmp_path):
    from sp_tui.store.connection import open_db as opened

    opened(db_path).close()
    result = CliRunner().invoke(app, ["--db", str(db_path), "export", "data", "--format",
                                      "csv", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "services.csv").is_file()
