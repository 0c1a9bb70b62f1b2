"""Issue 11, items 14 and 15: imports hold the write lock only for the writes, and two imports
adding the same new provider at once both succeed (rechecked under the write lock)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

import sp_tui.services.registry as registry
from sp_tui.services.registry import import_services
from sp_tui.store.connection import open_db, write
from tests.conftest import service_fields


def rows(*refs: str, provider: str = "New Provider Ltd"):
    return [(n + 2, service_fields(service_ref=ref, provider=provider))
            for n, ref in enumerate(refs)]


def test_two_imports_adding_the_same_new_provider_at_once_both_succeed(db_path, monkeypatch):
    first, second = open_db(db_path), open_db(db_path)
    raced = []

    @contextmanager
    def write_after_the_other_import(database):
        # Both imports have validated their rows; the other one commits first.
        if not raced:
            raced.append(True)
            import_services(second, rows("SP900", "SP002"), source="second")
        with write(database):
            yield database

    monkeypatch.setattr(registry, "write", write_after_the_other_import)
    counts = import_services(first, rows("SP001", "SP002"), source="first")
    # SP002 was added by the other import with the same fields: found, and unchanged.
    assert counts["providers_added"] == 0 and counts["added"] == 1 and counts["unchanged"] == 1
    assert first.execute("SELECT count(*) FROM providers").fetchone()[0] == 1
    assert first.execute("SELECT count(*) FROM services").fetchone()[0] == 3
    first.close()
    second.close()


def test_import_data_reads_every_sheet_before_taking_the_write_lock(db, tmp_path, monkeypatch):
    """Reading the file is done before BEGIN IMMEDIATE: the lock is held for the writes."""
    import sp_tui.export.data_import as data_import
    from sp_tui.export.data import export_data

    import_services(db, rows(*(f"SP{n:03d}" for n in range(30))), source="setup")
    export_data(db, tmp_path / "data.xlsx")
    target = open_db(tmp_path / "target.sqlite")
    events = []
    real_read = data_import.read_table

    def reading(*args, **kwargs):
        events.append(("read", target.conn.in_transaction))
        return real_read(*args, **kwargs)

    monkeypatch.setattr(data_import, "read_table", reading)
    data_import.import_data(target, tmp_path / "data.xlsx")
    assert events and not any(in_transaction for _, in_transaction in events)
    assert target.execute("SELECT count(*) FROM services").fetchone()[0] == 30
    target.close()


def test_import_data_checks_without_the_write_lock_so_a_save_meanwhile_succeeds(
        db, tmp_path):
    """Item 14: the sheets are checked against the database without holding the write lock
    (on a private copy): another sp-tui saving meanwhile does not wait, let alone time out.
    Its save is kept, and the import, checked again because of it, is complete."""
    from sp_tui.export.data import export_data
    from sp_tui.export.data_import import import_data
    from sp_tui.services.registry import save_service

    import_services(db, rows(*(f"SP{n:03d}" for n in range(30))), source="setup")
    export_data(db, tmp_path / "data.xlsx")
    target = open_db(tmp_path / "target.sqlite")
    other = open_db(tmp_path / "target.sqlite")
    other.execute("PRAGMA busy_timeout = 0")   # a save that would have to wait fails at once
    saved = []

    def progress(label: str) -> None:
        if label == "services" and not saved:   # the services sheet is being checked
            save_service(other, service_fields(service_ref="SP777", provider="Saved Meanwhile"))
            saved.append(True)

    counts = import_data(target, tmp_path / "data.xlsx", progress=progress)
    assert saved and counts["services"]["added"] == 30
    refs = {r for (r,) in target.execute("SELECT service_ref FROM services")}
    assert refs == {f"SP{n:03d}" for n in range(30)} | {"SP777"}
    assert target.execute("PRAGMA foreign_key_check").fetchall() == []
    other.close()
    target.close()


def test_a_save_that_still_times_out_says_a_long_import_is_running(db_path):
    """Item 14, the waiting side: a locked database is explained in plain words."""
    import sqlite3

    from sp_tui.store.connection import explain_database_error

    holder, waiter = open_db(db_path), open_db(db_path)
    waiter.execute("PRAGMA busy_timeout = 0")
    holder.conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            waiter.conn.execute("BEGIN IMMEDIATE")
    finally:
        holder.conn.execute("ROLLBACK")
    message = explain_database_error(caught.value)
    assert "another sp-tui process is running a long import" in message
    assert "try again" in message and "Check the values" not in message
    holder.close()
    waiter.close()
