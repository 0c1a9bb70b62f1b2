"""`sp-tui workbooks templates` and `sp-tui workbooks intake` through typer (issue 18)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.services.workbook_templates import DENOMINATOR_CELL, MAIN_SHEET, NUMERATOR_CELL
from sp_tui.store.connection import open_db
from tests.conftest import service_fields

runner = CliRunner()


def sp(db_path: Path, *args: str):
    return runner.invoke(app, ["--db", str(db_path), *args], catch_exceptions=False)


def test_templates_then_intake(db_path, tmp_path):
    from sp_tui.services.registry import import_services

    db = open_db(db_path)
    import_services(db, [(2, service_fields(service_ref="SP1", term="long")),
                         (3, service_fields(service_ref="SP2"))])
    db.close()
    outbox = tmp_path / "out"
    made = sp(db_path, "workbooks", "templates", "-q", "24", "--outbox", str(outbox))
    assert made.exit_code == 0, made.output
    assert "2 workbooks and mail-merge.csv written" in made.output
    folder = outbox / "Q24-workbooks"
    again = runner.invoke(app, ["--db", str(db_path), "workbooks", "templates", "-q", "24",
                                "--outbox", str(outbox)])
    assert again.exit_code == 1 and "--force" in again.output
    assert sp(db_path, "workbooks", "templates", "-q", "24", "--outbox", str(outbox),
              "--force").exit_code == 0

    returned = tmp_path / "returned"
    returned.mkdir()
    for i, path in enumerate(sorted(folder.glob("*.xlsx"))):
        book = load_workbook(path)
        book[MAIN_SHEET][NUMERATOR_CELL] = 9 if i else 2
        book[MAIN_SHEET][DENOMINATOR_CELL] = 4
        book.save(returned / path.name)
    (returned / "junk.xlsx").write_bytes(b"not a workbook")

    dry = sp(db_path, "workbooks", "intake", str(returned), "--date", "2009-04-20",
             "--dry-run", "--csv")
    assert dry.exit_code == 0, dry.output
    rows = list(csv.DictReader(io.StringIO(dry.output)))
    assert sorted(r["outcome"] for r in rows) == ["received", "rejected", "rejected"]
    check = open_db(db_path)
    assert check.execute("SELECT count(*) FROM workbooks").fetchone()[0] == 0
    check.close()

    done = sp(db_path, "workbooks", "intake", str(returned), "--date", "2009-04-20",
              "--reject-letters", "--outbox", str(tmp_path / "letters"), "--move-processed")
    assert done.exit_code == 0, done.output
    assert "1 received" in done.output and "2 rejected" in done.output
    assert "Rejection letters" in done.output
    assert "1 file(s) moved" in done.output
    assert [p.name for p in (returned / "processed").iterdir()] == [
        sorted(folder.glob("*.xlsx"))[0].name]
    assert list((tmp_path / "letters").glob("Q24-rejections-*/Harbour-Trust.md"))

    again = sp(db_path, "workbooks", "intake", str(returned / "processed"), "--date",
               "2009-04-20")
    assert again.exit_code == 0 and "1 skipped" in again.output


def test_intake_of_a_missing_folder_is_an_error(db_path, tmp_path):
    result = runner.invoke(app, ["--db", str(db_path), "workbooks", "intake",
                                 str(tmp_path / "none")])
    assert result.exit_code == 1 and "not a folder" in " ".join(result.output.split())
