"""Issue 11, items 1, 2, 4 and 12: the commands that could destroy or wrongly write a team's
database now refuse, in words, and leave the file as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.services.registry import save_service
from sp_tui.store.connection import open_db
from sp_tui.store.migrate import available_migrations
from tests.conftest import service_fields

runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def team_database(path: Path) -> Path:
    db = open_db(path)
    save_service(db, service_fields(service_ref="TEAM1"), source="test")
    db.close()
    return path


def services(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT service_ref FROM services")]
    finally:
        conn.close()


def make_older(path: Path) -> None:
    """As if made by an sp-tui that lacked the latest migration."""
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM schema_migrations WHERE version = ?",
                 (available_migrations()[-1].version,))
    conn.commit()
    conn.close()


# -- 1. demo never destroys a team's database -------------------------------------------------
@pytest.mark.parametrize("older", [False, True], ids=["current", "older-schema"])
@pytest.mark.parametrize("rebuild", [False, True], ids=["demo", "demo-rebuild"])
def test_demo_refuses_a_team_database(tmp_path, older, rebuild):
    path = team_database(tmp_path / "team.sqlite")
    if older:
        make_older(path)
    before = path.read_bytes()
    result = cli("--db", path, "demo", "--no-open", *(["--rebuild"] if rebuild else []))
    assert result.exit_code == 1, result.output
    assert "not a demo database" in result.output
    assert path.read_bytes() == before and services(path) == ["TEAM1"]
    assert not list(tmp_path.glob("*.bak")) or older is False


def test_demo_refuses_a_non_sp_tui_sqlite_file(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (n)")
    conn.close()
    result = cli("demo", "--db", path, "--no-open", "--rebuild")
    assert result.exit_code == 1 and "not an sp-tui database" in result.output


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    result = cli("demo", "--db", path, "--no-open")
    assert result.exit_code == 0, result.output
    return path


def test_a_demo_database_is_marked_and_rebuilt_after_a_backup(demo_file, tmp_path):
    path = tmp_path / "demo.sqlite"
    path.write_bytes(demo_file.read_bytes())
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone() == ("1",)
    conn.execute("UPDATE services SET name = 'changed here' WHERE rowid = 1")
    conn.commit()
    conn.close()
    result = cli("demo", "--db", path, "--no-open", "--rebuild")
    assert result.exit_code == 0, result.output
    [backup] = tmp_path.glob("demo.sqlite.pre-rebuild-*.bak")
    assert "backed up" in result.output
    assert len(services(path)) == 330
    names = lambda p: {r[0] for r in sqlite3.connect(p).execute("SELECT name FROM services")}
    assert "changed here" in names(backup) and "changed here" not in names(path)
    assert not (tmp_path / ".sp-tui-tmp").exists()


def test_a_demo_made_by_an_older_sp_tui_is_rebuilt(demo_file, tmp_path):
    path = tmp_path / "demo.sqlite"
    path.write_bytes(demo_file.read_bytes())
    make_older(path)
    result = cli("demo", "--db", path, "--no-open")
    assert result.exit_code == 0, result.output
    assert "older sp-tui" in result.output
    assert list(tmp_path.glob("demo.sqlite.pre-rebuild-*.bak"))
    again = cli("demo", "--db", path, "--no-open")
    assert "older sp-tui" not in again.output


# -- 2. an export never overwrites the database --------------------------------------------------
@pytest.mark.parametrize("target", ["team.sqlite", "team.sqlite-wal", "team.sqlite-shm",
                                    "team.sqlite-journal", "old.sqlite.bak", "other.db",
                                    "hardlink.xlsx", "sqlite-by-content.xlsx"])
@pytest.mark.parametrize("command", [["export", "data"], ["export", "quarter", "24"]],
                         ids=["data", "quarter"])
def test_an_export_is_never_written_over_a_database_file(tmp_path, target, command):
    path = team_database(tmp_path / "team.sqlite")
    (tmp_path / "hardlink.xlsx").hardlink_to(path)
    (tmp_path / "sqlite-by-content.xlsx").write_bytes(path.read_bytes())
    before = path.read_bytes()
    out = tmp_path / target
    existed = out.exists()
    result = cli("--db", path, *command, "-o", out, "--force")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before and services(path) == ["TEAM1"]
    # (opening the database may create its -wal and -shm: never an export, though)
    if out.exists() and not existed:
        assert target.endswith(("-wal", "-shm")) and out.read_bytes()[:2] != b"PK"


@pytest.mark.parametrize("command", [["export", "data"], ["export", "quarter", "24"]],
                         ids=["data", "quarter"])
def test_an_existing_export_is_replaced_only_with_force(tmp_path, command):
    path = team_database(tmp_path / "team.sqlite")
    out = tmp_path / "out.xlsx"
    out.write_text("keep me")
    result = cli("--db", path, *command, "-o", out)
    assert result.exit_code == 1 and "--force" in result.output
    assert out.read_text() == "keep me"
    result = cli("--db", path, *command, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


# -- 4. a newer sp-tui's file, or another program's SQLite file, is never written ---------------
def newer(path: Path) -> int:
    version = max(m.version for m in available_migrations()) + 1
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations (version, name, applied_at)"
                 " VALUES (?, 'future', '2030-01-01')", (version,))
    conn.commit()
    conn.close()
    return version


NEWER_COMMANDS = [
    ["services", "list"], ["db", "check"], ["db", "backup"], ["audit"],
    ["workbooks", "remind", "--quarter", "24", "--date", "2009-05-01"],
    ["import", "services", "IMPORT"], ["db", "copy", "COPY"], ["export", "data", "-o", "OUT"],
]


@pytest.mark.parametrize("command", NEWER_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_refuses_a_newer_sp_tui_file(tmp_path, command):
    path = team_database(tmp_path / "team.sqlite")
    version = newer(path)
    (tmp_path / "s.csv").write_text(
        "provider,service_ref,service_name,service_type,client_group,district,term,start_date\n"
        "P,X1,X,Supported housing,Generic,Thanet,short,2005-04-01\n")
    replace = {"IMPORT": tmp_path / "s.csv", "COPY": tmp_path / "copy.sqlite",
               "OUT": tmp_path / "out.xlsx"}
    before = path.read_bytes()
    result = cli("--db", path, *[replace.get(a, a) for a in command])
    assert result.exit_code == 1, result.output
    assert f"made by a newer sp-tui (v{version})" in " ".join(result.output.split())
    assert path.read_bytes() == before
    assert not (tmp_path / "copy.sqlite").exists() and not (tmp_path / "out.xlsx").exists()


def test_an_sqlite_file_of_another_program_is_never_migrated(tmp_path):
    path = tmp_path / "invoices.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (n)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for command in (["services", "list"], ["db", "check"]):
        result = cli("--db", path, *command)
        assert result.exit_code == 1 and "not an sp-tui one" in " ".join(result.output.split())
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_in_words(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    result = cli("--db", path, "services", "list")
    assert result.exit_code == 1 and "not an SQLite database" in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert path.read_text().startswith("these are my notes")


# -- 12. a mistyped --db is an error; a read-only database opens read-only ----------------------
def test_a_missing_database_is_an_error_naming_the_path(tmp_path):
    path = tmp_path / "no" / "such" / "dir" / "x.sqlite"
    for command in (["services", "list"], ["import", "services", str(tmp_path / "f.csv")],
                    ["db", "check"], ["workbooks", "remind"]):
        result = cli("--db", path, *command)
        assert result.exit_code == 1, (command, result.output)
        assert "no database at" in " ".join(result.output.split()) and "db init" in result.output
    assert not (tmp_path / "no").exists()


def test_db_init_creates_a_new_database_and_refuses_an_existing_one(tmp_path):
    path = tmp_path / "new" / "team.sqlite"
    result = cli("--db", path, "db", "init")
    assert result.exit_code == 0, result.output
    assert path.exists()
    assert cli("--db", path, "services", "list").exit_code == 0
    again = cli("--db", path, "db", "init")
    assert again.exit_code == 1 and "already exists" in again.output


def test_a_read_only_database_can_be_read_and_says_changes_cannot_be_saved(
        tmp_path, monkeypatch):
    import os

    import sp_tui.store.connection as connection

    folder = tmp_path / "ro"
    folder.mkdir()
    path = team_database(folder / "team.sqlite")
    path.chmod(0o400)
    folder.chmod(0o500)
    try:
        if os.access(path, os.W_OK):
            # root can write anything: open as on a read-only mount, SQLite refuses writes
            monkeypatch.setattr(connection, "_writable", lambda _path: False)
        result = cli("--db", path, "services", "list", "--quarter", "24")
        assert result.exit_code == 0, result.output
        assert "TEAM1" in result.output and "read-only" in result.output
        result = cli("--db", path, "ref", "add", "district", "Medway")
        assert result.exit_code == 1 and "read-only" in result.output
        assert "Traceback" not in result.output
    finally:
        folder.chmod(0o700)
        path.chmod(0o600)
