import os
import sqlite3
import stat

import pytest

from sp_tui.store.connection import open_db, resolve_db_path, write
from sp_tui.store.migrate import (
    available_migrations, backup_to, current_version, latest_version, migrate_database,
)


def test_a_new_file_is_migrated_to_the_latest_version_and_private(db_path):
    db = open_db(db_path)
    assert current_version(db) == latest_version() >= 1
    assert {"services", "providers", "audit_log", "quarter_calendar"} <= set(db.table_names())
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migration_numbers_are_unique_and_all_recorded(db):
    versions = [m.version for m in available_migrations()]
    assert len(versions) == len(set(versions)) and versions == sorted(versions)
    assert db.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall() \
        == [(v,) for v in versions]


def test_a_migration_numbered_below_the_latest_is_still_applied(db_path, monkeypatch, tmp_path):
    """Branches land in any order: 0003 may be applied before 0002 arrives."""
    from sp_tui.store import migrate

    extra = tmp_path / "migrations"
    extra.mkdir()
    first = available_migrations()[0]
    (extra / f"{first.version:04d}_{first.name}.sql").write_text(first.sql)
    (extra / "0903_later.sql").write_text("CREATE TABLE later (x);\n")
    monkeypatch.setattr(migrate, "migrations_dir", lambda: extra)
    open_db(db_path).close()
    (extra / "0902_earlier.sql").write_text("CREATE TABLE earlier (x);\n")
    db = open_db(db_path)
    assert {"earlier", "later"} <= set(db.table_names())
    assert list(db_path.parent.glob("*.bak"))  # the existing file was backed up first


def test_reopening_an_up_to_date_file_changes_nothing_and_takes_no_backup(db_path):
    open_db(db_path).close()
    db = open_db(db_path)
    assert migrate_database(db, db_path) is None
    assert not list(db_path.parent.glob("*.bak"))


def test_backup_of_a_version_1_database_before_migration(db_path, monkeypatch, tmp_path):
    """Simulate an upgrade: a database at version 1 meets a second migration."""
    from sp_tui.store import migrate

    db = open_db(db_path)
    db.execute("INSERT INTO providers (id, name, created_at, updated_at) VALUES ('p1', 'Old Provider', 'x', 'x')")
    extra = tmp_path / "migrations"
    extra.mkdir()
    for m in available_migrations():
        (extra / f"{m.version:04d}_{m.name}.sql").write_text(m.sql)
    nxt = latest_version() + 1
    (extra / f"{nxt:04d}_test_column.sql").write_text(
        "ALTER TABLE providers ADD COLUMN note TEXT;\n")
    monkeypatch.setattr(migrate, "migrations_dir", lambda: extra)
    db.close()
    db = open_db(db_path)
    assert current_version(db) == nxt
    backups = list(db_path.parent.glob(f"{db_path.name}.v{nxt - 1}-*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT name FROM providers").fetchall() == [("Old Provider",)]
    assert "note" not in [r[1] for r in old.execute("PRAGMA table_info(providers)")]


def test_a_failed_migration_leaves_the_database_as_it_was(db_path, monkeypatch, tmp_path):
    from sp_tui.store import migrate

    db = open_db(db_path)
    version = current_version(db)
    extra = tmp_path / "migrations"
    extra.mkdir()
    for m in available_migrations():
        (extra / f"{m.version:04d}_{m.name}.sql").write_text(m.sql)
    (extra / f"{version + 1:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (x);\nTHIS IS NOT SQL;\n")
    monkeypatch.setattr(migrate, "migrations_dir", lambda: extra)
    with pytest.raises(sqlite3.OperationalError):
        migrate_database(db, db_path)
    assert current_version(db) == version
    assert "half_done" not in db.table_names()


def test_write_rolls_back_everything_on_error(db):
    with pytest.raises(RuntimeError):
        with write(db):
            db.execute("INSERT INTO providers (id, name, created_at, updated_at) VALUES ('p1', 'A', 'x', 'x')")
            raise RuntimeError("boom")
    assert db.execute("SELECT count(*) FROM providers").fetchone()[0] == 0
    assert not db.conn.in_transaction


def test_backup_refuses_to_overwrite(db, tmp_path):
    target = tmp_path / "copy.sqlite"
    backup_to(db, target)
    with pytest.raises(FileExistsError):
        backup_to(db, target)


def test_db_location_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("SP_TUI_DB", str(tmp_path / "env.sqlite"))
    assert resolve_db_path(tmp_path / "flag.sqlite") == tmp_path / "flag.sqlite"
    assert resolve_db_path(None) == tmp_path / "env.sqlite"
    monkeypatch.delenv("SP_TUI_DB")
    assert resolve_db_path(None).name == "sp-tui.sqlite"
