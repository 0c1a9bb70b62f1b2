"""Open the database: location, permissions, pragmas, migrations, write transactions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from sp_tui.store.changes import committed
from sp_tui.store.files import create_private_file
from sp_tui.store.meta import ensure_database_id
from sp_tui.store.migrate import (
    applied_versions, available_migrations, migrate_database, pending_migrations,
)

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


class DatabaseProblem(ValueError):
    """A database file sp-tui will not open (or not write): the message says why and what to do."""


class DatabaseMissing(DatabaseProblem, FileNotFoundError):
    """No file at the path given: only `sp-tui demo` and `sp-tui db init` create one."""


def missing_message(path: Path) -> str:
    return (f"there is no database at {path}: check the path, or create a new one with"
            " `sp-tui db init` (or try the demo: `sp-tui demo`)")


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


def connect_read_only(path: Path) -> sqlite_utils.Database:
    """A connection that cannot write (a read-only file, folder or mount)."""
    uri = Path(path).resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A read-only folder: SQLite cannot create the WAL index beside the file.
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None,
                               check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


def is_read_only(db: sqlite_utils.Database) -> bool:
    """True for a database opened read-only (changes cannot be saved)."""
    return bool(getattr(db, "sp_tui_read_only", False))


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True,
            create: bool = True) -> sqlite_utils.Database:
    """Open (creating 0600 if new and ``create``) and bring the schema up to date, backing up
    first. Refused, with a message: a file from a newer sp-tui, an SQLite file that is not an
    sp-tui database, a file that is not a database. A file that cannot be written is opened
    read-only (``is_read_only``) if its schema is current."""

    resolved = resolve_db_path(path)
    if resolved.is_dir():
        raise DatabaseProblem(f"{resolved} is a folder, not a database file")
    if not resolved.exists():
        if not create:
            raise DatabaseMissing(missing_message(resolved))
        create_private_file(resolved)
    read_only = not _writable(resolved)
    if resolved.stat().st_size:
        # Checked through a read-only connection first: a file that is not ours (or is a
        # newer sp-tui's) is not touched at all, not even switched to WAL mode.
        try:
            probe = connect_read_only(resolved)
        except sqlite3.DatabaseError as exc:
            raise DatabaseProblem(explain_database_error(exc, resolved)) from None
        try:
            check_sp_tui_database(probe, resolved)
        except sqlite3.DatabaseError as exc:
            raise DatabaseProblem(explain_database_error(exc, resolved)) from None
        finally:
            probe.close()
    try:
        db = connect_read_only(resolved) if read_only else connect(resolved)
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(explain_database_error(exc, resolved)) from None
    # A mark on sqlite_utils' Database (read back by getattr above); it declares no such field.
    db.sp_tui_read_only = read_only  # type: ignore[attr-defined]
    try:
        if migrate:

            if read_only:
                if pending_migrations(db):
                    raise DatabaseProblem(
                        f"{resolved} is read-only and was made by an older sp-tui: it must be"
                        " upgraded before use, which needs write access (copy it somewhere"
                        " writable)")
            else:
                migrate_database(db, resolved)
                ensure_database_id(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        if is_damage(exc):
            raise DatabaseProblem(explain_database_error(exc, resolved)) from None
        raise
    except BaseException:
        db.close()
        raise
    return db


def check_sp_tui_database(db: sqlite_utils.Database, path: Path) -> None:
    """Refuse a file this sp-tui must not write: a newer sp-tui's, or not an sp-tui one."""

    tables = set(db.table_names())
    if tables and "schema_migrations" not in tables:
        raise DatabaseProblem(
            f"{path} is an SQLite database but not an sp-tui one (it has other tables):"
            " sp-tui will not change it. Give another file with --db.")
    applied = applied_versions(db)
    unknown = applied - {m.version for m in available_migrations()}
    if unknown:
        raise DatabaseProblem(
            f"{path} was made by a newer sp-tui (v{max(applied)}); upgrade sp-tui to use it."
            " Nothing was changed.")


def is_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "corrupt" in text or "not a database" in text)


def explain_database_error(exc: BaseException, path: Path | None = None) -> str:
    """An SQLite error in words, with what to do next."""
    text = str(exc)
    where = f"{path}" if path else "the database"
    lowered = text.lower()
    if "not a database" in lowered:
        return (f"{where} is not an SQLite database (or it is encrypted or badly damaged):"
                " sp-tui will not change it. Give another file with --db.")
    if "malformed" in lowered or "corrupt" in lowered:
        return (f"{where} is damaged ({text}). Run `sp-tui db check` to see what can still be"
                " read, then `sp-tui db recover NEW.sqlite` to copy it out, or go back to the"
                " latest backup (the *.bak files beside it).")
    if "readonly" in lowered or "read-only" in lowered:
        return (f"{where} is read-only: changes cannot be saved ({text}).")
    if "locked" in lowered or "busy" in lowered:
        return (f"{where} is busy: another sp-tui is writing to it (perhaps a long import)."
                " Try again in a moment.")
    if "disk is full" in lowered or "disk i/o" in lowered:
        return f"{where} could not be written: {text}. Free some space and try again."
    return f"{where}: {text}"


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
