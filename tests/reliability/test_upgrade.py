"""A database written by schema version 1 opens with today's code: backed up, migrated, and
reporting the same figures as when it was made (recorded beside the fixture)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from sp_tui.store import migrate
from sp_tui.store.connection import open_db
from tests.reliability.figures import registry_figures

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURE = FIXTURES / "schema_v1.sqlite"
RECORDED = json.loads((FIXTURES / "schema_v1_figures.json").read_text())


@pytest.fixture
def old_copy(tmp_path: Path) -> Path:
    """A copy: the committed fixture itself is never opened for writing."""
    target = tmp_path / "team.sqlite"
    shutil.copyfile(FIXTURE, target)
    return target


def backups_of(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.v1-*.bak"))


def schema_version_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    finally:
        conn.close()


def test_fixture_was_made_by_schema_version_1():
    assert RECORDED["schema_version"] == 1
    assert schema_version_of(FIXTURE) == 1


def test_current_code_upgrades_the_first_schema_and_keeps_every_figure(old_copy):
    db = open_db(old_copy)
    try:
        assert migrate.current_version(db) == migrate.latest_version()
        assert migrate.integrity_report(db) == ["ok"]
        assert registry_figures(db) == RECORDED["figures"]
    finally:
        db.close()
    backups = backups_of(old_copy)
    if migrate.latest_version() > 1:
        assert len(backups) == 1, "no backup was taken before migrating"
        assert schema_version_of(backups[0]) == 1
    else:
        assert backups == [], "nothing to migrate, so nothing to back up"


def test_a_newer_migration_backs_up_the_old_file_first(old_copy, monkeypatch):
    """Simulate the next release's migration so the backup path runs today too."""
    shipped = migrate.available_migrations()
    future = migrate.Migration(shipped[-1].version + 1, "future_probe",
                               "CREATE TABLE future_probe (id TEXT PRIMARY KEY);\n")
    monkeypatch.setattr(migrate, "available_migrations", lambda: [*shipped, future])

    db = open_db(old_copy)
    try:
        assert migrate.current_version(db) == future.version
        assert "future_probe" in db.table_names()
        assert registry_figures(db) == RECORDED["figures"]
    finally:
        db.close()

    [backup] = backups_of(old_copy)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert schema_version_of(backup) == 1
    restored = open_db(backup, migrate=False)
    try:
        assert "future_probe" not in restored.table_names()
        assert migrate.integrity_report(restored) == ["ok"]
        assert registry_figures(restored) == RECORDED["figures"]
    finally:
        restored.close()


def test_a_failing_migration_leaves_the_old_schema_and_data(old_copy, monkeypatch):
    shipped = migrate.available_migrations()
    broken = migrate.Migration(shipped[-1].version + 1, "broken",
                               "CREATE TABLE half_done (id TEXT);\nSELECT * FROM no_such_table;\n")
    monkeypatch.setattr(migrate, "available_migrations", lambda: [*shipped, broken])

    with pytest.raises(sqlite3.OperationalError):
        open_db(old_copy)
    # Every pending migration runs in one transaction: all of them roll back together.
    db = open_db(old_copy, migrate=False)
    try:
        assert migrate.current_version(db) == 1
        assert "half_done" not in db.table_names()
        assert registry_figures(db) == RECORDED["figures"]
    finally:
        db.close()
    assert len(backups_of(old_copy)) == 1
