"""The database and every copy of it are readable by their owner only (0600), whatever the
umask: they hold personal data about vulnerable people."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sp_tui.cli import app
from sp_tui.store.connection import open_db
from sp_tui.store.migrate import backup_to


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def permissive_umask(request):
    """Also run with umask 0, where a file created with default modes would be 0666."""
    previous = os.umask(request.param)
    yield
    os.umask(previous)


def test_a_new_database_and_its_wal_files_are_0600(tmp_path, permissive_umask, make_service):
    path = tmp_path / "new" / "team.sqlite"
    db = open_db(path)
    try:
        db.execute("CREATE TABLE probe (x)")  # ensure -wal and -shm exist
        assert mode(path) == 0o600
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            assert side.exists() and mode(side) == 0o600, suffix
    finally:
        db.close()


def test_backups_are_0600(tmp_path, permissive_umask, db, make_service):
    make_service()
    target = backup_to(db, tmp_path / "copy.sqlite.bak")
    assert mode(target) == 0o600


def test_cli_backup_and_demo_files_are_0600(tmp_path, permissive_umask):
    path = tmp_path / "demo.sqlite"
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--no-open", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert mode(path) == 0o600
    result = runner.invoke(app, ["--db", str(path), "db", "backup", str(tmp_path / "b.bak")])
    assert result.exit_code == 0, result.output
    assert mode(tmp_path / "b.bak") == 0o600
    result = runner.invoke(app, ["--db", str(path), "db", "backup"])
    assert result.exit_code == 0, result.output
    [stamped] = tmp_path.glob("demo-*.sqlite.bak")
    assert mode(stamped) == 0o600
