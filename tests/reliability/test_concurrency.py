"""Two processes write to one file at once: neither sees "database is locked", every write
of both is there afterwards, and an app open on the file shows them while writing itself."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sp_tui.reports.calendar import calendar_for
from sp_tui.domain.quarters import Quarter
from sp_tui.services.registry import import_services, service_by_ref
from sp_tui.store.connection import open_db
from tests.reliability import concurrent_writer as writer
from tests.reliability.crash_worker import new_service
from sp_tui.tui.areas import ui_area
from tests.tui.conftest import press, settle

pytestmark = pytest.mark.slow  # long runs: `pytest -m slow` selects them; CI runs them

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


def start_writer(mode: str, db_path: Path, *args: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.concurrent_writer", mode, str(db_path),
         *args],
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


def write_services_csv(path: Path, rows: list[dict]) -> Path:
    import csv

    with path.open("w", newline="") as handle:
        out = csv.DictWriter(handle, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    return path


def audit_rows(db) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def assert_every_write_kept(db_path: Path, edits: dict, audit_before: int,
                            own_writes: int = 0) -> None:
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
                                  + writer.IMPORT_PROVIDERS + own_writes)
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
    csv_path = write_services_csv(tmp_path / "services.csv", writer.imported_rows())
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


async def test_an_open_app_writes_too_and_shows_the_other_processes_changes(shared_db,
                                                                             tmp_path):
    from textual.widgets import Input, Select

    from sp_tui.tui.app import SpTuiApp
    from sp_tui.tui.widgets.record_table import RecordTable
    from sp_tui.tui.widgets.service_form import ServiceForm

    db = open_db(shared_db)
    audit_before = audit_rows(db)
    app = SpTuiApp(db, today=date(2009, 11, 20), quarter=Quarter(24), poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, ui_area("services").key)
        table = app.screen.query_one(RecordTable)
        assert table.row_count == len(writer.EDITED_REFS)
        # The editor keeps writing until the app's service exists: the three overlap.
        importer = start_writer("import", shared_db)
        editor = start_writer("edit", shared_db, "APP1")
        go(importer)
        go(editor)

        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, ServiceForm)
        for field, value in {"service_ref": "APP1", "service_name": "Typed in the app",
                             "provider": "Weald Homes", "start_date": "2008-05-01"}.items():
            form.query_one(f"#{field}", Input).value = value
        for field, value in {"service_type": "Foyer", "client_group": "Generic",
                             "district": "Dover", "term": "short"}.items():
            form.query_one(f"#{field}", Select).value = value
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ServiceForm), "the form did not save"

        imported = await asyncio.to_thread(finish, importer)
        edits = await asyncio.to_thread(finish, editor)
        assert imported == {"imported": writer.IMPORTED}
        app.check_external_changes()  # what the app's once-a-second poll runs
        await settle(pilot)
        total = len(writer.EDITED_REFS) + writer.IMPORTED + 1
        assert f"of {total:,} services" in str(app.screen.query_one("#summary").render())
        first_ref = min(edits["services"])
        row = table.get_row_at(table.get_row_index(service_by_ref(db, first_ref)["id"]))
        assert str(row[1]) == edits["services"][first_ref][0]

        # One more write from another process, now that nothing else is moving: the app
        # shows it once it polls, and not before (so the poll is what brought it).
        extra = write_services_csv(tmp_path / "extra.csv", [new_service("A0", "Latecomer",
                                                                        "Weald Homes", 3)])
        cli = await asyncio.to_thread(subprocess.run, [
            sys.executable, "-m", "sp_tui", "--db", str(shared_db), "import", "services",
            str(extra)], capture_output=True, text=True)
        assert cli.returncode == 0, cli.stderr
        await settle(pilot)
        assert f"of {total:,} services" in str(app.screen.query_one("#summary").render())
        app.check_external_changes()
        await settle(pilot)
        assert f"of {total + 1:,} services" in str(app.screen.query_one("#summary").render())
        assert str(table.get_row_at(0)[1]) == "Latecomer"
    db.close()
    assert_every_write_kept(shared_db, edits, audit_before, own_writes=1 + 1)
