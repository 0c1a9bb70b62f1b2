"""Issue 11, items 7, 8 and 9: every file sp-tui writes is private (0600, folders 0700) under
any umask, no temporary is left in the system's /tmp or beside the target, the cover sheet
names the database file only, and every CSV defuses formulas, to a file or to the terminal."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.services.registry import save_service
from sp_tui.services.visits import save_visit
from sp_tui.store.connection import open_db
from tests.conftest import service_fields

runner = CliRunner()
HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1:A2)", "+1+1", "-2+3"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def permissive_umask(request):
    previous = os.umask(request.param)
    yield
    os.umask(previous)


@pytest.fixture
def system_tmp(tmp_path, monkeypatch):
    """The system's temporary folder, watched: nothing may be left (or put) there."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def team(path: Path) -> Path:
    db = open_db(path)
    for n, name in enumerate(HOSTILE):
        save_service(db, service_fields(service_ref=f"SP00{n}", service_name=name,
                                        provider=f"{name} Ltd"))
        save_visit(db, {"service_ref": f"SP00{n}", "officer": name,
                        "started_date": "2009-02-02"})
    db.close()
    return path


def cli(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


def test_letters_outbox_and_mail_merge_are_private(tmp_path, permissive_umask, system_tmp):
    path = team(tmp_path / "team.sqlite")
    result = cli("--db", path, "workbooks", "remind", "--quarter", "24", "--date", "2009-05-20")
    assert result.exit_code == 0, result.output
    outbox = tmp_path / "outbox"
    written = everything_under(outbox)
    assert any(p.name == "mail-merge.csv" for p in written)
    assert mode(outbox) == 0o700
    for p in written:
        assert mode(p) == (0o700 if p.is_dir() else 0o600), p
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not list(system_tmp.iterdir())


def test_exports_and_csv_folders_are_private_and_leave_nothing_behind(
        tmp_path, permissive_umask, system_tmp):
    path = team(tmp_path / "team.sqlite")
    out = tmp_path / "out"
    result = cli("--db", path, "export", "quarter", "24", "-o", out / "q24.xlsx",
                 "--csv", out / "csv")
    assert result.exit_code == 0, result.output
    result = cli("--db", path, "export", "data", "-o", out / "data.xlsx")
    assert result.exit_code == 0, result.output
    for p in everything_under(out):
        assert mode(p) == (0o700 if p.is_dir() else 0o600), p
    assert not [p for p in everything_under(tmp_path) if p.name.startswith(".")]
    assert not list(system_tmp.iterdir())


def test_spreadsheet_writer_temporaries_never_go_to_the_system_tmp(tmp_path, system_tmp,
                                                                    monkeypatch):
    """The xlsx writer spills sheets to temporary files: they go to the private folder
    beside the target, and are gone afterwards."""
    from sp_tui.export.data import export_data

    folders = []
    real = tempfile.mkstemp

    def spy(*args, **kwargs):
        folders.append(Path(kwargs.get("dir") or tempfile.gettempdir()))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    path = team(tmp_path / "team.sqlite")
    db = open_db(path)
    export_data(db, tmp_path / "data.xlsx")
    db.close()
    assert folders and all(tmp_path / ".sp-tui-tmp" in f.parents for f in folders), folders
    assert not (tmp_path / ".sp-tui-tmp").exists()
    assert not list(system_tmp.iterdir())


def test_the_cover_sheet_names_the_database_file_only(tmp_path):
    from openpyxl import load_workbook

    path = team(tmp_path / "team.sqlite")
    assert cli("--db", path, "export", "quarter", "24", "-o", tmp_path / "q.xlsx").exit_code == 0
    cover = load_workbook(tmp_path / "q.xlsx")["Cover"]
    values = [str(c.value) for row in cover.iter_rows() for c in row if c.value is not None]
    assert "team.sqlite" in values
    assert not any(str(tmp_path) in v for v in values)


@pytest.mark.parametrize("command", [
    ["visits", "list", "--quarter", "24", "--csv"],
    ["workbooks", "list", "--quarter", "24", "--csv"],
    ["visits", "plans", "--csv"],
], ids=lambda c: " ".join(c[:2]))
def test_csv_printed_to_the_terminal_defuses_formulas(tmp_path, command):
    path = team(tmp_path / "team.sqlite")
    result = cli("--db", path, *command)
    assert result.exit_code == 0, result.output
    import csv
    import io

    cells = [c for row in csv.reader(io.StringIO(result.output)) for c in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "@")), cell
        assert not (cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit())
    if command[0] != "visits" or command[1] == "list":
        assert any(c.startswith("'=HYPERLINK") or c.startswith("'@SUM") for c in cells)
