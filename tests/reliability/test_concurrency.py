"""Two processes write to one file at once: neither sees "database is locked", and every
write of both is there afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sp_tui.reports.calendar import calendar_for
from sp_tui.domain.quarters import Quarter
from sp_tui.services.registry import import_services
from sp_tui.store.connection import open_db
from tests.reliability import concurrent_writer as writer
from tests.reliability.crash_worker import new_service

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shared_db(tmp_path: Path) -> Path:
    """A database holding the services the editing process will change."""
    path = tmp_path / "shared.sqlite"
    db = open_db(path)
    import_services(db, [(n + 2, new_service(ref, f"{ref} original", "Weald Homes", 1))
                         for n, ref in enumerate(writer.EDITED_REFS)], source="setup")
    db.close()
    return path


def start_writer(mode: str, db_path: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.concurrent_writer", mode, str(db_path)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


def go(process: subprocess.Popen) -> None:
    process.stdin.write("go\n")
    process.stdin.flush()


def finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=300)
    assert "locked" not in err.lower(), err
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def audit_rows(db) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def assert_every_write_kept(db_path: Path, edits: dict, audit_before: int) -> None:
    db = open_db(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        imported = {ref: (name, units) for ref, name, units in db.execute(
            "SELECT service_ref, name, household_units FROM services"
            " WHERE service_ref LIKE 'IMP%'")}
        expected = {row["service_ref"]: (row["service_name"], row["household_units"])
                    for row in writer.imported_rows()}
        assert imported == expected
        for ref, (name, units) in edits["services"].items():
            row = db.execute("SELECT name, household_units FROM services WHERE service_ref = ?",
                             (ref,)).fetchone()
            assert tuple(row) == (name, units), ref
        for number, (deadline, default_end) in edits["quarters"].items():
            calendar = calendar_for(db, Quarter(int(number)))
            assert [calendar.deadline.isoformat(), calendar.default_end.isoformat()] == [
                deadline, default_end]
        # one audit row per edit, per imported service and per new provider
        assert audit_rows(db) == (audit_before + edits["writes"] + writer.IMPORTED
                                  + writer.IMPORT_PROVIDERS)
    finally:
        db.close()


def test_an_import_and_an_editing_loop_at_once_lose_nothing(shared_db):
    db = open_db(shared_db)
    audit_before = audit_rows(db)
    db.close()
    importer, editor = start_writer("import", shared_db), start_writer("edit", shared_db)
    go(importer)
    go(editor)
    assert finish(importer) == {"imported": writer.IMPORTED}
    edits = finish(editor)
    assert edits["writes"] >= writer.MIN_EDITS
    assert_every_write_kept(shared_db, edits, audit_before)


def test_the_cli_import_succeeds_while_another_process_edits(shared_db, tmp_path):
    import csv

    csv_path = tmp_path / "services.csv"
    rows = writer.imported_rows()
    with csv_path.open("w", newline="") as handle:
        out = csv.DictWriter(handle, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    db = open_db(shared_db)
    audit_before = audit_rows(db)
    db.close()

    editor = start_writer("edit", shared_db)
    go(editor)
    cli = subprocess.run([sys.executable, "-m", "sp_tui", "--db", str(shared_db), "import",
                          "services", str(csv_path)], capture_output=True, text=True)
    if cli.returncode != 0:
        editor.kill()
    assert cli.returncode == 0, cli.stderr
    assert "locked" not in (cli.stdout + cli.stderr).lower()
    assert_every_write_kept(shared_db, finish(editor), audit_before)
