"""Issue 11, items 10 and 11: a damaged database, a full disk, a folder given for a file:
words, never a traceback; outputs are checked before anything is written."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.services.registry import import_services
from sp_tui.store.connection import open_db
from tests.conftest import service_fields

runner = CliRunner()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def words(result) -> str:
    return " ".join(result.output.split())


def big_team(path: Path, services: int = 400) -> Path:
    db = open_db(path)
    import_services(db, [(n + 2, service_fields(service_ref=f"SP{n:04d}",
                                                service_name=f"House number {n} " + "x" * 80))
                         for n in range(services)], source="setup")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def damage(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a bad disk would."""
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'services'").fetchone()[0]
    conn.close()
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(root * page - page)  # the services table's root page
        handle.write(b"\xde\xad\xbe\xef" * (page // 4))
        handle.seek((size // page // 2) * page + 100)
        handle.write(b"\x00garbage" * 64)


@pytest.fixture
def damaged(tmp_path) -> Path:
    path = big_team(tmp_path / "team.sqlite")
    damage(path)
    return path


def test_db_check_reports_the_damage_and_what_can_still_be_read(damaged):
    result = cli("--db", damaged, "db", "check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit)
    text = words(result)
    assert "problems found" in text and "damaged" in text
    assert "providers:" in text and "readable" in text       # a table that can still be read
    assert "db recover" in text


def test_other_commands_say_the_file_is_damaged_and_point_at_db_check(damaged):
    for command in (["services", "list", "--quarter", "24"], ["export", "data", "-o",
                                                              damaged.with_name("x.xlsx")]):
        result = cli("--db", damaged, *command)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit), result.exception
        text = words(result)
        assert "damaged" in text and "db check" in text and "backup" in text


def test_db_recover_copies_what_can_be_read_into_a_new_file(damaged, tmp_path):
    target = tmp_path / "recovered.sqlite"
    result = cli("--db", damaged, "db", "recover", target)
    assert result.exit_code == 0, result.output
    db = open_db(target)
    assert [r[0] for r in db.execute("PRAGMA integrity_check")] == ["ok"]
    assert db.execute("SELECT count(*) FROM providers").fetchone()[0] == 1
    db.close()
    assert cli("--db", target, "db", "check").exit_code == 0
    again = cli("--db", damaged, "db", "recover", target)
    assert again.exit_code == 1 and "already exists" in again.output


# -- 11. full disk, a folder for a file, a file for a folder --------------------------------------
def test_export_to_an_existing_folder_is_refused_in_words(tmp_path):
    path = big_team(tmp_path / "team.sqlite", services=3)
    folder = tmp_path / "exports"
    folder.mkdir()
    for command in (["export", "data", "-o", folder], ["export", "quarter", "24", "-o", folder]):
        result = cli("--db", path, *command)
        assert result.exit_code == 1 and "is a folder" in words(result), result.output
        assert isinstance(result.exception, SystemExit)


def test_export_quarter_with_a_file_for_the_csv_folder_writes_nothing(tmp_path):
    path = big_team(tmp_path / "team.sqlite", services=3)
    not_a_folder = tmp_path / "csv"
    not_a_folder.write_text("a file")
    result = cli("--db", path, "export", "quarter", "24", "-o", tmp_path / "q.xlsx",
                 "--csv", not_a_folder)
    assert result.exit_code == 1 and "not a folder" in words(result)
    assert not (tmp_path / "q.xlsx").exists()


@pytest.mark.parametrize("command", [
    ["export", "data", "-o", "OUT/data.xlsx"],
    ["export", "quarter", "24", "-o", "OUT/q.xlsx"],
    ["export", "quarter", "24", "-o", "OUT/q.xlsx", "--csv", "OUT/csv"],
    ["workbooks", "remind", "--quarter", "24", "--date", "2009-05-20", "--outbox", "OUT/box"],
], ids=["data", "quarter", "quarter-csv", "remind"])
def test_a_full_disk_is_reported_in_words_and_leaves_nothing(tmp_path, monkeypatch, command):
    path = big_team(tmp_path / "team.sqlite", services=3)
    out = tmp_path / "out"
    out.mkdir()
    import zipfile

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    # the xlsx writer, the CSV writer and the letters all write through these
    monkeypatch.setattr(zipfile.ZipFile, "writestr", no_space)
    monkeypatch.setattr(zipfile.ZipFile, "write", no_space)
    import sp_tui.store.files as files

    import sp_tui.services.letters as letters

    monkeypatch.setattr(files, "write_private_text", no_space)
    monkeypatch.setattr(letters, "write_private_text", no_space)
    import sp_tui.export.quarter as quarter

    monkeypatch.setattr(quarter, "write_csv", no_space)
    result = cli("--db", path, *[a.replace("OUT", str(out)) for a in command])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "disk is full" in words(result)
    assert [p for p in out.rglob("*") if not p.is_dir()] == []
    assert not (tmp_path / ".sp-tui-tmp").exists() and not (out / ".sp-tui-tmp").exists()
    db = open_db(path)
    assert db.execute("SELECT count(*) FROM workbook_reminders").fetchone()[0] == 0
    db.close()


@pytest.mark.parametrize("command", [["db", "backup"], ["db", "copy"]],
                         ids=["backup", "copy"])
def test_a_full_disk_during_db_copy_or_backup_leaves_no_file_and_the_retry_works(
        tmp_path, monkeypatch, command):
    """Item 6: the copy is written under a temporary name and renamed when complete; a full
    disk (here: SQLite refusing to grow the new file) leaves nothing at the final name, so
    the retry is not told the file "already exists"."""
    path = big_team(tmp_path / "team.sqlite", services=50)
    target = tmp_path / "out" / "copy.sqlite"
    target.parent.mkdir()
    real_connect = sqlite3.connect

    def cramped(database, *args, **kwargs):
        conn = real_connect(database, *args, **kwargs)
        if ".sp-tui-tmp" in str(database):   # the file being written: no room to grow
            conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(sqlite3, "connect", cramped)
    result = cli("--db", path, *command, target)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "full" in words(result).lower()
    assert not target.exists()
    assert not (target.parent / ".sp-tui-tmp").exists() or not any(
        (target.parent / ".sp-tui-tmp").iterdir())
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    again = cli("--db", path, *command, target)
    assert again.exit_code == 0, again.output
    copy = open_db(target)
    assert copy.execute("SELECT count(*) FROM services").fetchone()[0] == 50
    copy.close()
