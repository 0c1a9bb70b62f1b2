"""Issue 11, items 14 and 15: imports hold the write lock only for the writes, and two imports
adding the same new provider at once both succeed (rechecked under the write lock)."""

from __future__ import annotations

from contextlib import contextmanager

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
    assert counts["providers_added"] == 0 and counts["added"] == 1 and counts["updated"] == 1
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
