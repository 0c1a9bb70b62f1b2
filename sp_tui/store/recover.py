"""A damaged database: say what is wrong and which tables can still be read, and copy every
row that can be read into a new file (what SQLite's `.recover` does, in Python)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sp_tui.store.connection import (
    DatabaseMissing, DatabaseProblem, check_sp_tui_database, connect_read_only, missing_message,
    open_db,
)
from sp_tui.store.files import atomic_path

CHUNK = 200


@dataclass
class CheckReport:
    ok: bool
    version: int | None
    latest: int
    problems: list[str] = field(default_factory=list)
    tables: dict[str, str] = field(default_factory=dict)   # name -> "N rows" / "unreadable"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_database(path: Path) -> CheckReport:
    """Integrity check without writing anything (read-only, no migration)."""
    from sp_tui.store.migrate import applied_versions, latest_version

    path = Path(path)
    if not path.exists():
        raise DatabaseMissing(missing_message(path))
    try:
        db = connect_read_only(path)
    except sqlite3.DatabaseError as exc:
        return CheckReport(False, None, latest_version(), [f"cannot be opened: {exc}"])
    try:
        try:
            check_sp_tui_database(db, path)
            version = max(applied_versions(db), default=0)
        except sqlite3.DatabaseError as exc:
            return CheckReport(False, None, latest_version(),
                               [f"its list of tables cannot be read: {exc}"])
        try:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            problems = [f"the integrity check stopped: {exc}"]
        if problems == ["ok"]:
            return CheckReport(True, version, latest_version())
        return CheckReport(False, version, latest_version(), problems, _table_states(db))
    finally:
        db.close()


def _table_names(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                     " AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _table_states(db) -> dict[str, str]:
    states = {}
    for name in _table_names(db):
        try:
            rows = sum(1 for _ in db.execute(f"SELECT * FROM {_quote(name)}"))
            states[name] = f"{rows:,} rows, readable"
        except sqlite3.DatabaseError as exc:
            states[name] = f"damaged ({exc})"
    return states


def _readable_rows(db, table: str, columns: list[str]):
    """Every row of ``table`` that can be read: (rows, rows lost as best counted)."""
    select = ", ".join(map(_quote, columns))
    try:
        return db.execute(f"SELECT {select} FROM {_quote(table)}").fetchall(), 0
    except sqlite3.DatabaseError:
        pass
    rows: list[tuple] = []
    lost = 0
    try:
        low, high = db.execute(f"SELECT min(rowid), max(rowid) FROM {_quote(table)}").fetchone()
    except sqlite3.DatabaseError:
        return rows, 1  # not even its extent can be read (or a table without rowids)
    if low is None:
        return rows, 0
    start = low
    while start <= high:
        end = start + CHUNK
        try:
            rows += db.execute(f"SELECT {select} FROM {_quote(table)} WHERE rowid >= ?"
                               " AND rowid < ?", (start, end)).fetchall()
        except sqlite3.DatabaseError:
            for rowid in range(start, end):
                try:
                    rows += db.execute(f"SELECT {select} FROM {_quote(table)}"
                                       " WHERE rowid = ?", (rowid,)).fetchall()
                except sqlite3.DatabaseError:
                    lost += 1
        start = end
    return rows, lost


def recover_database(source: Path, target: Path) -> dict[str, tuple[int, int]]:
    """Copy what can be read from ``source`` into a new sp-tui database at ``target``.
    Returns {table: (rows copied, rows that could not be read)}."""
    source, target = Path(source), Path(target)
    if not source.exists():
        raise DatabaseMissing(missing_message(source))
    if target.exists():
        raise FileExistsError(f"{target} already exists: give a new file name")
    if target.resolve() == source.resolve():
        raise DatabaseProblem("the recovered copy must be a new file")
    try:
        damaged = connect_read_only(source)
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(f"{source} cannot be opened at all ({exc}): go back to the latest"
                              " backup") from None
    result: dict[str, tuple[int, int]] = {}
    try:
        try:
            tables = _table_names(damaged)
        except sqlite3.DatabaseError as exc:
            raise DatabaseProblem(f"{source}: its list of tables cannot be read ({exc}): go"
                                  " back to the latest backup") from None
        # Built under a temporary name and renamed when complete.
        with atomic_path(target) as temp:
            fresh = open_db(temp)
            try:
                fresh.execute("PRAGMA foreign_keys = OFF")
                wanted = set(fresh.table_names()) - {"schema_migrations"}
                fresh.conn.execute("BEGIN IMMEDIATE")
                for table in tables:
                    if table not in wanted:
                        continue
                    theirs = [r[1] for r in damaged.execute(
                        f"PRAGMA table_info({_quote(table)})")]
                    ours = {r[1] for r in fresh.execute(f"PRAGMA table_info({_quote(table)})")}
                    columns = [c for c in theirs if c in ours]
                    rows, lost = _readable_rows(damaged, table, columns)
                    fresh.conn.executemany(
                        f"INSERT OR REPLACE INTO {_quote(table)}"
                        f" ({', '.join(map(_quote, columns))})"
                        f" VALUES ({', '.join('?' * len(columns))})", rows)
                    result[table] = (len(rows), lost)
                fresh.conn.execute("COMMIT")
            finally:
                if fresh.conn.in_transaction:
                    fresh.conn.execute("ROLLBACK")
                fresh.close()
    finally:
        damaged.close()
    return result
