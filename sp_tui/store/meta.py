"""The file's own identity (meta.database_id): how copies of the database tell each other apart."""

from __future__ import annotations

import uuid

import sqlite_utils

DATABASE_ID = "database_id"


def new_database_id() -> str:
    return uuid.uuid4().hex


def database_id(db: sqlite_utils.Database, schema: str = "main") -> str | None:
    """This file's id; None for a file from before migration 0005 (no meta table)."""
    found = db.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table'"
                       " AND name = 'meta'").fetchone()
    if not found:
        return None
    row = db.execute(f"SELECT value FROM {schema}.meta WHERE key = ?", (DATABASE_ID,)).fetchone()
    return row[0] if row else None


def ensure_database_id(db: sqlite_utils.Database) -> str | None:
    """Give the file an id if its meta table has none (the migration normally sets it)."""
    if "meta" not in db.table_names():
        return None
    current = database_id(db)
    if current:
        return current
    value = new_database_id()
    # One statement on an autocommit connection: atomic; OR IGNORE if another process won.
    db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (DATABASE_ID, value))
    return database_id(db)


def set_database_id(db: sqlite_utils.Database, value: str) -> None:
    """Call inside a write transaction (a fresh copy takes a new identity)."""
    db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
               " SET value = excluded.value", (DATABASE_ID, value))


DEMO = "demo"


def mark_demo(db: sqlite_utils.Database) -> None:
    """Record that this file was built by `sp-tui demo` (only such a file may be rebuilt)."""
    db.execute("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE"
               " SET value = excluded.value", (DEMO,))


def is_demo(db: sqlite_utils.Database, schema: str = "main") -> bool:
    found = db.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table'"
                       " AND name = 'meta'").fetchone()
    if not found:
        return False
    return db.execute(f"SELECT 1 FROM {schema}.meta WHERE key = ?", (DEMO,)).fetchone() is not None
