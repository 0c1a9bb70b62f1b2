"""The foundation's commands, run as a user runs them (typer's CliRunner)."""

from __future__ import annotations

import csv
import os
import stat

from openpyxl import Workbook
from typer.testing import CliRunner

from sp_tui.cli import app
from tests.conftest import service_fields

runner = CliRunner()
HEADER = ["provider", "service_ref", "service_name", "service_type", "client_group", "district",
          "term", "household_units", "leaseholder_units", "workbook_required", "start_date",
          "end_date"]


def run(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args])


def write_csv(path, rows, header=HEADER):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([h.upper() if i == 0 else h for i, h in enumerate(header)])
        for row in rows:
            writer.writerow([row.get(h, "") if row.get(h) is not None else "" for h in header])


def test_import_services_from_csv_then_list(db_path, tmp_path):
    path = tmp_path / "services.csv"
    write_csv(path, [service_fields(service_ref=f"S{i}", service_name=f"Home {i}")
                     for i in range(5)])
    result = run(db_path, "import", "services", str(path))
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    listing = run(db_path, "services", "list", "Home", "--quarter", "24")
    assert listing.exit_code == 0 and "5 found" in listing.output
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600


def test_import_services_from_xlsx_with_date_cells(db_path, tmp_path):
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER + ["ignored extra column"])
    fields = service_fields()
    fields["start_date"] = datetime(2006, 4, 1)
    sheet.append([fields.get(h) for h in HEADER] + ["x"])
    path = tmp_path / "services.xlsx"
    book.save(path)
    result = run(db_path, "import", "services", str(path))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output


def test_a_bad_import_lists_every_error_by_row_and_writes_nothing(db_path, tmp_path):
    path = tmp_path / "bad.csv"
    write_csv(path, [service_fields(service_ref="OK1"),
                     service_fields(service_ref="B1", district="Atlantis"),
                     service_fields(service_ref="B2", end_date="2001-01-01"),
                     service_fields(service_ref="OK1")])
    result = run(db_path, "import", "services", str(path))
    assert result.exit_code == 1
    assert "row 3: unknown district 'Atlantis'" in result.output
    assert "row 4: end date is before the start date" in result.output
    assert "row 5: service_ref 'OK1' repeats row 2" in result.output
    assert "Traceback" not in result.output
    assert "0 found" in run(db_path, "services", "list", "-q", "24").output


def test_missing_columns_and_missing_files_are_plain_errors(db_path, tmp_path):
    path = tmp_path / "few.csv"
    write_csv(path, [service_fields()], header=["provider", "service_ref"])
    result = run(db_path, "import", "services", str(path))
    assert result.exit_code == 1 and "missing column(s)" in result.output
    result = run(db_path, "import", "services", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1 and "no such file" in result.output


def test_quarter_set_and_show(db_path):
    result = run(db_path, "quarter", "set", "24", "--deadline", "2009-04-30",
                 "--default-end", "2009-05-14")
    assert result.exit_code == 0, result.output
    shown = run(db_path, "quarter", "show", "24")
    assert "2009-04-30" in shown.output and "2009-05-14" in shown.output
    assert "2008/09" in shown.output
    bad = run(db_path, "quarter", "set", "24", "--default-end", "2009-04-01")
    assert bad.exit_code == 1 and "cannot end before the deadline" in bad.output


def test_db_backup_and_check(db_path, tmp_path):
    run(db_path, "quarter", "set", "24", "--deadline", "2009-04-30")
    target = tmp_path / "copy.sqlite"
    result = run(db_path, "db", "backup", str(target))
    assert result.exit_code == 0 and target.exists()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    check = run(db_path, "db", "check")
    assert check.exit_code == 0 and "Integrity check: ok" in check.output
    again = run(db_path, "db", "backup", str(target))
    assert again.exit_code == 1 and "already exists" in again.output


def test_audit_prints_the_latest_changes(db_path):
    run(db_path, "quarter", "set", "24", "--deadline", "2009-04-20")
    result = run(db_path, "history", "--limit", "5")
    assert result.exit_code == 0 and "quarter.set_dates" in result.output


def test_ref_add_extends_a_list(db_path):
    assert run(db_path, "ref", "add", "district", "Medway").exit_code == 0
    assert "Medway" in run(db_path, "ref", "list", "district").output
    assert run(db_path, "ref", "add", "planet", "Mars").exit_code == 1


def test_demo_builds_a_database_without_opening_the_app(tmp_path):
    path = tmp_path / "demo.sqlite"
    result = runner.invoke(app, ["demo", "--db", str(path), "--no-open"])
    assert result.exit_code == 0, result.output
    listing = run(path, "services", "list", "--quarter", "24", "--limit", "1")
    assert "found" in listing.output
    from sp_tui.store.connection import open_db

    db = open_db(path)
    assert db.execute("SELECT count(*) FROM services").fetchone()[0] == 330
    assert db.execute("SELECT count(*) FROM providers").fetchone()[0] == 125


def test_demo_rebuilds_a_demo_database_made_by_an_older_schema(tmp_path):
    import shutil
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "schema_v1.sqlite"
    path = tmp_path / "demo.sqlite"
    shutil.copy(fixture, path)
    result = runner.invoke(app, ["demo", "--db", str(path), "--no-open"])
    assert result.exit_code == 0, result.output
    assert "older sp-tui" in result.output
    from sp_tui.store.connection import open_db

    db = open_db(path)
    assert db.execute("SELECT count(*) FROM visits").fetchone()[0] > 0
    again = runner.invoke(app, ["demo", "--db", str(path), "--no-open"])
    assert "older sp-tui" not in again.output
