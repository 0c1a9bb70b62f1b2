"""Numbered SQL migrations, applied in order, recorded in the database, after a backup."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils

from sp_tui.store.files import atomic_path, create_private_file

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_dir() -> Path:
    """Inside the wheel they are packaged as sp_tui/_migrations; in a checkout, db/migrations."""
    packaged = Path(__file__).resolve().parent.parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "db" / "migrations"


def available_migrations() -> list[Migration]:
    found = []
    for path in sorted(migrations_dir().glob("*.sql")):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path.read_text("utf-8")))
    return found


def latest_version() -> int:
    migrations = available_migrations()
    return migrations[-1].version if migrations else 0


def applied_versions(db: sqlite_utils.Database) -> set[int]:
    if "schema_migrations" not in db.table_names():
        return set()
    return {row[0] for row in db.execute("SELECT version FROM schema_migrations")}


def current_version(db: sqlite_utils.Database) -> int:
    return max(applied_versions(db), default=0)


def pending_migrations(db: sqlite_utils.Database) -> list[Migration]:
    done = applied_versions(db)
    return [m for m in available_migrations() if m.version not in done]


def backup_to(db: sqlite_utils.Database, target: Path) -> Path:
    """A consistent copy through SQLite's backup API (safe while others write), mode 0600.

    Written under a temporary name beside it and renamed when complete: an interrupted
    backup leaves nothing at ``target``; an existing ``target`` is never replaced."""
    target = Path(target)
    with atomic_path(target) as temp:
        create_private_file(temp)
        dest = sqlite3.connect(str(temp))
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
    return target


def backup_path_for(path: Path, version: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.v{version}-{stamp}-{n}.bak")
    return candidate


def migrate_database(db: sqlite_utils.Database, path: Path | None = None) -> Path | None:
    """Apply every migration not yet recorded, in number order (so one that arrives with a
    lower number than the latest applied is still applied); returns the backup taken
    (None for a new, empty file)."""
    pending = [m for m in available_migrations() if m.version not in applied_versions(db)]
    if not pending:
        return None
    backup = None
    has_data = current_version(db) > 0 or bool(db.table_names())
    if has_data and path is not None:
        backup = backup_to(db, backup_path_for(path, current_version(db)))
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated while we waited for the lock.
        done = applied_versions(db)
        for migration in pending:
            if migration.version in done:
                continue
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now().isoformat(timespec="seconds")),
            )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return backup


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def integrity_report(db: sqlite_utils.Database) -> list[str]:
    return [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]

