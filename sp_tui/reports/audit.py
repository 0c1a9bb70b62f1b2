"""The audit trail, newest first."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class AuditEntry:
    at: str
    who: str
    action: str
    summary: str
    old_values: str | None
    new_values: str | None
    source: str | None


def latest_changes(db: sqlite_utils.Database, limit: int = 50) -> list[AuditEntry]:
    return [AuditEntry(*row) for row in db.execute(
        "SELECT at, who, action, summary, old_values, new_values, source FROM audit_log"
        " ORDER BY id DESC LIMIT ?", (max(1, limit),))]
