"""Identifiers, timestamps and the audit trail shared by every write."""

from __future__ import annotations

import getpass
import json
import uuid
from datetime import date, datetime
from typing import Any

import sqlite_utils


def new_id() -> str:
    return str(uuid.uuid4())


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; still record something
        return "unknown"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def audit(
    db: sqlite_utils.Database,
    *,
    action: str,
    entity: str,
    entity_id: str | None,
    summary: str,
    old: dict | None = None,
    new: dict | None = None,
    source: str | None = None,
) -> None:
    """Append one audit row: when, who, what, and the old -> new values that changed."""
    if old is not None and new is not None:
        changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
        changed -= {"updated_at"}
        old = {k: old.get(k) for k in sorted(changed)}
        new = {k: new.get(k) for k in sorted(changed)}
    db.execute(
        "INSERT INTO audit_log (at, who, action, entity, entity_id, summary, old_values,"
        " new_values, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            now_iso(), current_user(), action, entity, entity_id, summary,
            json.dumps({k: _jsonable(v) for k, v in old.items()}) if old else None,
            json.dumps({k: _jsonable(v) for k, v in new.items()}) if new else None,
            source,
        ),
    )


def audit_many(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """Bulk form of ``audit`` for imports: rows of
    (action, entity, entity_id, summary, new, source)."""
    at, who = now_iso(), current_user()
    db.conn.executemany(
        "INSERT INTO audit_log (at, who, action, entity, entity_id, summary, new_values, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(at, who, action, entity, entity_id, summary,
          json.dumps({k: _jsonable(v) for k, v in new.items()}) if new else None, source)
         for action, entity, entity_id, summary, new, source in rows],
    )
