"""A long action checked on a private copy, then written to the database in one short
transaction (issue 11, item 14).

A big import spends most of its time validating rows and checking them against the records
already there. Done under the write lock, that time blocks every other sp-tui on the same
file, whose saves fail after the busy timeout. Instead the action runs, unchanged, on a
private snapshot of the database (a copy in the private temp folder beside it); only then is
the write lock taken, and if no other connection has committed since the snapshot (SQLite's
``data_version``), the snapshot's changes are copied across table by table: the result is
exactly what the action would have written under the lock, while the lock is held only for
the copy. If another sp-tui saved something meanwhile, the action is checked again on a new
snapshot (what it read may have changed), and after a few such rounds it runs under the lock
as before, so a busy team never makes it fail.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from sp_tui.store.connection import connect, db_file, write
from sp_tui.store.files import create_private_file, temp_name

T = TypeVar("T")
ATTEMPTS = 3
_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def data_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA data_version").fetchone()[0]


@contextlib.contextmanager
def _snapshot(db: sqlite_utils.Database, path: Path) -> Iterator[tuple[Path, int]]:
    """A private copy of the database as of ``data_version`` (read first: a commit made
    during the copy changes it too, so the check can only err on the side of caution)."""
    target = temp_name(path)
    version = data_version(db)
    try:
        create_private_file(target)
        dest = sqlite3.connect(str(target))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
        yield target, version
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{target}{suffix}")
        with contextlib.suppress(OSError):
            target.parent.rmdir()  # only if empty


def rehearsed(db: sqlite_utils.Database, action: Callable[[sqlite_utils.Database], T],
              progress: Callable[[str], None] | None = None,
              attempts: int | None = None) -> T:
    """Run ``action(connection)`` (which writes through ``write``) with the write lock held
    only to copy its changes in. Whatever ``action`` raises (ImportFailed, ...) comes out
    as it is, and then nothing was written here."""
    attempts = ATTEMPTS if attempts is None else attempts
    path = db_file(db)
    if path is None or db.conn.in_transaction or getattr(db, "sp_tui_read_only", False):
        return action(db)  # an in-memory database, or already inside a transaction
    for _ in range(attempts):
        with _snapshot(db, path) as (copy, version):
            tables: dict[str, set[int]] = {}
            rehearsal = connect(copy)
            rehearsal.conn.set_authorizer(_recorder(tables))
            try:
                result = action(rehearsal)
            finally:
                rehearsal.conn.set_authorizer(None)
                rehearsal.close()
            if progress:
                progress("all sheets: writing")
            if _copy_changes(db, copy, version, tables):
                return result
        if progress:
            progress("again: another sp-tui saved meanwhile")
    return action(db)


def _recorder(tables: dict[str, set[int]]) -> Callable[..., int]:
    """Notes which tables the action writes, and how (insert, update, delete)."""
    def authorize(action: int, table: str | None, *_: object) -> int:
        if action in _WRITES and table:
            tables.setdefault(table, set()).add(action)
        return sqlite3.SQLITE_OK
    return authorize


def _copy_changes(db: sqlite_utils.Database, copy: Path, version: int,
                  tables: dict[str, set[int]]) -> bool:
    """Under the write lock: False (nothing written) if another connection committed since
    the snapshot; else make ``tables`` here equal to the copy's and return True."""
    db.execute("ATTACH DATABASE ? AS rehearsal", (str(copy),))
    try:
        with write(db):
            if data_version(db) != version:
                return False
            db.execute("PRAGMA defer_foreign_keys = ON")  # parents and children in any order
            names = {n for (n,) in db.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table'")}
            # AUTOINCREMENT counters change without a statement naming them
            for table in sorted((set(tables) | {"sqlite_sequence"}) & names):
                if tables.get(table) == {sqlite3.SQLITE_INSERT} and _copy_added(db, table):
                    continue
                _copy_table(db, table)
        return True
    finally:
        db.execute("DETACH DATABASE rehearsal")


def _copy_table(db: sqlite_utils.Database, table: str) -> None:
    """Rows the copy deleted, changed and added. Rows keep their rowid (the snapshot is a
    page copy, and nothing changed here since), so rowids match rows one to one."""
    info = db.execute(f"PRAGMA main.table_info({q(table)})").fetchall()
    columns = [row[1] for row in info]
    primary = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    without_rowid = db.execute(
        "SELECT 1 FROM main.sqlite_master WHERE name = ? AND sql LIKE '%WITHOUT ROWID%'",
        (table,)).fetchone() is not None
    if without_rowid:
        key, extra = [q(c) for c in primary], []
    else:
        key, extra = ["rowid"], ["rowid"]
    cols = [q(c) for c in columns]
    keys, selected = ", ".join(key), ", ".join([*extra, *cols])
    match = " AND ".join(f"r.{k} = main.{q(table)}.{k}" for k in key)
    keyed = f"({keys})" if len(key) > 1 else keys
    t = q(table)
    db.execute(f"DELETE FROM main.{t} WHERE {keyed} NOT IN (SELECT {keys} FROM rehearsal.{t})")
    settable = [c for c in cols if c not in key]
    if settable:
        db.execute(
            f"UPDATE main.{t} SET ({', '.join(settable)}) = (SELECT {', '.join(settable)}"
            f" FROM rehearsal.{t} AS r WHERE {match}) WHERE {keyed} IN (SELECT {keys} FROM"
            f" (SELECT {selected} FROM rehearsal.{t} EXCEPT SELECT {selected} FROM main.{t}))")
    db.execute(f"INSERT INTO main.{t} ({selected}) SELECT {selected} FROM rehearsal.{t}"
               f" WHERE {keyed} NOT IN (SELECT {keys} FROM main.{t})")


def _copy_added(db: sqlite_utils.Database, table: str) -> bool:
    """A table the action only inserted into: its new rows are those above the largest rowid
    here (new rows take larger rowids). True if that accounts for every row of the copy
    (else, say an INSERT OR REPLACE removed one, the whole table is compared)."""
    if db.execute("SELECT 1 FROM main.sqlite_master WHERE name = ?"
                  " AND sql LIKE '%WITHOUT ROWID%'", (table,)).fetchone():
        return False
    t = q(table)
    last, here = db.execute(f"SELECT coalesce(max(rowid), 0), count(*) FROM main.{t}").fetchone()
    added, total = db.execute(
        f"SELECT count(*) FILTER (WHERE rowid > ?), count(*) FROM rehearsal.{t}",
        (last,)).fetchone()
    if total != here + added:
        return False
    columns = [row[1] for row in db.execute(f"PRAGMA main.table_info({t})")]
    selected = ", ".join(["rowid", *map(q, columns)])
    db.execute(f"INSERT INTO main.{t} ({selected}) SELECT {selected} FROM rehearsal.{t}"
               " WHERE rowid > ?", (last,))
    return True
