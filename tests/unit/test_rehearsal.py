"""sp_tui.store.rehearsal (issue 11, item 14): an action checked on a private copy and then
copied in leaves exactly what running it under the lock leaves, rowids included; a failure
writes nothing; a save made meanwhile makes it check again."""

from __future__ import annotations

import shutil

import pytest

from sp_tui.domain.errors import ImportFailed
from sp_tui.store import rehearsal
from sp_tui.store.connection import open_db, write
from sp_tui.store.files import TEMP_FOLDER
from tests.conftest import service_fields
from tests.unit.merge_support import everything


def rows_with_rowids(db) -> dict[str, list]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                       " AND sql NOT LIKE '%WITHOUT ROWID%' ORDER BY name")]
    return {t: db.execute(f'SELECT rowid, * FROM "{t}" ORDER BY rowid').fetchall()
            for t in tables}


def action(db):
    """Inserts, updates, deletes, an INSERT OR REPLACE, AUTOINCREMENT rows and a WITHOUT
    ROWID table, with fixed values so that two runs can be compared."""
    with write(db):
        stamp = "2009-01-01T00:00:00"
        db.execute("INSERT INTO providers (id, name, created_at, updated_at)"
                   " VALUES ('p-new', 'Brand New Ltd', ?, ?)", (stamp, stamp))
        db.execute("UPDATE providers SET name = 'Renamed Trust' WHERE name = 'Old Trust'")
        db.execute("DELETE FROM providers WHERE name = 'Gone Ltd'")
        db.execute("INSERT OR REPLACE INTO providers (id, name, created_at, updated_at)"
                   " VALUES ('p-replaced', 'Replaced Ltd', ?, ?)", (stamp, stamp))
        for n in range(3):
            db.execute("INSERT INTO audit_log (at, who, action, entity, summary)"
                       " VALUES (?, 'test', 'test', 'provider', ?)", (stamp, f"row {n}"))
        db.execute("INSERT INTO sync_peers (n, database_id) VALUES (7, 'peer-7')")
        db.execute("INSERT INTO sync_base (peer, table_name, record_id, row_hash)"
                   " VALUES (7, 'providers', 'p-new', 42)")
        db.execute("UPDATE sync_base SET row_hash = 2 WHERE record_id = 'p-old'")
        db.execute("DELETE FROM sync_base WHERE record_id = 'p-gone'")
        db.execute("DELETE FROM audit_log WHERE summary = 'old row'")
    return "done"


def seed(db) -> None:
    stamp = "2008-01-01T00:00:00"
    with write(db):
        for pid, name in (("p-old", "Old Trust"), ("p-gone", "Gone Ltd"),
                          ("p-replaced", "Replaced Ltd")):
            db.execute("INSERT INTO providers (id, name, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?)", (pid, name, stamp, stamp))
        db.execute("INSERT INTO audit_log (at, who, action, entity, summary)"
                   " VALUES (?, 'test', 'test', 'provider', 'old row')", (stamp,))
        db.execute("INSERT INTO sync_peers (n, database_id) VALUES (6, 'peer-6')")
        for pid in ("p-old", "p-gone"):
            db.execute("INSERT INTO sync_base (peer, table_name, record_id, row_hash)"
                       " VALUES (6, 'providers', ?, 1)", (pid,))


@pytest.fixture
def pair(tmp_path):
    first = open_db(tmp_path / "a" / "team.sqlite")
    seed(first)
    first.close()
    (tmp_path / "b").mkdir()
    shutil.copy(tmp_path / "a" / "team.sqlite", tmp_path / "b" / "team.sqlite")
    a, b = open_db(tmp_path / "a" / "team.sqlite"), open_db(tmp_path / "b" / "team.sqlite")
    yield a, b
    a.close()
    b.close()


def test_a_rehearsed_action_leaves_what_the_action_under_the_lock_leaves(pair, tmp_path):
    direct, rehearsed_db = pair
    assert rehearsal.rehearsed(direct, action, attempts=0) == "done"
    assert rehearsal.rehearsed(rehearsed_db, action) == "done"
    assert everything(rehearsed_db) == everything(direct)
    assert rows_with_rowids(rehearsed_db) == rows_with_rowids(direct)
    assert rehearsed_db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert rehearsed_db.execute("SELECT count(*) FROM sync_base").fetchone()[0] == 2
    folder = tmp_path / "b" / TEMP_FOLDER   # the private copy is gone
    assert not folder.exists() or not any(folder.iterdir())


def test_the_write_lock_is_free_while_the_action_runs(pair, tmp_path):
    _, db = pair
    other = open_db(tmp_path / "b" / "team.sqlite")
    other.execute("PRAGMA busy_timeout = 0")   # a save that would wait fails at once
    saved = []

    def slow_action(target):
        if not saved:   # once: the second check sees the save and keeps it
            with write(other):
                other.execute("INSERT INTO providers (id, name, created_at, updated_at)"
                              " VALUES ('p-meanwhile', 'Saved Meanwhile', 'x', 'x')")
            saved.append(True)
        return action(target)

    rehearsal.rehearsed(db, slow_action)
    names = {n for (n,) in db.execute("SELECT name FROM providers")}
    assert {"Saved Meanwhile", "Brand New Ltd", "Renamed Trust"} <= names
    assert "Gone Ltd" not in names
    other.close()


def test_a_failed_action_writes_nothing_and_leaves_no_copy(pair, tmp_path):
    _, db = pair
    before = everything(db)

    def failing(target):
        action(target)
        raise ImportFailed([(3, "bad row")])

    with pytest.raises(ImportFailed):
        rehearsal.rehearsed(db, failing)
    assert everything(db) == before
    folder = tmp_path / "b" / TEMP_FOLDER
    assert not folder.exists() or not any(folder.iterdir())


def test_a_team_that_keeps_saving_gets_the_action_run_under_the_lock(pair, tmp_path):
    """Every check is overtaken by a save: after the last attempt it runs under the lock
    (correct, only slower), never fails for it."""
    _, db = pair
    other = open_db(tmp_path / "b" / "team.sqlite")
    runs = []

    def busy_team(target):
        runs.append(target is db)
        if target is not db:
            with write(other):
                other.execute("INSERT INTO providers (id, name, created_at, updated_at)"
                              " VALUES (?, ?, 'x', 'x')", (f"p{len(runs)}", f"Team {len(runs)}"))
        return action(target)

    rehearsal.rehearsed(db, busy_team)
    assert runs == [False] * rehearsal.ATTEMPTS + [True]
    assert db.execute("SELECT count(*) FROM providers WHERE name LIKE 'Team %'"
                      ).fetchone()[0] == rehearsal.ATTEMPTS
    assert db.execute("SELECT count(*) FROM providers WHERE name = 'Brand New Ltd'"
                      ).fetchone()[0] == 1
    other.close()


def test_a_service_import_through_the_rehearsal_adds_each_provider_once(db, db_path):
    """A new provider that another sp-tui saves while the import is being checked is found
    by the next check, not added twice (UNIQUE) (item 15 across a rehearsal)."""
    from sp_tui.services.registry import import_services, save_service

    other = open_db(db_path)
    done = []

    def importing(target):
        if not done:
            save_service(other, service_fields(service_ref="SP900", provider="Shared New Ltd"))
            done.append(True)
        return import_services(target, [(2, service_fields(service_ref="SP001",
                                                           provider="Shared New Ltd"))])

    counts = rehearsal.rehearsed(db, importing)
    assert counts["providers_added"] == 0 and counts["added"] == 1
    assert db.execute("SELECT count(*) FROM providers WHERE name = 'Shared New Ltd'"
                      ).fetchone()[0] == 1
    other.close()
