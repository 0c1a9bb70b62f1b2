"""Open the database: location, permissions, pragmas, migrations, write transactions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from sp_tui.store.changes import committed

ENV_VAR = "SP_TUI_DB"
BUSY_TIMEOUT_MS = 10_000
DB_FILENAME = "sp-tui.sqlite"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("sp-tui", appauthor=False)) / DB_FILENAME


def demo_db_path() -> Path:
    return default_db_path().with_name("demo.sqlite")


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """``--db`` first, then $SP_TUI_DB, then the user's data directory."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return default_db_path()


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600), if it does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def connect(path: Path) -> sqlite_utils.Database:
    """A connection in autocommit mode: transactions are opened explicitly by ``write``."""
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
        check_same_thread=False,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return sqlite_utils.Database(conn)


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating 0600 if new) and bring the schema up to date, backing up first."""
    from sp_tui.store.migrate import migrate_database

    resolved = resolve_db_path(path)
    create_private_file(resolved)
    db = connect(resolved)
    if migrate:
        from sp_tui.store.meta import ensure_database_id

        try:
            migrate_database(db, resolved)
            ensure_database_id(db)
        except BaseException:
            db.close()
            raise
    return db


def db_file(db: sqlite_utils.Database) -> Path | None:
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


@contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One user action = one transaction.

    Starts with BEGIN IMMEDIATE so a second process waits for the lock up front instead of
    failing mid-way; rolls back on any error (including a failed COMMIT, so nothing is saved
    later by accident). Nested calls become savepoints.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    committed(db)  # screens showing these records refresh (sp_tui.store.changes)


def data_version(db: sqlite_utils.Database) -> int:
    """Changes when another connection commits: cheap to poll for live screens."""
    return db.execute("PRAGMA data_version").fetchone()[0]
