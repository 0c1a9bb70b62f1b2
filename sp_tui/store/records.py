"""Identifiers, timestamps and the audit trail shared by every write."""

from __future__ import annotations

import getpass
import json
import os
from datetime import date, datetime
from typing import Any

import sqlite_utils


def new_id() -> str:
    """A random (version 4) UUID as text, like ``str(uuid.uuid4())`` at a fifth of the cost
    (imports make one per row)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# json.dumps's own defaults, dates as ISO text: the C encoder does the work of a bulk audit.
_AUDIT_JSON = json.JSONEncoder(default=_json_default)


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
          _AUDIT_JSON.encode(new) if new else None, source)
         for action, entity, entity_id, summary, new, source in rows],
    )
