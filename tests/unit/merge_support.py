"""Helpers for the merge tests: copies, edits through the service layer, content dumps."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sp_tui.store.connection import open_db
from sp_tui.store.schema import describe_tables

BOOKKEEPING = ("created_at", "updated_at")


def records(db) -> dict[str, dict[object, dict]]:
    """Every record table's content by key (timestamps left out): what two copies compare."""
    found = {}
    for name, info in describe_tables(db).items():
        columns = [c for c in info.columns if c not in BOOKKEEPING]
        rows = db.execute(f'SELECT {", ".join(columns)} FROM "{name}"').fetchall()
        if info.kind == "record":
            key = columns.index(info.key_column)
            found[name] = {row[key]: dict(zip(columns, row)) for row in rows}
        else:
            found[name] = {tuple(row[columns.index(k)] for k in info.key): dict(zip(columns, row))
                           for row in rows}
    return found


def everything(db) -> dict[str, list]:
    """Every table's rows, bookkeeping and audit log included: 'changed nothing' means this."""
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


def open_conflicts(db) -> list[tuple]:
    return db.execute("SELECT table_name, record_id, field FROM merge_conflicts"
                      " WHERE resolved_at IS NULL ORDER BY 1, 2, 3").fetchall()


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def reopen(path: Path):
    return open_db(path)
